/**
 * translateError: the one way a service error becomes a message in the visitor's language.
 */
import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { messages, translateError } from "@/services/i18n/mod.ts";
import { ConflictError, NotFoundError, ValidationError } from "@/services/platform/errors.ts";
import { ShopError } from "@/services/shop/errors.ts";
import { FarmRuleError } from "@/services/farm/errors.ts";
import { ForbiddenError } from "@/services/identity/mod.ts";
import { contactSchema } from "@/services/site/mod.ts";

const en = messages("en");
const bn = messages("bn");

Deno.test("translateError: identity's field messages in Bangla, per field, renamed", () => {
  const e = new ValidationError({
    identifier: "Enter a valid email address",
    name: "Enter a name",
  });
  const r = translateError(bn, e, { identifier: "email" })!;
  assertEquals(r.status, 422);
  assertEquals(r.fields, {
    email: ["সঠিক একটি ইমেইল ঠিকানা লিখুন"],
    name: ["একটি নাম লিখুন"],
  });
  assertEquals(r.message, "সঠিক একটি ইমেইল ঠিকানা লিখুন");
  // English stays English.
  assertEquals(translateError(en, e)!.fields.identifier, ["Enter a valid email address"]);
});

Deno.test("translateError: message keys of the site catalog (the contact form's Zod errors)", () => {
  const parsed = contactSchema.safeParse({
    name: "A",
    phone: "12",
    email: "",
    topic: "x",
    message: "hi",
  });
  const r = translateError(bn, parsed.error)!;
  assertEquals(r.status, 422);
  assertEquals(r.fields.name, [bn.validation.tooShort]);
  assertEquals(r.fields.phone, [bn.validation.phone]);
  assertEquals(r.fields.topic, [bn.validation.choose]);
});

Deno.test("translateError: conflicts on their field (else the whole form), 404 and 403", () => {
  const c = translateError(
    bn,
    new ConflictError("An account with this email already exists", "email"),
  )!;
  assertEquals(c.status, 409);
  assertEquals(c.fields, { email: ["এই ইমেইলে আগেই একটি অ্যাকাউন্ট আছে"] });
  assertEquals(translateError(en, new ConflictError("Busy"))!.fields, { form: ["Busy"] });
  assertEquals(translateError(en, new NotFoundError("No such user"))!.status, 404);
  const f = translateError(bn, new ForbiddenError("users.manage"))!;
  assertEquals([f.status, f.message], [403, bn.identity.forbidden.text]);
});

Deno.test("translateError: shop and farm codes with their parameters", () => {
  const s = translateError(bn, new ShopError("cart_empty"))!;
  assertEquals([s.status, s.fields.form], [422, [bn.shop.errors.cart_empty]]);
  const f = translateError(
    en,
    new FarmRuleError(
      "animal_exited",
      "left",
      { tag: "BD-7", status: "sold", date: "2026-11-30" },
      "animal",
    ),
  )!;
  assertEquals(f.status, 409);
  assertEquals(f.fields, {
    animal: ["BD-7 left the herd (sold) on 2026-11-30: the entry was not saved."],
  });
});

Deno.test("translateError: anything else is not the visitor's to fix (null)", () => {
  assertEquals(translateError(en, new Error("boom")), null);
  assertEquals(translateError(en, "text"), null);
});
