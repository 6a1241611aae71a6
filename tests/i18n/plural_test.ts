import { equal } from "node:assert/strict";
import { plural } from "@/services/i18n/plural.ts";
import { messages } from "@/services/i18n/mod.ts";

Deno.test("plural: English picks one/other by Intl.PluralRules, Bangla counts with its digits", () => {
  const order = { one: "# order", other: "# orders" };
  equal(plural("en", 1, order), "1 order");
  equal(plural("en", 0, order), "0 orders");
  equal(plural("en", 2, order), "2 orders");
  equal(plural("bn", 2, { other: "#টি অর্ডার" }), "২টি অর্ডার");
  equal(plural("bn", 1, { other: "#টি অর্ডার" }), "১টি অর্ডার");
});

Deno.test("plural: the catalogs' counted phrases read right in both languages", () => {
  equal(messages("en").shop.shop.results(1), "1 product");
  equal(messages("en").shop.shop.results(4), "4 products");
  equal(messages("bn").shop.shop.results(4), "৪টি পণ্য");
  equal(messages("en").identity.common.minutes(1), "1 minute");
  equal(messages("bn").identity.common.minutes(15), "১৫ মিনিট");
});
