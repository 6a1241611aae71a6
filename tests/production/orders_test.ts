/**
 * Production orders on the inventory ledger: FEFO consumption, output lots in quarantine with
 * their expiry, lot links for lineage, yield and loss against the BoM (flagged beyond the
 * tolerance), and all-or-nothing starts when stock is short or a lot is not usable.
 */
import { deepStrictEqual as equal, ok, rejects } from "node:assert/strict";
import { withTestDb } from "../helpers/db.ts";
import { ProductionError } from "@/services/production/mod.ts";
import { actor, doorsOn, milkBom, milkItems, onHand, stock, TODAY } from "./_helpers.ts";

const rejectsWith = (p: Promise<unknown>, code: string, status: number, why = code) =>
  rejects(p, (e: unknown) => {
    ok(e instanceof ProductionError, String(e));
    equal([e.code, e.status], [code, status], why);
    return true;
  });

Deno.test("an order's consumption and output balance with its BoM within the loss; beyond it is flagged", async () => {
  await withTestDb(async (db) => {
    const sql = db.sql;
    const d = doorsOn(sql);
    await milkItems(d, sql);
    await d.production.saveBomVersion(milkBom(), actor);
    const held = await stock(d, sql, "RAW-MILK", 500_000, "2026-03-08", { status: "hold" });
    const a = await stock(d, sql, "RAW-MILK", 60_000, "2026-03-09", {
      attrs: { fat: 4.2, snf: 8.3 },
    });
    const b = await stock(d, sql, "RAW-MILK", 300_000, "2026-03-10", {
      attrs: { fat: 4, snf: 8.6 },
    });
    const pouches = await stock(d, sql, "PKG-POUCH-1L", 500, "2026-02-01");

    const o = await d.production.createOrder({
      outputItemCode: "FG-TMILK-1000",
      plannedQty: "100",
      plannedOn: TODAY,
    }, actor);
    equal(o.status, "planned");
    let detail = await d.production.getOrder(o.id);
    equal(detail.inputs.map((i) => [i.itemCode, i.requiredQty]), [
      ["RAW-MILK", 101_500],
      ["PKG-POUCH-1L", 101],
    ]);

    // The preview takes nothing; FEFO skips the held lot and starts with the earliest expiry.
    const plan = await d.production.previewPicks(o.id);
    ok(plan.ok);
    equal(plan.picks.map((p) => [p.lotId, p.qty]), [[a.lotId, 60_000], [b.lotId, 41_500], [
      pouches.lotId,
      101,
    ]]);
    equal(await onHand(d, sql, a.lotId), 60_000);
    equal(d.production.blendOf(plan.picks.slice(0, 2)), {
      ml: 101_500,
      fatPct: 4.12,
      snfPct: 8.42,
    });

    detail = await d.production.startOrder(o.id, { mode: "fefo", on: TODAY }, actor);
    equal(detail.order.status, "started");
    equal(detail.consumptions.map((c) => [c.lotCode, c.qty, c.picked]), [
      [a.lotCode, 60_000, "fefo"],
      [b.lotCode, 41_500, "fefo"],
      [pouches.lotCode, 101, "fefo"],
    ]);
    equal(await onHand(d, sql, a.lotId), 0);
    equal(await onHand(d, sql, b.lotId), 300_000 - 41_500);
    equal(await onHand(d, sql, held.lotId), 500_000);
    equal(await onHand(d, sql, pouches.lotId), 399);
    // A started order cannot start again.
    await rejectsWith(
      d.production.startOrder(o.id, { mode: "fefo", on: TODAY }, actor),
      "not_planned",
      409,
    );

    detail = await d.production.finishOrder(o.id, { actualQty: "100", producedOn: TODAY }, actor);
    equal(detail.order.status, "finished");
    equal(detail.yield, {
      expectedQty: 100,
      actualQty: 100,
      yieldBp: 10_000,
      lossBp: 150,
      bomLossBp: 150,
      toleranceBp: 100,
      flagged: false,
    });
    // Consumed = what the BoM asks for the output made.
    equal(detail.inputs.map((i) => [i.consumed, i.expectedForOutput]), [[101_500, 101_500], [
      101,
      101,
    ]]);
    const [out] = detail.outputs;
    equal([out.kind, out.itemCode, out.qty, out.expiresOn], [
      "product",
      "FG-TMILK-1000",
      100,
      "2026-03-13",
    ]);
    const lot = await d.inventory.port.lot(sql, out.lotId);
    equal([lot?.status, lot?.onHand, lot?.expiresOn], ["quarantine", 100, "2026-03-13"]);

    // Lineage: every consumed lot links to the output lot with the quantity it gave.
    const links = await sql<{ parent: string; qty: number; ref_id: string }[]>`
      select parent_lot_id::text as parent, qty, ref_id from inv_lot_links
      where child_lot_id = ${out.lotId} order by parent_lot_id`;
    equal(
      links.map((l) => [Number(l.parent), l.qty, l.ref_id]),
      [
        [a.lotId, 60_000, o.number],
        [b.lotId, 41_500, o.number],
        [pouches.lotId, 101, o.number],
      ].sort((x, y) => x[0] as number - (y[0] as number)),
    );

    // The same again, but only 95 pouches came out: 6.42 % lost, beyond 1.5 % + 1 %.
    const o2 = await d.production.createOrder({
      outputItemCode: "FG-TMILK-1000",
      plannedQty: "100",
      plannedOn: TODAY,
    }, actor);
    await d.production.startOrder(o2.id, { mode: "fefo", on: TODAY }, actor);
    const bad = await d.production.finishOrder(o2.id, { actualQty: 95, producedOn: TODAY }, actor);
    equal(bad.yield?.lossBp, 642);
    equal(bad.yield?.flagged, true);
    equal(
      (await d.production.listOrders({ status: "finished" })).map((r) => [r.number, r.flagged]),
      [
        [o2.number, true],
        [o.number, false],
      ],
    );
    equal(await d.inventory.ledgerMismatches(), []);
  });
});

Deno.test("start with short or unusable stock is refused (409) and nothing is written", async () => {
  await withTestDb(async (db) => {
    const sql = db.sql;
    const d = doorsOn(sql);
    await milkItems(d, sql);
    await d.production.saveBomVersion(milkBom(), actor);
    const milk = await stock(d, sql, "RAW-MILK", 200_000, "2026-03-09");
    const pouches = await stock(d, sql, "PKG-POUCH-1L", 50, "2026-02-01");
    const quarantined = await stock(d, sql, "PKG-POUCH-1L", 500, "2026-02-02", {
      status: "quarantine",
    });
    const o = await d.production.createOrder({
      outputItemCode: "FG-TMILK-1000",
      plannedQty: 100,
      plannedOn: TODAY,
    }, actor);

    const byHand = (picks: { lineNo: number; lotId: number; qty: number }[]) =>
      d.production.startOrder(o.id, { mode: "hand", on: TODAY, picks }, actor);
    const plan = await d.production.previewPicks(o.id);
    equal(plan, {
      ok: false,
      short: [{ lineNo: 2, itemCode: "PKG-POUCH-1L", wanted: 101, available: 50 }],
    });
    await rejectsWith(
      d.production.startOrder(o.id, { mode: "fefo", on: TODAY }, actor),
      "short",
      409,
    );
    const refusals: [string, Parameters<typeof byHand>[0], string, number][] = [
      [
        "a lot in quarantine is not usable",
        [
          { lineNo: 1, lotId: milk.lotId, qty: 101_500 },
          { lineNo: 2, lotId: quarantined.lotId, qty: 101 },
        ],
        "lot_status",
        409,
      ],
      [
        "the milk is taken first, then the pouch lot is short — the milk comes back too",
        [
          { lineNo: 1, lotId: milk.lotId, qty: 101_500 },
          { lineNo: 2, lotId: pouches.lotId, qty: 101 },
        ],
        "lot_short",
        409,
      ],
      ["a lot of another item", [{ lineNo: 2, lotId: milk.lotId, qty: 1 }], "lot_item", 409],
      ["a line without a lot", [{ lineNo: 1, lotId: milk.lotId, qty: 1 }], "no_picks", 422],
    ];
    for (const [why, picks, code, status] of refusals) {
      await rejectsWith(byHand(picks), code, status, why);
    }

    equal(await onHand(d, sql, milk.lotId), 200_000);
    equal(await onHand(d, sql, pouches.lotId), 50);
    equal((await d.production.getOrder(o.id)).order.status, "planned");
    equal((await d.production.getOrder(o.id)).consumptions, []);
    const [{ n }] = await sql<{ n: number }[]>`
      select count(*)::int as n from inv_reservations where status = 'open'`;
    equal(n, 0);
    equal(await d.inventory.ledgerMismatches(), []);

    // With the pouches released, the same hand-picked start goes through.
    await d.inventory.port.setLotStatus(sql, {
      lotId: quarantined.lotId,
      status: "released",
      reason: "QC passed",
      actor,
    });
    const started = await byHand([
      { lineNo: 1, lotId: milk.lotId, qty: 101_500 },
      { lineNo: 2, lotId: quarantined.lotId, qty: 101 },
    ]);
    equal(started.consumptions.map((c) => c.picked), ["hand", "hand"]);
    equal(await onHand(d, sql, milk.lotId), 98_500);
  });
});

Deno.test("bad order input is refused with field messages", async () => {
  await withTestDb(async (db) => {
    const sql = db.sql;
    const d = doorsOn(sql);
    await milkItems(d, sql);
    await d.production.saveBomVersion(milkBom(), actor);
    for (
      const [form, field] of [
        [{ outputItemCode: "FG-TMILK-1000", plannedQty: "0", plannedOn: TODAY }, "plannedQty"],
        [{ outputItemCode: "FG-TMILK-1000", plannedQty: "1.5", plannedOn: TODAY }, "plannedQty"],
        [
          { outputItemCode: "FG-TMILK-1000", plannedQty: "5", plannedOn: "2026-02-30" },
          "plannedOn",
        ],
        [{ outputItemCode: "", plannedQty: "5", plannedOn: TODAY }, "outputItemCode"],
        // 10⁹ pouches would need more milk than a line can hold
        [
          { outputItemCode: "FG-TMILK-1000", plannedQty: "1000000000", plannedOn: TODAY },
          "plannedQty",
        ],
        [
          {
            outputItemCode: "FG-TMILK-1000",
            plannedQty: "5",
            plannedOn: TODAY,
            outputLocation: "VAN-1",
          },
          "outputLocation",
        ],
      ] as const
    ) {
      await rejects(
        d.production.createOrder(form, actor),
        (e: Error & { fieldErrors?: object }) => {
          ok(e.fieldErrors && field in e.fieldErrors, `${field}: ${e.message}`);
          return true;
        },
      );
    }
    // A product with no BoM in force.
    await rejectsWith(
      d.production.createOrder({
        outputItemCode: "FG-TMILK-1000",
        plannedQty: 5,
        plannedOn: "2025-12-31",
      }, actor),
      "no_bom",
      409,
    );
    const o = await d.production.createOrder({
      outputItemCode: "FG-TMILK-1000",
      plannedQty: 5,
      plannedOn: TODAY,
    }, actor);
    await rejectsWith(
      d.production.finishOrder(o.id, { actualQty: 5, producedOn: TODAY }, actor),
      "not_started",
      409,
    );
    await d.production.cancelOrder(o.id, actor);
    equal((await d.production.getOrder(o.id)).order.status, "cancelled");
  });
});
