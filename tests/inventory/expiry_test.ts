/**
 * Near expiry: the list holds exactly the lots with stock expiring within N days of today (by the
 * injected clock), expired ones first; the alerts go once per lot to the warehouse staff through
 * the outbox, however often they run.
 */
import { deepEqual, equal, match } from "node:assert/strict";
import { items, lot, staff, withStockApp } from "./screens_helpers.ts";

Deno.test("near expiry: the right lots, soonest first; alerts once per lot to warehouse staff", async () => {
  await withStockApp(async (t) => {
    await items(t);
    const expired = await lot(t, "FG-YOG-CUP", 12, { code: "YOG-OLD", producedOn: "2026-02-25" }); // 03-07
    const today = await lot(t, "FG-YOG-CUP", 12, { code: "YOG-TODAY", producedOn: "2026-02-28" }); // 03-10
    const soon = await lot(t, "RAW-MILK", 5000, { code: "MILK-SOON", producedOn: "2026-03-10" }); // 03-12
    await lot(t, "FG-YOG-CUP", 12, { code: "YOG-LATER", producedOn: "2026-03-09" }); // 03-19
    const gone = await lot(t, "FG-YOG-CUP", 12, { code: "YOG-GONE", producedOn: "2026-03-01" }); // 03-11
    await t.deps.inventory.scrap({
      lot: gone.lotCode,
      location: "PLANT-COLD1",
      qty: "1",
      unit: "crate",
      reason: "sample",
    }, { id: null, name: "t" });

    const inv = t.deps.inventory;
    deepEqual((await inv.expiring(3)).map((r) => r.lotCode), ["YOG-OLD", "YOG-TODAY", "MILK-SOON"]);
    deepEqual((await inv.expiring(0)).map((r) => r.lotCode), ["YOG-OLD", "YOG-TODAY"]);
    equal((await inv.expiring(30)).length, 4);

    const { b } = await staff(t, ["warehouse"], "+8801711000001");
    await staff(t, ["warehouse"]); // an e-mail contact
    await staff(t, ["sales"], "+8801711000009"); // not warehouse: no alert

    await b.get("/admin/inventory/expiry?days=3");
    match(b.html, /data-lot="YOG-OLD"/);
    match(b.html, /data-lot="MILK-SOON"/);
    equal(b.html.includes('data-lot="YOG-LATER"'), false);
    match(b.html, /expired/);

    let res = await b.post("/admin/inventory/expiry", { op: "alert" });
    equal(res.status, 303);
    equal(res.headers.get("location"), "/admin/inventory/expiry?sent=3");
    await b.get(res.headers.get("location")!);
    match(b.html, /Alerts sent for 3 lots/);
    const msgs = await t.db.sql`
      select recipient, body, channel from outbox_messages where template = 'inventory.expiry_alert'
      order by recipient`;
    equal(msgs.length, 6, "3 lots × 2 warehouse contacts");
    equal(msgs.filter((m) => m.recipient === "+8801711000009").length, 0);
    match(
      msgs.map((m) => m.body).join("\n"),
      /Lot MILK-SOON \(Raw milk\) expires 2026-03-12: 5 L at PLANT-COLD1/,
    );

    // Again: nothing new.
    res = await b.post("/admin/inventory/expiry", { op: "alert" });
    equal(res.headers.get("location"), "/admin/inventory/expiry?sent=0");
    equal(
      (await t.db
        .sql`select count(*)::int as n from outbox_messages where template = 'inventory.expiry_alert'`)[
          0
        ].n,
      6,
    );
    // A later day brings the next lot in, once.
    equal(expired.lotId > 0 && today.lotId > 0 && soon.lotId > 0, true);
    const { lots } = await inv.sendExpiryAlerts(10);
    equal(lots, 1); // YOG-LATER

    // Bad days: a message, not a 500.
    res = await b.get("/admin/inventory/expiry?days=abc");
    equal(res.status, 200);
    match(b.html, /from 0 to 365/);
  });
});
