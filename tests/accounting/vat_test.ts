/**
 * VAT (issue 13 §6): tax classes with dated rates, the registers (Mushak 6.1, 6.2) and the
 * return's figures (9.1) from a known sequence of operations posted through the ledger port (a
 * sale at two rates, a discounted sale, a supplier bill, the discounted sale refunded, a VAT
 * deducted at source certificate), and the documents behind each figure.
 */
import { deepStrictEqual as equal, ok, rejects } from "node:assert/strict";
import { withTestDb } from "../helpers/db.ts";
import type { Sql } from "@/services/platform/db.ts";
import { createAccounting, ValidationError, vatReturns } from "@/services/accounting/mod.ts";
import type { SaleEvent } from "@/services/accounting/port.ts";
import { actor, TWO_RATES_SALE } from "./_helpers.ts";

const at = (day: string) => new Date(`${day}T06:00:00Z`);
const booksOn = (sql: Sql, day: string) => createAccounting({ sql, clock: { now: () => at(day) } });

/** Ghee at 15 % with a ৳11.50 discount: ৳103.50 paid, of it ৳13.50 VAT on ৳90. */
const discounted: SaleEvent = {
  orderId: "22222222-2222-2222-2222-222222222222",
  orderNumber: "SD-1002",
  totalMinor: 10350,
  discountMinor: 1150,
  deliveryFeeMinor: 0,
  vatMinor: 1350,
  lines: [{ vatRateBp: 1500, lineTotalMinor: 10350, discountMinor: 1150, vatMinor: 1350 }],
};

async function accountNet(sql: Sql, code: string, from: string, to: string) {
  const [r] = await sql`
    select coalesce(sum(l.credit_minor - l.debit_minor), 0)::bigint as v
      from acc_entry_lines l join acc_accounts a on a.id = l.account_id
     where a.code = ${code} and l.entry_date between ${from}::date and ${to}::date`;
  return Number(r.v);
}

/** November: two sales, a bill at 10 %, the second sale refunded, a 6.6 certificate. */
async function november(sql: Sql) {
  const books = booksOn(sql, "2026-11-10");
  await sql.begin((tx) => books.ledger.shopSale(tx, TWO_RATES_SALE));
  await sql.begin((tx) => books.ledger.shopSale(tx, discounted));
  await sql.begin((tx) =>
    books.ledger.supplierBill(tx, {
      billId: 7,
      billNumber: "INV-77",
      supplierId: 3,
      lines: [{ receivedValueMinor: 10000, netMinor: 10000, vatMinor: 1000 }],
    })
  );
  const later = booksOn(sql, "2026-11-20");
  await sql.begin((tx) => later.ledger.shopReturn(tx, discounted));
  // December's sale is not November's.
  await sql.begin((tx) =>
    booksOn(sql, "2026-12-02").ledger.shopSale(tx, {
      ...TWO_RATES_SALE,
      orderId: "33333333-3333-3333-3333-333333333333",
      orderNumber: "SD-1003",
    })
  );
  return later;
}

Deno.test("9.1: net payable VAT = output − input − credit notes of the month, each note drills down", async () => {
  await withTestDb(async (db) => {
    const sql = db.sql;
    const books = await november(sql);
    const r = await books.vatReturn("2026-11");
    const f = r.figures;
    equal(r.from, "2026-11-01");
    equal(r.to, "2026-11-30");
    equal(r.dueOn, "2026-12-15");
    // Output: standard rated ৳100 + ৳90 (after the discount), VAT ৳15 + ৳13.50.
    equal([f[4].valueMinor, f[4].vatMinor, f[4].documents], [19000, 2850, 2]);
    // Exempt: the milk ৳90 and the delivery fee ৳50.
    equal([f[3].valueMinor, f[3].vatMinor], [14000, 0]);
    equal([f[9].valueMinor, f[9].vatMinor], [33000, 2850]);
    // Input at 10 % is "other than standard rate" (note 16).
    equal([f[16].valueMinor, f[16].vatMinor, f[14].vatMinor], [10000, 1000, 0]);
    equal(f[23].vatMinor, 1000);
    // The refund is a credit note: a decreasing adjustment.
    equal([f[31].valueMinor, f[31].vatMinor], [9000, 1350]);
    equal(f[33].vatMinor, 1350);
    equal(r.netPayableMinor, 2850 - 1000 - 1350);
    equal(f[34].vatMinor, r.netPayableMinor);
    // …which is what the VAT accounts moved in November.
    const output = await accountNet(sql, "2310", r.from, r.to);
    const input = -(await accountNet(sql, "1410", r.from, r.to));
    equal(r.netPayableMinor, output - input);
    // Every note's documents add up to the note.
    for (const n of vatReturns.ALL_NOTES) {
      const docs = vatReturns.noteDocuments(r, n);
      if (n === 58 || n === 59) continue;
      equal(docs.reduce((s, d) => s + d.vatMinor, 0), f[n].vatMinor, `note ${n}`);
    }
    const n4 = vatReturns.noteDocuments(r, 4).map((d) => d.doc.docNo).sort();
    equal(n4, ["SD-1001", "SD-1002"]);
    equal(vatReturns.noteDocuments(r, 31).map((d) => d.doc.docLink), [
      "/admin/shop/orders/SD-1002",
    ]);
    // December stands alone.
    const dec = await books.vatReturn("2026-12");
    equal(dec.figures[4].vatMinor, 1500);
    equal(dec.netPayableMinor, 1500);
  });
});

Deno.test("6.6: a certificate posts Dr 1420 / Cr receivable, counts in note 29, once", async () => {
  await withTestDb(async (db) => {
    const sql = db.sql;
    const books = await november(sql);
    const input = {
      certificateNo: "WH-2026-118",
      certificateDate: "2026-11-25",
      customerName: "Dhaka Club Ltd",
      customerBin: "000123456-0101",
      invoiceNo: "SD-1001",
      amount: "2.00",
      receivableAccount: "1210",
    };
    const { entryId } = await books.recordWithholding(input, actor);
    const entry = await books.getEntry(entryId);
    equal(
      entry!.lines.map((l) => [l.accountCode, l.debitMinor, l.creditMinor]),
      [["1420", 200, 0], ["1210", 0, 200]],
    );
    await rejects(
      books.recordWithholding({ ...input, certificateNo: "wh-2026-118" }, actor),
      (e) => e instanceof ValidationError && "certificateNo" in e.fieldErrors,
    );
    await rejects(
      books.recordWithholding({ ...input, certificateNo: "X", receivableAccount: "4110" }, actor),
      (e) => e instanceof ValidationError && "receivableAccount" in e.fieldErrors,
    );
    await rejects(
      books.recordWithholding({ ...input, certificateNo: "X", amount: "-5" }, actor),
      (e) => e instanceof ValidationError && "amount" in e.fieldErrors,
    );
    await rejects(
      books.recordWithholding({ ...input, certificateNo: "X", customerBin: "12345" }, actor),
      (e) => e instanceof ValidationError && "customerBin" in e.fieldErrors,
    );
    const r = await books.vatReturn("2026-11");
    equal(r.figures[29].vatMinor, 200);
    equal(r.netPayableMinor, 2850 - 1000 - 1350 - 200);
    equal(vatReturns.noteDocuments(r, 29).map((d) => d.doc.entryId), [entryId]);
    const list = await books.listWithholdings("2026-11-01", "2026-11-30");
    equal(list.map((w) => [w.certificateNo, w.amountWithheldMinor, w.customerBin]), [
      ["WH-2026-118", 200, "0001234560101"],
    ]);
  });
});

Deno.test("registers: 6.2 lists supplies by rate with the credit note negative; 6.1 the bill", async () => {
  await withTestDb(async (db) => {
    const sql = db.sql;
    const books = await november(sql);
    const sales = await books.salesRegister("2026-11-01", "2026-11-30");
    equal(
      sales.rows.map((r) => [r.docNo, r.kind, r.rateBp, r.valueMinor, r.vatMinor]),
      [
        ["SD-1001", "sale", 1500, 10000, 1500],
        ["SD-1001", "sale", 0, 14000, 0],
        ["SD-1002", "sale", 1500, 9000, 1350],
        ["SD-1002", "credit_note", 1500, -9000, -1350],
      ],
    );
    equal(sales.totals.vatMinor, 1500);
    const buys = await books.purchaseRegister("2026-11-01", "2026-11-30");
    equal(buys.rows.map((r) => [r.docNo, r.party, r.rateBp, r.valueMinor, r.vatMinor]), [
      ["INV-77", "supplier:3", 1000, 10000, 1000],
    ]);
    // With purchasing's door connected, the supplier's own document.
    books.connectVatSources({
      purchaseBill: (id) =>
        Promise.resolve(
          id === 7
            ? {
              billNumber: "INV-77",
              billDate: "2026-11-08",
              supplierName: "Rangpur Packaging",
              supplierBin: null,
              lines: [{ netMinor: 10000, vatMinor: 1000 }],
            }
            : null,
        ),
    });
    const named = await books.purchaseRegister("2026-11-01", "2026-11-30");
    equal(named.rows[0].party, "Rangpur Packaging");
    equal(named.rows[0].docDate, "2026-11-08");
    ok(named.rows[0].flags.includes("unregistered_supplier"));
  });
});

Deno.test("tax classes: a rate changes from its effective date; history cannot be rewritten", async () => {
  await withTestDb(async (db) => {
    const sql = db.sql;
    const books = booksOn(sql, "2026-12-07");
    equal((await books.taxRateOn("standard", "2026-12-31"))?.vatRateBp, 1500);
    equal((await books.taxRateOn("reduced_7_5", "2026-12-31"))?.vatRateBp, 750);
    equal((await books.taxRateOn("standard_sd10", "2026-12-31"))?.sdRateBp, 1000);
    equal(await books.taxRateOn("standard", "2019-06-30"), null);
    equal(await books.taxRateOn("nothing", "2026-12-31"), null);
    await books.addTaxRate("standard", { effectiveFrom: "2027-01-01", vatRate: "17.5" }, actor);
    equal((await books.taxRateOn("standard", "2026-12-31"))?.vatRateBp, 1500);
    equal((await books.taxRateOn("standard", "2027-01-01"))?.vatRateBp, 1750);
    const classes = await books.listTaxClasses();
    const std = classes.find((c) => c.code === "standard")!;
    equal(std.current?.vatRateBp, 1500);
    equal(std.upcoming.map((r) => r.vatRateBp), [1750]);
    // Not before the latest rate, not a VAT on an exempt class, not a malformed rate.
    for (
      const [code, input, field] of [
        ["standard", { effectiveFrom: "2026-12-31", vatRate: "16" }, "effectiveFrom"],
        ["exempt", { effectiveFrom: "2027-02-01", vatRate: "5" }, "vatRate"],
        ["standard", { effectiveFrom: "2027-02-01", vatRate: "15.555" }, "vatRate"],
        ["standard", { effectiveFrom: "2027-02-30", vatRate: "15" }, "effectiveFrom"],
      ] as const
    ) {
      await rejects(
        books.addTaxRate(code, input, actor),
        (e) => e instanceof ValidationError && field in e.fieldErrors,
      );
    }
    await rejects(sql`update acc_tax_rates set vat_rate_bp = 1000`, /tax rates are history/);
    await rejects(sql`delete from acc_tax_rates`, /tax rates are history/);
    await books.createTaxClass({
      code: "flavoured_drink",
      nameEn: "Flavoured milk drink",
      nameBn: "স্বাদযুক্ত দুধ পানীয়",
      kind: "standard",
      effectiveFrom: "2026-07-01",
      vatRate: "15",
      sdRate: "5",
    }, actor);
    equal((await books.taxRateOn("flavoured_drink", "2026-12-07"))?.sdRateBp, 500);

    // A sale at the new standard rate is "standard rated" from January; 15 % then is "other".
    const jan = booksOn(sql, "2027-01-10");
    await sql.begin((tx) =>
      jan.ledger.shopSale(tx, {
        orderId: "44444444-4444-4444-4444-444444444444",
        orderNumber: "SD-2001",
        totalMinor: 11750 + 11500,
        discountMinor: 0,
        deliveryFeeMinor: 0,
        vatMinor: 1750 + 1500,
        lines: [
          { vatRateBp: 1750, lineTotalMinor: 11750, discountMinor: 0, vatMinor: 1750 },
          { vatRateBp: 1500, lineTotalMinor: 11500, discountMinor: 0, vatMinor: 1500 },
        ],
      })
    );
    const r = await jan.vatReturn("2027-01");
    equal([r.figures[4].valueMinor, r.figures[4].vatMinor], [10000, 1750]);
    equal([r.figures[7].valueMinor, r.figures[7].vatMinor], [10000, 1500]);
  });
});
