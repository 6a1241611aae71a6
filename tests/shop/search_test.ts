import { equal, ok } from "node:assert/strict";
import { searchQuerySchema } from "@/services/shop/search.ts";
import { seedShop } from "@/scripts/seed_shop.ts";
import { stockLots, withShop } from "./_helpers.ts";

const q = (o: Record<string, string>) => searchQuerySchema.parse(o);

Deno.test("search: full text, typos, Bangla, filters, sorting and pages", async () => {
  await withShop(async (s) => {
    const names = async (o: Record<string, string>) =>
      (await s.deps.shop.search(q(o))).items.map((i) => i.nameEn);
    ok((await names({ q: "ghee" })).includes("Pure cow ghee"));
    ok((await names({ q: "mozarela" })).includes("Mozzarella"), "typo forgiven");
    ok((await names({ q: "butters" }))[0].includes("butter"), "stemmed");
    ok((await names({ q: "ঘি" })).includes("Pure cow ghee"), "Bangla names");
    equal((await names({ q: "xylophone" })).length, 0);
    // A typo or a Banglish word finds exactly what the catalogue's word finds, and says so.
    const yogurt = (await names({ q: "yogurt" })).sort();
    ok(yogurt.length > 1);
    for (const typed of ["yogart", "yoghurt", "dahi"]) {
      equal(
        (await names({ q: typed })).sort().join("|"),
        (await names({ q: typed === "dahi" ? "doi" : "yogurt" })).sort().join("|"),
        typed,
      );
    }
    equal((await s.deps.shop.search(q({ q: "yogart" }))).correctedQuery, "yogurt");
    equal((await s.deps.shop.search(q({ q: "yogurt" }))).correctedQuery, undefined);
    ok((await names({ q: "gee" })).includes("Pure cow ghee"));
    const milk = await names({ category: "milk" });
    equal(milk.length, 3);
    const cheap = await s.deps.shop.search(q({ max: "50", sort: "price_desc" }));
    ok(cheap.items.every((i) => i.minPriceMinor <= 5000));
    ok(cheap.items[0].minPriceMinor >= cheap.items.at(-1)!.minPriceMinor);
    ok((await names({ stock: "1" })).includes("Borhani"));
    await stockLots(s, "BORHANI-250", []); // its lots on hold: nothing to sell
    ok(!(await names({ stock: "1" })).includes("Borhani"));
    // Unparsable parameters fall back instead of failing.
    equal(q({ page: "-3", sort: "weird", min: "abc" }).page, 1);
  });
});

Deno.test("search: finds the right products among 10,000", async () => {
  await withShop(async (s) => {
    await seedShop(s.sql, { extraProducts: 10_000 });
    const [{ n }] = await s.sql`select count(*)::int as n from shop_products`;
    equal(n, 10_015);
    const r = await s.deps.shop.search(q({ q: "saffron kulfi" }));
    ok(r.total > 0);
    ok(
      r.items.slice(0, 5).every((i) => /saffron|kulfi/i.test(i.nameEn)),
      r.items.map((i) => i.nameEn).join(),
    );
    const page3 = await s.deps.shop.search(q({ category: "milk", page: "3" }));
    equal(page3.items.length, 24);
  });
});
