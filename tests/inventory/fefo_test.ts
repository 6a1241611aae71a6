/**
 * FEFO reservations on the ledger: earliest expiry first, never a held, expired or short-dated
 * lot; all-or-nothing; cancel gives the stock back; fulfil turns it into sales; the balance cache
 * always equals the ledger.
 */
import { deepStrictEqual as equal, ok, rejects } from "node:assert/strict";
import { withTestDb } from "../helpers/db.ts";
import { InventoryError } from "@/services/inventory/mod.ts";
import { actor, inventoryOn, lotOf, RAW_MILK, TODAY, yogurt } from "./_helpers.ts";

Deno.test("FEFO picks the earliest expiry and skips held, expired and short-dated lots", async () => {
  await withTestDb(async (db) => {
    const inv = inventoryOn(db.sql);
    const code = await yogurt(inv, db.sql);
    // expires 03-09: expired on 03-10
    await lotOf(inv, db.sql, code, 5, "2026-02-27");
    // expires 03-11: only 1 day left, item wants 2
    await lotOf(inv, db.sql, code, 5, "2026-03-01");
    const held = await lotOf(inv, db.sql, code, 5, "2026-03-02"); // expires 03-12, held
    await inv.port.setLotStatus(db.sql, {
      lotId: held.lotId,
      status: "hold",
      reason: "alarm",
      actor,
    });
    const late = await lotOf(inv, db.sql, code, 4, "2026-03-08", { location: "DEPOT-DHK" }); // 03-18
    const early = await lotOf(inv, db.sql, code, 3, "2026-03-04"); // 03-14
    // not sellable location: never for a shop order
    await lotOf(inv, db.sql, code, 50, "2026-03-05", { location: "VAN-1" });

    equal(
      await inv.port.availableBySku(["YOG-TEST", "NOPE"], TODAY),
      new Map([["YOG-TEST", 7], ["NOPE", 0]]),
    );

    const r = await inv.port.reserve(db.sql, {
      ref: { kind: "shop_order", id: "o-1" },
      lines: [{ shopSku: "YOG-TEST", qty: 5 }],
      on: TODAY,
    });
    ok(r.ok);
    equal(r.picks.map((p) => [p.lotId, p.qty, p.locationCode, p.expiresOn]), [
      [early.lotId, 3, "PLANT-COLD1", "2026-03-14"],
      [late.lotId, 2, "DEPOT-DHK", "2026-03-18"],
    ]);
    equal((await inv.port.availableBySku(["YOG-TEST"], TODAY)).get("YOG-TEST"), 2);

    // Line 0 takes 1 of the late lot's 2 free; line 1 wants 5 days of shelf life, which only the
    // late lot has (1 left): short, and nothing of the order is reserved.
    const picky = await inv.port.reserve(db.sql, {
      ref: { kind: "shop_order", id: "o-2" },
      lines: [{ itemCode: code, qty: 1 }, { shopSku: "YOG-TEST", qty: 3, minShelfDays: 5 }],
      on: TODAY,
    });
    equal(picky, { ok: false, short: [{ lineIndex: 1, wanted: 3, available: 1 }] });
    equal((await inv.port.availableBySku(["YOG-TEST"], TODAY)).get("YOG-TEST"), 2);

    await inv.port.releaseReservation(db.sql, { kind: "shop_order", id: "o-1" });
    equal((await inv.port.availableBySku(["YOG-TEST"], TODAY)).get("YOG-TEST"), 7);

    const again = await inv.port.reserve(db.sql, {
      ref: { kind: "shop_order", id: "o-3" },
      lines: [{ shopSku: "YOG-TEST", qty: 4 }],
      on: TODAY,
    });
    ok(again.ok);
    await inv.port.fulfil(db.sql, { kind: "shop_order", id: "o-3" }, actor);
    const e = await inv.port.lot(db.sql, early.lotId);
    equal([e?.onHand, e?.reserved, e?.available], [0, 0, 0]);
    const l = await inv.port.lot(db.sql, late.lotId);
    equal([l?.onHand, l?.reserved, l?.locationCode], [3, 0, "DEPOT-DHK"]);
    equal(await inv.ledgerMismatches(), []);
  });
});

Deno.test("consume takes from a released lot and refuses short or unreleased lots", async () => {
  await withTestDb(async (db) => {
    const inv = inventoryOn(db.sql);
    await inv.port.ensureItem(db.sql, RAW_MILK);
    const raw = await inv.port.receive(db.sql, {
      itemCode: "RAW-MILK",
      locationCode: "PLANT-SILO",
      qty: 100_000,
      producedOn: TODAY,
      ref: { kind: "intake", id: "tank-1" },
      actor,
      attrs: { fat: 4.1 },
    });
    const lot = await inv.port.lot(db.sql, raw.lotId);
    equal([lot?.status, lot?.expiresOn, lot?.attrs], ["quarantine", "2026-03-12", { fat: 4.1 }]);
    const ref = { kind: "production" as const, id: "po-1" };
    await rejects(
      inv.port.consume(db.sql, { lotId: raw.lotId, qty: 10, reason: "production", ref, actor }),
      (e) => e instanceof InventoryError && e.code === "not_released",
    );
    await inv.port.setLotStatus(db.sql, {
      lotId: raw.lotId,
      status: "released",
      reason: "QC ok",
      actor,
    });
    await inv.port.consume(db.sql, {
      lotId: raw.lotId,
      qty: 60_000,
      reason: "production",
      ref,
      actor,
    });
    await rejects(
      inv.port.consume(db.sql, { lotId: raw.lotId, qty: 40_001, reason: "production", ref, actor }),
      (e) => e instanceof InventoryError && e.code === "short",
    );
    equal((await inv.port.lot(db.sql, raw.lotId))?.onHand, 40_000);
    equal(await inv.ledgerMismatches(), []);
  });
});

Deno.test("holdAtLocation holds the lots stored at a location or watched by a device", async () => {
  await withTestDb(async (db) => {
    const inv = inventoryOn(db.sql);
    const code = await yogurt(inv, db.sql);
    const a = await lotOf(inv, db.sql, code, 5, TODAY);
    const b = await lotOf(inv, db.sql, code, 5, TODAY, { location: "DEPOT-DHK" });
    await db.sql`update inv_locations set device_id = 'cold1-sensor' where code = 'PLANT-COLD1'`;
    equal(
      await inv.port.holdAtLocation(db.sql, { deviceId: "cold1-sensor", reason: "28 °C", actor }),
      [a.lotId],
    );
    equal((await inv.port.lot(db.sql, a.lotId))?.status, "hold");
    equal((await inv.port.lot(db.sql, b.lotId))?.status, "released");
    equal((await inv.port.availableBySku(["YOG-TEST"], TODAY)).get("YOG-TEST"), 5);
  });
});

Deno.test("a lot put on hold hands its open reservations to the next lots (FEFO)", async () => {
  await withTestDb(async (db) => {
    const inv = inventoryOn(db.sql);
    const code = await yogurt(inv, db.sql);
    const early = await lotOf(inv, db.sql, code, 4, "2026-03-04");
    const late = await lotOf(inv, db.sql, code, 2, "2026-03-08", { location: "DEPOT-DHK" });
    const ref = { kind: "shop_order" as const, id: "o-1" };
    const r = await inv.port.reserve(db.sql, {
      ref,
      lines: [{ shopSku: "YOG-TEST", qty: 3 }],
      on: TODAY,
    });
    ok(r.ok);
    await inv.port.setLotStatus(db.sql, {
      lotId: early.lotId,
      status: "hold",
      reason: "28 °C",
      actor,
    });
    const picks = await inv.port.picksOf(db.sql, [ref]);
    equal(
      picks.map((p) => [p.lineIndex, p.lotId, p.qty]),
      [[0, late.lotId, 2]],
      "2 moved, 1 short",
    );
    equal((await inv.port.lot(db.sql, early.lotId))?.reserved, 0);
    equal((await inv.port.availableBySku(["YOG-TEST"], TODAY)).get("YOG-TEST"), 0);
    equal(await inv.ledgerMismatches(), []);
  });
});
