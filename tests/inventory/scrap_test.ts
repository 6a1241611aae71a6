/** Scrap: reduces the lot at its location with a reason, audited; refuses more than is free. */
import { equal, match } from "node:assert/strict";
import { ledgerMismatches } from "@/services/inventory/ledger.ts";
import { items, lot, onHand, staff, withStockApp } from "./screens_helpers.ts";

Deno.test("scrap: reduces stock with a reason; held lots too; never more than free", async () => {
  await withStockApp(async (t) => {
    await items(t);
    const milk = await lot(t, "RAW-MILK", 40_000, { location: "PLANT-SILO" });
    const { b, user } = await staff(t, ["warehouse"]);

    let res = await b.submit("/admin/inventory/scrap", {
      op: "scrap",
      lot: milk.lotCode.toLowerCase(),
      location: "PLANT-SILO",
      qty: "2.5",
      unit: "l",
      reason: "damaged",
      note: "valve leak",
    });
    equal(res.status, 303, b.html.slice(0, 400));
    equal((await onHand(t, milk.lotId))["PLANT-SILO"], 37_500);
    await b.get("/admin/inventory/scrap?done=scrapped");
    match(b.html, /The stock was scrapped/);
    match(b.html, /2\.5 L/);
    match(b.html, /valve leak/);
    const [a] = await t.db
      .sql`select actor_id::text, data from audit_log where action = 'inventory.scrapped'`;
    equal(a.actor_id, user.id);
    equal((a.data as { reason: string }).reason, "damaged");

    // A lot on hold (cold chain) can be scrapped from its page.
    await t.deps.inventory.setLotStatus({
      lotId: milk.lotId,
      status: "hold",
      reason: "alarm",
      actor: { id: null, name: "iot" },
    });
    res = await b.submit(`/admin/inventory/lots/${milk.lotId}`, {
      op: "scrap",
      location: "PLANT-SILO",
      qty: "7500",
      unit: "ml",
      reason: "cold_chain",
    });
    equal(res.status, 303);
    equal((await onHand(t, milk.lotId))["PLANT-SILO"], 30_000);

    // More than on hand, no reason, bad quantity, unknown lot: 4xx with a message.
    await b.get("/admin/inventory/scrap");
    const post = (f: Record<string, string>) =>
      b.post("/admin/inventory/scrap", {
        op: "scrap",
        location: "PLANT-SILO",
        unit: "l",
        reason: "expired",
        ...f,
      });
    res = await post({ lot: milk.lotCode, qty: "31" });
    equal(res.status, 409);
    match(b.html, /Only 30 L of lot/);
    res = await post({ lot: milk.lotCode, qty: "1", reason: "" });
    equal(res.status, 422);
    match(b.html, /Choose a reason/);
    res = await post({ lot: milk.lotCode, qty: "0" });
    equal(res.status, 422);
    match(b.html, /more than zero/);
    res = await post({ lot: milk.lotCode, qty: "0.0001" });
    equal(res.status, 422);
    match(b.html, /not a whole number of ml/);
    res = await post({ lot: "NOPE-1", qty: "1" });
    equal(res.status, 422);
    match(b.html, /There is no lot NOPE-1/);
    res = await post({ lot: milk.lotCode, qty: "1", location: "DEPOT-DHK" });
    equal(res.status, 409);
    match(b.html, /has no stock at DEPOT-DHK/);
    equal((await onHand(t, milk.lotId))["PLANT-SILO"], 30_000);
    equal((await ledgerMismatches(t.db.sql)).length, 0);
  });
});
