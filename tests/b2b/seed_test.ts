/** The B2B demo data (issue 14 §8): approved accounts with outlets, prices, standing orders and invoices. */
import { equal, ok } from "node:assert/strict";
import { withShop } from "@/tests/shop/_helpers.ts";
import { seedIdentity } from "@/scripts/seed.ts";
import { seedB2b } from "@/scripts/seed_b2b.ts";

Deno.test("b2b demo: three approved accounts with outlets, contract prices, standing orders and invoices", async () => {
  await withShop(async (s) => {
    await seedIdentity(s.sql, s.deps.keyring, {
      adminPassword: "x".repeat(20),
      demoPassword: "y".repeat(16),
    });
    const now = s.clock.now();
    const logs: string[] = [];
    await seedB2b(s.deps, s.clock, now, (m) => logs.push(m));
    const b2b = s.deps.b2b;
    const accounts = (await b2b.listAccounts("active")).map((a) => a.company).sort();
    equal(accounts.join(", "), "Banani Café, Dhaka Sweets, Lake View Hotel");
    const dhaka = (await b2b.listAccounts("active")).find((a) => a.company === "Dhaka Sweets")!;
    const outlets = await b2b.outletDetails(dhaka.id);
    equal(outlets.length, 2);
    equal(outlets[0].zoneCode, "dhanmondi");
    equal((await b2b.members(dhaka.id)).map((m) => m.role).sort().join(","), "admin,buyer");
    ok((await b2b.priceRows(dhaka)).some((p) => p.accountId === dhaka.id && p.minQty === 50));
    equal((await b2b.standingOrders(dhaka.id)).length, 4);
    const delivered = (await b2b.orders({ accountId: dhaka.id })).filter((o) =>
      o.status === "delivered" && o.invoiceNumber
    );
    equal(delivered.length, 5, logs.join("\n"));
    ok(!logs.some((l) => l.includes("not placed")), logs.join("\n"));
    const banani = (await b2b.listAccounts("active")).find((a) => a.company === "Banani Café")!;
    ok((await b2b.exposure(banani.id)).overdueMinor > 0, "7-day terms: some invoices overdue");
    // The demo's sales user has every demo outlet on their phone page (/field).
    const sales = await s.deps.identity.findUserByIdentifier("sales@smartdairy.test");
    const route = await b2b.routeOf(sales!.id);
    ok(route.some((o) => o.company === "Banani Café" && o.overdueMinor > 0), "overdue to collect");
    equal(new Set(route.map((o) => o.company)).size, 3);
    // Twice: nothing more.
    await seedB2b(s.deps, s.clock, now, () => {});
    equal((await b2b.listAccounts(null)).length, 3);
  });
});
