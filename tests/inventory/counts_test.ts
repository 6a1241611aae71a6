/**
 * Cycle counts: the sheet expects what the ledger holds; the counter enters what is found and
 * submits; the counter cannot approve their own count, a second person can — and the variance
 * becomes count moves that change stock; a rejected count moves nothing. Audited.
 */
import { equal, match } from "node:assert/strict";
import { ledgerMismatches } from "@/services/inventory/ledger.ts";
import { items, lot, onHand, staff, withStockApp } from "./screens_helpers.ts";
import type { TestApp } from "@/tests/helpers/app.ts";

/** A warehouse person who starts a count of `location` from the counts page: the sheet's path. */
async function startSheet(t: TestApp, location: string) {
  const { b } = await staff(t, ["warehouse"]);
  const res = await b.submit("/admin/inventory/counts", { op: "start", location });
  equal(res.status, 303);
  const sheet = res.headers.get("location")!;
  await b.get(sheet);
  return { b, sheet };
}

Deno.test("count: variance approved by a second person adjusts stock", async () => {
  await withStockApp(async (t) => {
    await items(t);
    const cups = await lot(t, "FG-YOG-CUP", 36, { location: "DEPOT-DHK" });
    const milk = await lot(t, "RAW-MILK", 10_000, { location: "DEPOT-DHK" });
    const { b, sheet } = await startSheet(t, "DEPOT-DHK");
    match(b.html, /data-lot="[^"]+"/);
    match(b.html, /3 crate/); // 36 pc expected, shown in crates too

    // A second count of the same place is refused while this one is open.
    let res = await b.submit("/admin/inventory/counts", { op: "start", location: "DEPOT-DHK" });
    equal(res.status, 409);
    match(b.html, /is open already/);

    // Submitting with a lot not counted is refused.
    res = await b.submit(sheet, {
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

    res = await b.submit(sheet, {
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
    res = await second.b.submit(sheet, { op: "approve" });
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

Deno.test("count: a lot found where the ledger has none is added to the sheet and approved into the location", async () => {
  await withStockApp(async (t) => {
    await items(t);
    const sql = t.db.sql;
    const shelf = await lot(t, "FG-YOG-CUP", 24, { location: "DEPOT-DHK" });
    // A lot the ledger keeps at the plant, found on the depot's shelf too.
    const stray = await lot(t, "FG-YOG-CUP", 50, { location: "PLANT-COLD1" });
    const milk = await lot(t, "RAW-MILK", 5_000, { location: "PLANT-COLD1" });
    const { b, sheet } = await startSheet(t, "DEPOT-DHK");
    match(b.html, /Add a lot found here/);
    equal(b.html.includes(`data-lot="${stray.lotCode}"`), false);

    /** Posts the "found lot" form; the answer must have `status` (and say `text`). */
    const add = async (form: Record<string, string>, status: number, text?: RegExp) => {
      const r = await b.submit(sheet, { op: "addLine", unit: "pc", ...form });
      equal(r.status, status, b.html.slice(0, 300));
      if (text) match(b.html, text);
      return r;
    };
    // Refused, nothing written: an unknown lot, a lot of another item, neither code nor item,
    // a lot already on the sheet, a new lot without the expiry its item needs, a taken code.
    await add({ lotCode: "NO-SUCH-LOT", qty: "3" }, 422, /There is no lot NO-SUCH-LOT/);
    await add(
      { lotCode: milk.lotCode, item: "FG-YOG-CUP", qty: "3" },
      422,
      /is not of item FG-YOG-CUP/,
    );
    await add({ qty: "3" }, 422, /Enter the lot code, or choose the item/);
    await add({ lotCode: shelf.lotCode, qty: "3" }, 409, /on this sheet already/);
    await add(
      { item: "FG-YOG-CUP", qty: "6" },
      422,
      /enter the lot&#39;s expiry|enter the lot's expiry/,
    );
    await add({ item: "FG-NOPE", qty: "6" }, 422, /There is no item FG-NOPE/);
    await add(
      { item: "FG-YOG-CUP", newLotCode: stray.lotCode, expiresOn: "2026-03-18", qty: "6" },
      409,
      /is used already/,
    );
    await add({ item: "FG-YOG-CUP", expiresOn: "18/03/2026", qty: "6" }, 422, /YYYY-MM-DD/);
    await add({ lotCode: stray.lotCode, qty: "-1" }, 422, /Enter a quantity as a number/);
    equal((await t.deps.inventory.count(Number(sheet.split("/").pop())))!.lines.length, 1);

    // Added: the stray lot by its code (one crate), and a lot nobody recorded (item + expiry).
    let res = await add(
      { lotCode: stray.lotCode, item: "FG-YOG-CUP", qty: "1", unit: "crate" },
      303,
    );
    await b.get(res.headers.get("location")!);
    match(b.html, /The lot was added to the sheet/);
    await add(
      { item: "FG-YOG-CUP", newLotCode: "fg-yog-found-1", expiresOn: "2026-03-15", qty: "8" },
      303,
    );
    await b.get(sheet);
    match(b.html, new RegExp(`data-lot="${stray.lotCode}"`));
    match(b.html, /data-lot="FG-YOG-FOUND-1"/);
    match(b.html, /data-variance="12"/);
    match(b.html, /data-variance="8"/);
    const [found] = await sql`select id, expires_on::text as exp, status, ref_kind from inv_lots
                              where code = 'FG-YOG-FOUND-1'`;
    equal(found.exp, "2026-03-15");
    equal(found.ref_kind, "count");

    // Submitted with the shelf lot counted, approved by a second person: positive count moves
    // into the depot; the plant's stock of the stray lot is untouched.
    res = await b.post(sheet, {
      op: "submit",
      [`counted.${shelf.lotId}`]: "24",
      [`unit.${shelf.lotId}`]: "pc",
    });
    equal(res.status, 303, b.html.slice(0, 500));
    const second = await staff(t, ["warehouse"]);
    res = await second.b.submit(sheet, { op: "approve" });
    equal(res.status, 303);
    equal((await onHand(t, stray.lotId))["DEPOT-DHK"], 12);
    equal((await onHand(t, stray.lotId))["PLANT-COLD1"], 50);
    equal((await onHand(t, Number(found.id)))["DEPOT-DHK"], 8);
    equal((await ledgerMismatches(sql)).length, 0);
    const moves = await sql`select qty from inv_moves where kind = 'count' order by qty`;
    equal(moves.map((m) => m.qty).join(","), "8,12");
    const [audit] = await sql`select count(*)::int as n from audit_log
                              where action = 'inventory.count_line_added'`;
    equal(audit.n, 2);
    // The sheet is closed: nothing more can be added.
    res = await second.b.post(sheet, {
      op: "addLine",
      lotCode: stray.lotCode,
      qty: "1",
      unit: "pc",
    });
    equal(res.status, 409);
  });
});
