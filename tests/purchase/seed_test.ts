/** The purchasing demo data: orders in every state, a bill awaiting approval, reorder proposals. */
import { deepStrictEqual as equal, ok } from "node:assert/strict";
import { withTestDb } from "../helpers/db.ts";
import { seedPurchase } from "@/services/purchase/seed.ts";
import { createInventory } from "@/services/inventory/mod.ts";
import { createPurchase, inventoryForPurchase } from "@/services/purchase/mod.ts";

Deno.test("the purchasing demo seed shows every state and runs once", async () => {
  await withTestDb(async (db) => {
    equal((await seedPurchase(db.sql)).skipped, false);
    equal((await seedPurchase(db.sql)).skipped, true);
    const purchase = createPurchase({
      sql: db.sql,
      inventory: inventoryForPurchase(createInventory({ sql: db.sql })),
    });
    equal((await purchase.listSuppliers()).length, 6);
    equal(
      (await purchase.listOrders()).map((o) => o.status).sort(),
      ["closed", "draft", "partially_received", "sent"],
    );
    const bills = await purchase.listBills();
    equal(bills.map((b) => [b.status, b.matchStatus]).sort(), [
      ["approved", "matched"],
      ["entered", "mismatch"],
    ]);
    equal(bills.find((b) => b.status === "entered")!.lines[0].match, "price_mismatch");
    equal((await purchase.listRequests({ status: "open" })).length, 1);
    const proposals = await purchase.reorderProposals();
    ok(proposals.some((p) => p.lines.some((l) => l.itemCode === "PKG-POUCH-1L")));
    // The feed received 12 days ago covers its reorder point: no proposal for it.
    ok(!proposals.some((p) => p.lines.some((l) => l.itemCode === "FEED-DAIRY-MIX")));
  });
});
