/** The demo's production data: a BoM for every seeded shop product, five orders, run once. */
import { deepStrictEqual as equal, ok } from "node:assert/strict";
import { withTestDb } from "../helpers/db.ts";
import { seedProduction } from "@/services/production/mod.ts";
import { doorsOn, NOW } from "./_helpers.ts";

Deno.test("demo production: BoMs for the shop's products, finished, flagged, started and planned orders", async () => {
  await withTestDb(async (db) => {
    const d = doorsOn(db.sql);
    const r = await seedProduction(db.sql, d.inventory.port, { now: NOW });
    equal(r.skipped, false);
    const boms = await d.production.listBoms();
    for (
      const sku of ["MILK-1000", "SDOI-500", "BUTU-200", "GHEE-500", "PANEER-200", "BORHANI-250"]
    ) {
      ok(boms.some((b) => b.outputItemCode === `FG-${sku}` && b.inForce), sku);
    }
    equal(boms.find((b) => b.outputItemCode === "FG-MILK-1000")?.versions, 2);
    const orders = await d.production.listOrders();
    equal(orders.map((o) => o.status).sort(), [
      "finished",
      "finished",
      "finished",
      "planned",
      "started",
    ]);
    equal(orders.filter((o) => o.flagged).map((o) => o.outputItemCode), ["FG-PANEER-200"]);
    const paneer = await d.production.getOrder(orders.find((o) => o.flagged)!.id);
    equal(paneer.outputs.map((o) => o.kind), ["product", "byproduct"]);
    const butter = await d.production.mushak43("FG-BUTU-200");
    equal(butter.byproducts.map((b) => b.itemCode), ["BYP-BUTTERMILK"]);
    equal((await seedProduction(db.sql, d.inventory.port, { now: NOW })).skipped, true);
    equal(await d.inventory.ledgerMismatches(), []);
  });
});
