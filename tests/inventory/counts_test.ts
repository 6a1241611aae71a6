/**
 * Cycle counts: the sheet expects what the ledger holds; the counter enters what is found and
 * submits; the counter cannot approve their own count, a second person can — and the variance
 * becomes count moves that change stock; a rejected count moves nothing. Audited.
 */
import { equal, match } from "node:assert/strict";
import { ledgerMismatches } from "@/services/inventory/ledger.ts";
import { items, lot, onHand, staff, withStockApp } from "./screens_helpers.ts";

Deno.test("count: variance approved by a second person adjusts stock", async () => {
  await withStockApp(async (t) => {
    await items(t);
    const cups = await lot(t, "FG-YOG-CUP", 36, { location: "DEPOT-DHK" });
    const milk = await lot(t, "RAW-MILK", 10_000, { location: "DEPOT-DHK" });
    const counter = await staff(t, ["warehouse"]);
    const b = counter.b;

    await b.get("/admin/inventory/counts");
    let res = await b.post("/admin/inventory/counts", { op: "start", location: "DEPOT-DHK" });
    equal(res.status, 303);
    const sheet = res.headers.get("location")!;
    await b.get(sheet);
    match(b.html, /data-lot="[^"]+"/);
    match(b.html, /3 crate/); // 36 pc expected, shown in crates too

    // A second count of the same place is refused while this one is open.
    await b.get("/admin/inventory/counts");
    res = await b.post("/admin/inventory/counts", { op: "start", location: "DEPOT-DHK" });
    equal(res.status, 409);
    match(b.html, /is open already/);

    // Submitting with a lot not counted is refused.
    await b.get(sheet);
    res = await b.post(sheet, {
      op: "submit",
      [`counted.${cups.lotId}`]: "2",
      [`unit.${cups.lotId}`]: "crate",
    });
    equal(res.status, 409);
    match(b.html, /every lot/);

    // Bad quantity: 4xx with the message on the line.
    res = await b.post(sheet, {
      op: "save",
      [`counted.${milk.lotId}`]: "-3",
      [`unit.${milk.lotId}`]: "l",
    });
    equal(res.status, 422);
    match(b.html, /Enter a quantity as a number/);

    await b.get(sheet);
    res = await b.post(sheet, {
      op: "submit",
      [`counted.${cups.lotId}`]: "2",
      [`unit.${cups.lotId}`]: "crate", // 24 found of 36
      [`counted.${milk.lotId}`]: "10.25",
      [`unit.${milk.lotId}`]: "l", // 250 ml more
    });
    equal(res.status, 303, b.html.slice(0, 500));
    await b.get(sheet);
    match(b.html, /data-variance="-12"/);
    match(b.html, /data-variance="250"/);

    // The counter may not approve their own count.
    res = await b.post(sheet, { op: "approve" });
    equal(res.status, 409);
    match(b.html, /Someone other than the counter/);
    equal((await onHand(t, cups.lotId))["DEPOT-DHK"], 36);

    const second = await staff(t, ["warehouse"]);
    await second.b.get(sheet);
    res = await second.b.post(sheet, { op: "approve" });
    equal(res.status, 303);
    equal((await onHand(t, cups.lotId))["DEPOT-DHK"], 24);
    equal((await onHand(t, milk.lotId))["DEPOT-DHK"], 10_250);
    equal((await ledgerMismatches(t.db.sql)).length, 0);
    const moves = await t.db.sql`select qty from inv_moves where kind = 'count' order by qty`;
    equal(moves.map((m) => m.qty).join(","), "-12,250");
    const [audit] = await t.db.sql`
      select data from audit_log where action = 'inventory.count_approved'`;
    equal((audit.data as { adjustments: unknown[] }).adjustments.length, 2);

    // Approved: no more changes.
    res = await second.b.post(sheet, { op: "approve" });
    equal(res.status, 409);
  });
});

Deno.test("count: a rejected count moves nothing; a manager may approve their own", async () => {
  await withStockApp(async (t) => {
    await items(t);
    const cups = await lot(t, "FG-YOG-CUP", 12, { location: "PLANT-DRY" });
    const inv = t.deps.inventory;
    const me = { id: crypto.randomUUID(), name: "Rahim" };
    const { id } = await inv.startCount("PLANT-DRY", me);
    await inv.recordCounted(id, [{ lotId: cups.lotId, qty: "11", unit: "pc" }]);
    await inv.submitCount(id, me);
    await inv.rejectCount(id, "Recount the top shelf", { id: crypto.randomUUID(), name: "Karim" });
    equal((await onHand(t, cups.lotId))["PLANT-DRY"], 12);
    equal((await inv.count(id))?.status, "rejected");

    const again = await inv.startCount("PLANT-DRY", me);
    await inv.recordCounted(again.id, [{ lotId: cups.lotId, qty: "1", unit: "crate" }]);
    await inv.submitCount(again.id, me);
    await inv.approveCount(again.id, { ...me, manager: true });
    equal((await onHand(t, cups.lotId))["PLANT-DRY"], 12, "no variance, no move");
    equal((await inv.count(again.id))?.status, "approved");
  });
});
