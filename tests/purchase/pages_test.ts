import { staffBrowser } from "@/tests/identity/_web.ts";
/**
 * The purchasing screens: only purchase.manage gets in; a warehouse clerk adds a supplier (a bad
 * BIN is refused on the form), orders, receives part of it into lots, prints the order, enters a
 * bill that does not match and approves it with a reason. Bad input answers 4xx, never 500.
 */
import { deepStrictEqual as equal, match, ok } from "node:assert/strict";
import "@/tests/identity/_fixtures.ts";
import { withTestApp } from "../helpers/app.ts";
import { Browser } from "@/tests/identity/_web.ts";

const staff = staffBrowser;

const PAGES = [
  "/admin/purchase/orders",
  "/admin/purchase/suppliers",
  "/admin/purchase/requests",
  "/admin/purchase/receipts",
  "/admin/purchase/bills",
  "/admin/purchase/reorder",
];

Deno.test("purchasing pages refuse people without purchase.manage", async () => {
  await withTestApp(async (t) => {
    const anon = new Browser(t);
    equal((await anon.get("/admin/purchase/orders")).status, 303);
    const sales = await staff(t, ["sales"]);
    const production = await staff(t, ["production"]);
    for (const p of PAGES) {
      equal((await sales.get(p)).status, 403, p);
      equal((await production.get(p)).status, 403, p);
    }
    equal(
      (await sales.post("/admin/purchase/suppliers", { name: "X", category: "feed" })).status,
      403,
    );
    const clerk = await staff(t, ["warehouse"]);
    for (const p of PAGES) equal((await clerk.get(p)).status, 200, p);
    match(clerk.html, /Reorder proposals/);
  });
});

Deno.test("a warehouse clerk orders, receives part, prints and gets a mismatched bill approved", async () => {
  await withTestApp(async (t) => {
    await t.deps.inventory.port.ensureItem(t.db.sql, {
      code: "ING-SUGAR",
      nameEn: "Sugar",
      nameBn: "চিনি",
      kind: "ingredient",
      base: "g",
      shelfLifeDays: 365,
    });
    const b = await staff(t, ["warehouse"]);
    await b.get("/admin/purchase/suppliers");
    const sugarMills = (fields: Record<string, string>) =>
      b.post("/admin/purchase/suppliers", {
        name: "Deshbandhu Sugar Mills",
        category: "ingredient",
        paymentTermsDays: "15",
        ...fields,
      });
    // A BIN of 12 digits is refused on the form, with the values kept.
    let res = await sugarMills({ bin: "123456789012" });
    equal(res.status, 422);
    match(b.html, /A BIN has 13 digits/);
    match(b.html, /Deshbandhu Sugar Mills/);
    res = await sugarMills({ bin: "1234567890123", active: "on" });
    equal(res.status, 303);
    const supplierPath = res.headers.get("location")!;
    match(supplierPath, /^\/admin\/purchase\/suppliers\/\d+$/);
    const supplierId = supplierPath.split("/").pop()!;

    // Bangla page, then a price in the supplier's price list.
    await b.get(supplierPath, { cookie: `${b.cookieHeader()}; lang=bn` });
    match(b.html, /মূল্য তালিকা/);
    res = await b.post(supplierPath, {
      itemCode: "ing-sugar",
      unit: "kg",
      unitPriceMinor: "9500",
      vatRateBp: "1500",
      preferred: "on",
    });
    equal(res.status, 303);

    // An order of 50 kg at the list price, sent.
    res = await b.submit("/admin/purchase/orders", {
      supplierId,
      deliverTo: "PLANT-DRY",
      "lines.0.itemCode": "ING-SUGAR",
      "lines.0.qty": "50",
      "lines.0.unit": "kg",
    });
    equal(res.status, 303);
    const orderPath = res.headers.get("location")!;
    await b.get(orderPath);
    match(b.html, /PO-\d{4}-\d{5}/);
    equal((await b.post(orderPath, { action: "send" })).status, 303);

    // 20 kg arrive: a quarantined lot, the order partially received.
    await b.get(orderPath);
    const lineId = b.html.match(/name="lines\.0\.orderLineId" value="(\d+)"/)![1];
    res = await b.post(orderPath, {
      action: "receive",
      receivedOn: "2026-03-10",
      locationCode: "PLANT-DRY",
      "lines.0.orderLineId": lineId,
      "lines.0.qty": "20",
      "lines.0.supplierLot": "DSM-0931",
      "lines.0.expiresOn": "2027-03-01",
    });
    equal(res.status, 303);
    await b.get(res.headers.get("location")!);
    match(b.html, /Partially received/);
    match(b.html, /Quarantine/);
    // Over-receipt refused on the form (30 kg due, 5 % of 50 kg = 2.5 kg tolerance).
    res = await b.post(orderPath, {
      action: "receive",
      receivedOn: "2026-03-10",
      locationCode: "PLANT-DRY",
      "lines.0.orderLineId": lineId,
      "lines.0.qty": "33",
    });
    equal(res.status, 422);
    match(b.html, /at most 32\.5 kg more/);

    // The printable order stands alone (no back-office navigation) with its total.
    await b.get(`${orderPath}/print`);
    match(b.html, /data-po-number/);
    match(b.html, /৳5,462\.50/); // 50 kg × ৳95 = ৳4,750 + 15 % VAT ৳712.50
    ok(!b.html.includes("Audit log"));

    // A bill for 25 kg (20 received): quantity mismatch, approval needs a reason.
    await b.get(`/admin/purchase/bills/new?order=${orderPath.split("/").pop()}`);
    res = await b.post("/admin/purchase/bills/new", {
      orderId: orderPath.split("/").pop()!,
      billNumber: "DSM/2026/118",
      billDate: "2026-03-11",
      "lines.0.orderLineId": lineId,
      "lines.0.qty": "25",
    });
    equal(res.status, 303);
    const billPath = res.headers.get("location")!;
    await b.get(billPath);
    match(b.html, /Quantity mismatch/);
    res = await b.post(billPath, { action: "approve", reason: "" });
    equal(res.status, 422);
    match(b.html, /give a reason/);
    res = await b.post(billPath, { action: "approve", reason: "Rest delivered to the farm gate" });
    equal(res.status, 303);
    await b.get(billPath);
    match(b.html, /data-bill-status="approved"/);
    const feed = await t.deps.purchase.approvedBillsAfter(0);
    equal(feed.bills.map((x) => [x.billNumber, x.vatMinor]), [["DSM/2026/118", 35_625]]);
  });
});

Deno.test("bad input on the purchasing pages answers 4xx", async () => {
  await withTestApp(async (t) => {
    const b = await staff(t, ["warehouse"]);
    for (
      const path of [
        "/admin/purchase/orders/abc",
        "/admin/purchase/orders/999999",
        "/admin/purchase/orders/99999999999999999999/print",
        "/admin/purchase/bills/new?order=x",
        "/admin/purchase/suppliers/0",
      ]
    ) {
      equal((await b.get(path)).status, 404, path);
    }
    // Each form, opened then posted with nonsense: the status it answers ("4xx" = any 4xx).
    const refused: [page: string, form: Record<string, string>, status: number | "4xx"][] = [
      ["/admin/purchase/orders", {
        supplierId: "\u0000",
        deliverTo: "x".repeat(5000),
        "lines.0.itemCode": "NOPE",
        "lines.0.qty": "-1e309",
      }, "4xx"],
      ["/admin/purchase/requests", {
        action: "create",
        itemCode: "NOPE",
        unit: "kg",
        qty: "1",
        neededBy: "2026-02-30",
        reason: "x",
      }, 422],
      ["/admin/purchase/requests", { action: "approve", id: "abc" }, 400],
      ["/admin/purchase/reorder", { supplierId: "zz" }, 400],
      ["/admin/purchase/reorder", { supplierId: "12345" }, 422],
      ["/admin/purchase/suppliers", {
        name: "",
        category: "toys",
        paymentTermsDays: "9999",
        contactEmail: "nope",
      }, 422],
    ];
    for (const [page, form, status] of refused) {
      const res = await b.submit(page, form);
      if (status === "4xx") ok(res.status >= 400 && res.status < 500, `${page}: ${res.status}`);
      else equal(res.status, status, page);
    }
  });
});
