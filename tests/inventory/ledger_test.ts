/**
 * The balance cache is the ledger: after a random run of receipts, consumption, reservations,
 * releases, fulfilments and status changes, every (lot, location) balance equals the sum of its
 * moves and open reservations, and availability equals what the ledger gives. Concurrent orders
 * naming the same items in opposite orders neither deadlock nor oversell.
 */
import { deepStrictEqual as equal, ok } from "node:assert/strict";
import { withTestDb } from "../helpers/db.ts";
import { prng } from "@/services/platform/prng.ts";
import { actor, inventoryOn, lotOf, TODAY, yogurt } from "./_helpers.ts";

Deno.test("ledger: the balance cache equals the move ledger after a random run", async () => {
  await withTestDb(async (db) => {
    const inv = inventoryOn(db.sql);
    const codes = [await yogurt(inv, db.sql, "YOG-A"), await yogurt(inv, db.sql, "YOG-B")];
    const rnd = prng(12);
    const int = (n: number) => Math.floor(rnd() * n);
    const lots: number[] = [];
    const refs: string[] = [];
    for (let i = 0; i < 120; i++) {
      const op = int(6);
      const code = codes[int(2)];
      if (op === 0 || lots.length < 3) {
        const l = await lotOf(inv, db.sql, code, 1 + int(20), `2026-03-0${1 + int(9)}`, {
          location: ["PLANT-COLD1", "DEPOT-DHK", "PLANT-DRY"][int(3)],
        });
        lots.push(l.lotId);
      } else if (op === 1) {
        const id = `o-${i}`;
        const r = await inv.port.reserve(db.sql, {
          ref: { kind: "shop_order", id },
          lines: [{ itemCode: code, qty: 1 + int(6) }, { itemCode: codes[int(2)], qty: 1 }],
          on: TODAY,
        });
        if (r.ok) refs.push(id);
      } else if (op === 2 && refs.length) {
        await inv.port.releaseReservation(db.sql, {
          kind: "shop_order",
          id: refs.splice(int(refs.length), 1)[0],
        });
      } else if (op === 3 && refs.length) {
        await inv.port.fulfil(db.sql, {
          kind: "shop_order",
          id: refs.splice(int(refs.length), 1)[0],
        }, actor);
      } else if (op === 4) {
        const lot = (await inv.port.lot(db.sql, lots[int(lots.length)]))!;
        if (lot.available > 0) {
          await inv.port.consume(db.sql, {
            lotId: lot.id,
            qty: 1 + int(lot.available),
            reason: "scrap",
            ref: { kind: "scrap", id: `s-${i}` },
            actor,
          });
        }
      } else {
        await inv.port.setLotStatus(db.sql, {
          lotId: lots[int(lots.length)],
          status: rnd() < 0.3 ? "hold" : "released",
          reason: "random",
          actor,
        });
      }
    }
    equal(await inv.ledgerMismatches(), []);
    // Availability by SKU from the cache equals the ledger's own sum.
    const [{ n }] = await db.sql`
      select coalesce(sum(m.qty), 0)::int - coalesce((select sum(r.qty) from inv_reservations r
        join inv_lots l2 on l2.id = r.lot_id join inv_items i2 on i2.id = l2.item_id
        where r.status = 'open' and i2.shop_sku = 'YOG-A' and l2.status = 'released'
          and l2.expires_on >= ${TODAY}::date + i2.min_shelf_days), 0)::int as n
      from inv_moves m join inv_lots l on l.id = m.lot_id join inv_items i on i.id = l.item_id
      where i.shop_sku = 'YOG-A' and l.status = 'released'
        and l.expires_on >= ${TODAY}::date + i.min_shelf_days`;
    equal((await inv.port.availableBySku(["YOG-A"], TODAY)).get("YOG-A"), n);
  });
});

Deno.test("ledger: concurrent orders over two items in opposite orders never deadlock or oversell", async () => {
  await withTestDb(async (db) => {
    const inv = inventoryOn(db.sql);
    const a = await yogurt(inv, db.sql, "YOG-A");
    const b = await yogurt(inv, db.sql, "YOG-B");
    for (const [code, day] of [[a, "2026-03-05"], [a, "2026-03-07"], [b, "2026-03-06"]]) {
      await lotOf(inv, db.sql, code, 5, day);
    }
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        db.sql.begin((tx) =>
          inv.port.reserve(tx, {
            ref: { kind: "shop_order", id: `o-${i}` },
            lines: i % 2 ? [{ itemCode: a, qty: 1 }, { itemCode: b, qty: 1 }] : [
              { itemCode: b, qty: 1 },
              { itemCode: a, qty: 1 },
            ],
            on: TODAY,
          })
        )),
    );
    equal(results.filter((r) => r.ok).length, 5, "item B (5 units) limits the orders");
    ok(results.every((r) => r.ok || r.short.length > 0));
    equal(
      await inv.port.availableBySku(["YOG-A", "YOG-B"], TODAY),
      new Map([["YOG-A", 5], ["YOG-B", 0]]),
    );
    equal(await inv.ledgerMismatches(), []);
  });
});
