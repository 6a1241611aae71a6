import assert from "node:assert/strict";
import {
  formatPhone,
  IdentifierError,
  identifierSchema,
  maskPhone,
  normalizeEmail,
  normalizePhone,
  parseIdentifier,
} from "@/services/identity/identifiers.ts";

Deno.test("identifiers: Bangladesh mobile numbers in every common form", () => {
  for (
    const input of [
      "01712345678",
      "8801712345678",
      "+8801712345678",
      "+880 1712-345678",
      "1712345678",
      "00880 1712 345678",
      " (017) 1234-5678 ",
    ]
  ) {
    assert.equal(normalizePhone(input), "+8801712345678", input);
  }
  for (const p of ["013", "014", "015", "016", "017", "018", "019"]) {
    assert.equal(normalizePhone(`${p}12345678`), `+880${p.slice(1)}12345678`);
  }
});

Deno.test("identifiers: numbers that are not Bangladesh mobiles are refused", () => {
  for (
    const input of [
      "01212345678", // 012 is not a mobile operator
      "01112345678",
      "0171234567", // one digit short
      "017123456789", // one digit long
      "+911712345678", // another country
      "02-9876543", // Dhaka landline
      "017-abc-45678",
      "",
    ]
  ) {
    assert.equal(normalizePhone(input), null, input);
  }
  assert.throws(
    () => parseIdentifier("01212345678"),
    (e: Error) => e instanceof IdentifierError && /013 to 019/.test(e.message),
  );
});

Deno.test("identifiers: emails are trimmed and lowercased; parseIdentifier picks the kind", () => {
  assert.equal(normalizeEmail("  Karim.Rahman@Example.COM "), "karim.rahman@example.com");
  assert.equal(normalizeEmail("not an email"), null);
  assert.deepEqual(parseIdentifier(" Nusrat@Example.com"), {
    kind: "email",
    value: "nusrat@example.com",
  });
  assert.deepEqual(parseIdentifier("01812-345678"), { kind: "phone", value: "+8801812345678" });
  assert.throws(() => parseIdentifier("a@b"), /valid email/);
  assert.throws(() => parseIdentifier("rahim"), /mobile number .* or email/);
  const r = identifierSchema.safeParse("01912345678");
  assert.ok(r.success);
  assert.deepEqual(r.data, { kind: "phone", value: "+8801912345678" });
  assert.equal(identifierSchema.safeParse("0191234").success, false);
});

Deno.test("identifiers: display forms", () => {
  assert.equal(formatPhone("+8801712345678"), "01712-345678");
  assert.equal(maskPhone("+8801712345678"), "017•••••678");
});
