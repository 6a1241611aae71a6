/**
 * Consumption for the farm (issue 12 §8): reason `farm_use`, ref kind `farm`; only released,
 * unexpired lots, only the stock at the farm's locations; `freeLots` lists what a FEFO draw
 * would take, earliest expiry first.
 */
import { deepStrictEqual as equal, rejects } from "node:assert/strict";
import { withTestDb } from "../helpers/db.ts";
import { InventoryError } from "@/services/inventory/mod.ts";
import { actor, FEED_MIX, inventoryOn, lotOf, TODAY } from "./_helpers.ts";

Deno.test("farm use: released, unexpired lots at the farm store only, earliest expiry first", async () => {
  await withTestDb(async (db) => {
    const inv = inventoryOn(db.sql);
    await inv.port.ensureItem(db.sql, FEED_MIX);
    const at = (location: string) => ({ location });
    const late = await lotOf(inv, db.sql, FEED_MIX.code, 9_000, "2026-03-01", at("FARM-STORE"));
    const early = await lotOf(inv, db.sql, FEED_MIX.code, 4_000, "2026-02-20", at("FARM-STORE"));
    const old = await lotOf(inv, db.sql, FEED_MIX.code, 4_000, "2026-01-01", at("FARM-STORE"));
    const away = await lotOf(inv, db.sql, FEED_MIX.code, 7_000, "2026-03-05", at("PLANT-DRY"));
    const free = await inv.port.freeLots(db.sql, {
      itemCodes: [FEED_MIX.code],
      locationCodes: ["FARM-STORE"],
      on: TODAY,
    });
    equal(free.map((l) => [l.lotId, l.available]), [[early.lotId, 4_000], [late.lotId, 9_000]]);
    const ref = { kind: "farm" as const, id: "feeding:1" };
    const use = (lotId: number, qty: number) =>
      inv.port.consume(db.sql, {
        lotId,
        qty,
        reason: "farm_use",
        ref,
        actor,
        on: TODAY,
        locationCodes: ["FARM-STORE"],
      });
    await use(early.lotId, 1_500);
    equal((await inv.port.lot(db.sql, early.lotId))!.onHand, 2_500);
    await rejects(use(old.lotId, 1), (e) => e instanceof InventoryError && e.code === "expired");
    await rejects(use(away.lotId, 1), (e) => e instanceof InventoryError && e.code === "short");
    await inv.port.setLotStatus(db.sql, { lotId: late.lotId, status: "hold", reason: "QC", actor });
    await rejects(
      use(late.lotId, 1),
      (e) => e instanceof InventoryError && e.code === "not_released",
    );
    const [move] = await db.sql`
      select kind, ref_kind, ref_id, qty from inv_moves where ref_kind = 'farm'`;
    equal({ ...move }, { kind: "consume", ref_kind: "farm", ref_id: "feeding:1", qty: -1_500 });
    equal(await inv.ledgerMismatches(), []);
  });
});
