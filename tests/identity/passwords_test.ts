import assert from "node:assert/strict";
import {
  DEFAULT_ARGON2,
  generatePassword,
  hashPassword,
  needsRehash,
  passwordParams,
  passwordSchema,
  verifyPassword,
} from "@/services/identity/passwords.ts";

const cheap = { memoryKiB: 64, iterations: 1, parallelism: 1 };

Deno.test("passwords: argon2id PHC hashes verify the right password only", async () => {
  const hash = await hashPassword("correct horse battery", cheap);
  assert.match(hash, /^\$argon2id\$v=19\$m=64,t=1,p=1\$/);
  assert.equal(await verifyPassword("correct horse battery", hash), true);
  assert.equal(await verifyPassword("correct horse batterY", hash), false);
  assert.notEqual(await hashPassword("correct horse battery", cheap), hash, "salted");
  assert.equal(await verifyPassword("x", "not a hash"), false);
  assert.equal(await verifyPassword("x", "$argon2id$v=19$m=64,t=1,p=1$broken"), false);
});

Deno.test("passwords: production cost is OWASP's minimum; other parameters need a rehash", async () => {
  assert.deepEqual(DEFAULT_ARGON2, { memoryKiB: 19456, iterations: 2, parallelism: 1 });
  const hash = await hashPassword("correct horse battery", cheap);
  assert.equal(needsRehash(hash, cheap), false);
  assert.equal(needsRehash(hash, DEFAULT_ARGON2), true);
  assert.equal(needsRehash("$2b$10$bcrypt-hash", cheap), true);
});

Deno.test("passwords: the environment override is validated", () => {
  const saved = Deno.env.get("ARGON2_MEMORY_KIB");
  try {
    Deno.env.set("ARGON2_MEMORY_KIB", "lots");
    assert.throws(() => passwordParams(), /ARGON2_MEMORY_KIB="lots": must be an integer/);
    Deno.env.set("ARGON2_MEMORY_KIB", "2048");
    assert.equal(passwordParams().memoryKiB, 2048);
  } finally {
    if (saved === undefined) Deno.env.delete("ARGON2_MEMORY_KIB");
    else Deno.env.set("ARGON2_MEMORY_KIB", saved);
  }
});

Deno.test("passwords: policy", () => {
  const policy = passwordSchema(["karim@example.com", "+8801712345678"]);
  const message = (p: string) => {
    const r = policy.safeParse(p);
    return r.success ? null : r.error.issues[0].message;
  };
  assert.equal(message("short1"), "Use at least 10 characters");
  assert.equal(message("12345678901234"), "Use more than digits: add letters or symbols");
  assert.match(message("Karim@Example.com")!, /must not be your email address or phone/);
  assert.equal(message("01712345678"), "Use more than digits: add letters or symbols");
  assert.match(message("+8801712345678")!, /must not be your email address or phone/);
  assert.equal(message("milk and ghee 2024"), null);
  for (let i = 0; i < 20; i++) assert.equal(policy.safeParse(generatePassword()).success, true);
});
