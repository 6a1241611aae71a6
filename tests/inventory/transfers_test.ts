/**
 * Transfers: a draft dispatched takes the stock out of the source, received puts it into the
 * destination; the Mushak 6.5 prints both locations' BINs and the lines; bad input is refused
 * with a message (same location, unknown lot, more than available), never a 500.
 */
import { equal, match, ok } from "node:assert/strict";
import { ledgerMismatches } from "@/services/inventory/ledger.ts";
import { items, lot, onHand, staff, withStockApp } from "./screens_helpers.ts";

Deno.test("transfer: dispatch takes stock out, receive puts it in; the Mushak 6.5 prints", async () => {
  await withStockApp(async (t) => {
    await items(t);
    const milk = await lot(t, "RAW-MILK", 500_000, { location: "PLANT-SILO" });
    const { b } = await staff(t, ["warehouse"]);

    const res = await b.submit("/admin/inventory/transfers/new", {
      op: "create",
      from: "PLANT-SILO",
      to: "PLANT-COLD1",
      vehicle: "DHAKA-METRO-TA-11-2233",
      "lines.0.lot": milk.lotCode,
      "lines.0.qty": "120.5",
      "lines.0.unit": "l",
    });
    equal(res.status, 303, b.html.slice(0, 300));
    const page = res.headers.get("location")!.split("?")[0];
    await b.get(page);
    match(b.html, /data-status="draft"/);
    match(b.html, /120\.5 L/);

    equal((await b.post(page, { op: "dispatch" })).status, 303);
    equal((await onHand(t, milk.lotId))["PLANT-SILO"], 500_000 - 120_500);
    equal((await onHand(t, milk.lotId))["PLANT-COLD1"] ?? 0, 0, "in transit");
    // A second dispatch is refused with the state, not a 500.
    const again = await b.post(page, { op: "dispatch" });
    equal(again.status, 409);
    match(b.html, /cannot be changed/);

    await b.get(page);
    equal((await b.post(page, { op: "receive" })).status, 303);
    equal((await onHand(t, milk.lotId))["PLANT-COLD1"], 120_500);
    equal((await ledgerMismatches(t.db.sql)).length, 0, "balances equal the ledger");

    // The lot page shows both transfer moves.
    await b.get(`/admin/inventory/lots/${milk.lotId}`);
    equal([...b.html.matchAll(/data-move="transfer"/g)].length, 2);

    // Mushak 6.5: both locations are VAT-registered in the seed.
    const print = await b.get(`${page}/mushak`);
    equal(print.status, 200);
    match(b.html, /data-mushak="6.5"/);
    match(b.html, /মূসক-৬\.৫/);
    match(b.html, /Mushak 6\.5/);
    match(b.html, /TR-2025-26-00001/);
    match(b.html, /000123456789/);
    match(b.html, /120\.5/);
    match(b.html, /DHAKA-METRO-TA-11-2233/);
    ok(!b.html.includes('aria-label="Admin"'), "printed without the back-office frame");

    // Audited.
    const [audit] = await t.db.sql`
      select count(*)::int as n from audit_log where action like 'inventory.transfer_%'`;
    equal(audit.n, 3);
  });
});

Deno.test("transfer: bad input is refused with a message (4xx), nothing moves", async () => {
  await withStockApp(async (t) => {
    await items(t);
    const cups = await lot(t, "FG-YOG-CUP", 24);
    const { b } = await staff(t, ["warehouse"]);
    await b.get("/admin/inventory/transfers/new");
    const post = (fields: Record<string, string>) =>
      b.post("/admin/inventory/transfers/new", { op: "create", ...fields });

    let res = await post({ from: "PLANT-COLD1", to: "PLANT-COLD1" });
    equal(res.status, 422);
    match(b.html, /two different locations/);

    res = await post({
      from: "PLANT-COLD1",
      to: "DEPOT-DHK",
      "lines.0.lot": "NO-SUCH",
      "lines.0.qty": "1",
      "lines.0.unit": "pc",
    });
    equal(res.status, 422);
    match(b.html, /There is no lot NO-SUCH/);

    res = await post({
      from: "PLANT-COLD1",
      to: "DEPOT-DHK",
      "lines.0.lot": cups.lotCode,
      "lines.0.qty": "3",
      "lines.0.unit": "crate",
    });
    equal(res.status, 409);
    match(b.html, /Only 24 pc \(2 crate\) of lot/);

    res = await post({
      from: "PLANT-COLD1",
      to: "DEPOT-DHK",
      "lines.0.lot": cups.lotCode,
      "lines.0.qty": "abc",
      "lines.0.unit": "pc",
    });
    equal(res.status, 422);
    match(b.html, /Enter a quantity as a number/);

    res = await post({
      from: "PLANT-COLD1",
      to: "DEPOT-DHK",
      "lines.0.lot": cups.lotCode,
      "lines.0.qty": "1",
      "lines.0.unit": "l",
    });
    equal(res.status, 422);
    match(b.html, /does not fit this item/);

    res = await post({ from: "NOWHERE", to: "DEPOT-DHK" });
    equal(res.status, 422);

    equal((await onHand(t, cups.lotId))["PLANT-COLD1"], 24);
    const [n] = await t.db.sql`select count(*)::int as n from inv_transfers`;
    equal(n.n, 0);
    equal((await b.get("/admin/inventory/transfers/999999")).status, 404);
    equal((await b.get("/admin/inventory/transfers/abc")).status, 404);
  });
});

Deno.test("transfer: a draft line taking more than is free by dispatch time is refused", async () => {
  await withStockApp(async (t) => {
    await items(t);
    const cups = await lot(t, "FG-YOG-CUP", 12);
    const inv = t.deps.inventory;
    const actor = { id: null, name: "a" };
    const { id } = await inv.createTransfer({
      from: "PLANT-COLD1",
      to: "DEPOT-DHK",
      lines: [{ lot: cups.lotCode, qty: "1", unit: "crate" }],
    }, actor);
    // Meanwhile someone scraps 2 of them.
    await inv.scrap({
      lot: cups.lotCode,
      location: "PLANT-COLD1",
      qty: "2",
      unit: "pc",
      reason: "damaged",
    }, actor);
    let err: unknown;
    await inv.dispatchTransfer(id, actor).catch((e) => (err = e));
    equal((err as { code?: string })?.code, "moreThanOnHand");
    equal((await onHand(t, cups.lotId))["PLANT-COLD1"], 10);
    equal((await inv.transfer(id))?.status, "draft");
  });
});
