import { deepEqual, equal } from "node:assert/strict";
import { smsParts } from "@/services/notify/sms_parts.ts";
import { renderTemplate } from "@/services/notify/templates.ts";

Deno.test("sms parts: GSM-7 takes 160 in one part, 153 per part after", () => {
  deepEqual(smsParts("a".repeat(160)), { encoding: "GSM-7", units: 160, parts: 1, perPart: 160 });
  equal(smsParts("a".repeat(161)).parts, 2);
  equal(smsParts("a".repeat(306)).parts, 2);
  equal(smsParts("a".repeat(307)).parts, 3);
  equal(smsParts("").parts, 1);
});

Deno.test("sms parts: GSM extension characters count two and are never split", () => {
  // 159 letters + € (2 septets) = 161 septets: two parts.
  const s = "a".repeat(159) + "€";
  equal(smsParts(s).units, 161);
  equal(smsParts(s).parts, 2);
  equal(smsParts("{[]}").units, 8);
  // 152 letters then "^": the escape would be the 153rd septet, so "^" opens part two;
  // 152 + 2 + 152 = 306 septets still need a third part for the last letter.
  const edge = "a".repeat(152) + "^" + "a".repeat(152);
  equal(smsParts(edge).units, 306);
  equal(smsParts(edge).parts, 3);
});

Deno.test("sms parts: Bangla goes as UCS-2, 70 in one part, 67 per part after", () => {
  equal(smsParts("আ".repeat(70)).encoding, "UCS-2");
  equal(smsParts("আ".repeat(70)).parts, 1);
  equal(smsParts("আ".repeat(71)).parts, 2);
  equal(smsParts("আ".repeat(134)).parts, 2);
  equal(smsParts("আ".repeat(135)).parts, 3);
  // One Bangla letter in an English text makes the whole text UCS-2.
  equal(smsParts("Order SD-1001 is on its way ৳").encoding, "UCS-2");
  // An emoji is a surrogate pair: two units, never split over two parts. 134 units would fit
  // two parts of 67, but the pair cannot start at the 67th: three parts.
  const emoji = "a".repeat(66) + "🐄" + "a".repeat(66);
  equal(smsParts(emoji).units, 134);
  equal(smsParts(emoji).parts, 3);
  equal(smsParts("a".repeat(66) + "🐄").parts, 1);
});

Deno.test("sms parts: our sign-up code texts, English one part, Bangla two", () => {
  const en = renderTemplate("signup_code", "en", { code: "123456", minutes: 10 }).body;
  const bn = renderTemplate("signup_code", "bn", { code: "123456", minutes: 10 }).body;
  deepEqual([smsParts(en).encoding, smsParts(en).parts], ["GSM-7", 1]);
  equal(smsParts(bn).encoding, "UCS-2");
  equal(smsParts(bn).parts, Math.ceil(bn.length / 67));
});
