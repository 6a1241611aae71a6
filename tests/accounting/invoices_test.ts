/**
 * Sales documents as records (issue 13 §3): the tax invoice (Mushak 6.3) issued with the shop
 * sale at delivery, its credit note (6.7) with the refund, invoices on account with due dates,
 * and numbering per fiscal year and issuing location without gaps, also under concurrent issue.
 */
import { deepStrictEqual as equal, ok, rejects } from "node:assert/strict";
import type { Sql } from "@/services/platform/db.ts";
import { withTestDb } from "@/tests/helpers/db.ts";
import { dhakaDate, dhakaInstant } from "@/services/platform/dhaka.ts";
import { takeNumber } from "@/services/accounting/invoices.ts";
import { parseDocumentNumber } from "@/services/accounting/documents/mod.ts";
import { ValidationError } from "@/services/accounting/mod.ts";
import { deliverAsAdmin, guestGheeOrder, withShop } from "../shop/_helpers.ts";
import { ledgerOn } from "./_helpers.ts";
import { approveAndReturn, refundInFull, startedOrder } from "../payments/_fakes.ts";

async function order(sql: Sql, id: string) {
  const [o] = await sql`select number, total_minor::int as total, vat_minor::int as vat,
                               delivery_fee_minor::int as fee from shop_orders where id = ${id}`;
  return o as unknown as { number: string; total: number; vat: number; fee: number };
}

Deno.test("a delivered shop order gets a Mushak 6.3 with the order's VAT and total; a repeat issues nothing new", async () => {
  await withShop(async (s) => {
    const placed = await guestGheeOrder(s, "cod");
    const o = await order(s.sql, placed.id);
    await deliverAsAdmin(s, placed.id, { rider: "Karim", amountMinor: o.total });
    const acc = s.deps.accounting;
    const { rows } = await acc.listDocuments({ q: o.number });
    equal(rows.length, 1);
    const inv = rows[0];
    equal(inv.kind, "invoice");
    equal(inv.orderNumber, o.number);
    equal(inv.vatMinor, o.vat);
    ok(o.vat > 0);
    equal(inv.totalMinor, o.total);
    equal(inv.issueDate, dhakaDate(s.clock.now()));
    const parts = parseDocumentNumber(inv.number)!;
    equal(parts.kind, "invoice");
    equal(parts.location, "DHK");
    equal(parts.seq, 1);
    // The sales register (Mushak 6.2) names the tax invoice beside the order.
    const today = dhakaDate(s.clock.now());
    const reg = await acc.salesRegister(today, today);
    const line = reg.rows.find((r) => r.docNo === o.number);
    ok(line, "the sale is in the 6.2 register");
    equal(line.invoiceNo, inv.number);
    // The stored fields print the same document again: seller BIN, buyer, lines with VAT.
    const doc = acc.documentOf(inv);
    equal(doc.form, "6.3");
    equal(doc.amounts.totals.vatMinor, o.vat);
    equal(doc.amounts.totals.totalMinor, o.total);
    equal(doc.seller.find((f) => f.key === "sellerBin")?.value, "001234567-0101");
    ok(doc.buyer.find((f) => f.key === "buyerAddress")?.value.includes("Gulshan"));
    ok(doc.rows.some((r) => /ghee/i.test(r.description.text)), "the product is named");
    if (o.fee > 0) ok(doc.rows.some((r) => r.description.text === "Delivery fee"));
    equal(doc.copies.map((c) => c.key), ["original", "duplicate"]);
    // The shop's port again (a retried delivery): still one invoice.
    await s.sql.begin(async (tx) => {
      const [e] = await tx`select id from acc_entries where source = 'shop.sale'`;
      ok(e);
    });
    equal((await acc.listDocuments({})).total, 1);
    // A shop invoice is credited by refunding the order, not by hand.
    await rejects(
      acc.issueCreditNote({ invoiceNumber: inv.number, reason: { en: "by hand" } }, {
        id: null,
        name: "Nasrin",
      }),
      (e) => e instanceof ValidationError && "quantity" in e.fieldErrors,
    );
    // Documents cannot be edited.
    await rejects(
      s.sql`update acc_sales_documents set total_minor = 1`,
      /cannot be changed/,
    );
  });
});

Deno.test("a refund after delivery raises a Mushak 6.7 referencing the invoice, crediting it in full", async () => {
  await withShop(async (s) => {
    const { placed, payment } = await startedOrder(s, "bkash");
    await approveAndReturn(s, "bkash", payment.provider_ref);
    const o = await order(s.sql, placed.id);
    await deliverAsAdmin(s, placed.id);
    const refund = await refundInFull(s, payment.id, o.total);
    equal(refund.status, "succeeded");
    const acc = s.deps.accounting;
    const { rows } = await acc.listDocuments({ q: o.number });
    equal(rows.map((r) => r.kind).sort(), ["credit_note", "invoice"]);
    const inv = rows.find((r) => r.kind === "invoice")!;
    const cn = rows.find((r) => r.kind === "credit_note")!;
    equal(cn.originalNumber, inv.number);
    equal(cn.totalMinor, inv.totalMinor);
    equal(cn.vatMinor, o.vat);
    equal(parseDocumentNumber(cn.number)?.kind, "credit_note");
    const doc = acc.documentOf(cn);
    equal(doc.form, "6.7");
    equal(doc.adjustment.find((f) => f.key === "originalNumber")?.value, inv.number);
    equal((await acc.getDocument(inv.number))?.creditNotes, [cn.number]);
  }, { fakes: true });
});

Deno.test("numbers run per fiscal year and location without gaps, also when issued concurrently", async () => {
  await withTestDb(async (db) => {
    const sql = db.sql;
    await sql`insert into acc_issuing_locations (code, name_en, address_en)
              values ('CTG', 'Chattogram depot', 'Agrabad, Chattogram')`;
    const june = dhakaInstant("2027-06-30", "23:50");
    const july = dhakaInstant("2027-07-01", "00:10");
    const take = (loc: string, at: Date) =>
      sql.begin((tx) => takeNumber(tx, "invoice", loc, at)).then((r) => r.number);
    // 20 at once at DHK, some at CTG, across the year end.
    const got = await Promise.all([
      ...Array.from({ length: 20 }, () => take("DHK", june)),
      ...Array.from({ length: 5 }, () => take("CTG", june)),
      take("DHK", july),
    ]);
    const dhk = got.filter((n) => n.startsWith("DHK-2627-")).sort();
    equal(dhk, Array.from({ length: 20 }, (_, i) => `DHK-2627-${String(i + 1).padStart(6, "0")}`));
    equal(got.filter((n) => n.startsWith("CTG-2627-")).sort(), [
      "CTG-2627-000001",
      "CTG-2627-000002",
      "CTG-2627-000003",
      "CTG-2627-000004",
      "CTG-2627-000005",
    ]);
    equal(got.filter((n) => n.startsWith("DHK-2728-")), ["DHK-2728-000001"]);
    // A rolled-back issue gives its number back: no gap.
    await sql.begin(async (tx) => {
      await takeNumber(tx, "invoice", "DHK", june);
      throw new Error("printer jammed");
    }).catch(() => {});
    equal(await take("DHK", june), "DHK-2627-000021");
    // Credit notes have their own series.
    const cn = await sql.begin((tx) => takeNumber(tx, "credit_note", "DHK", june));
    equal(cn.number, "DHK-CN-2627-000001");
  });
});

Deno.test("an invoice on account posts the receivable due by its terms; bad input is refused whole", async () => {
  await withTestDb(async (db) => {
    const sql = db.sql;
    const acc = ledgerOn(sql);
    const customer = {
      ref: "b2b:17",
      name: "Dhaka Hotel Corporation",
      bin: "0009876543210",
      address: "Gulshan 2, Dhaka",
      email: "accounts@dhakahotel.example",
      lang: "en" as const,
    };
    const lines = [{
      description: { en: "Mishti doi 500 g", bn: "মিষ্টি দই ৫০০ গ্রাম" },
      unit: { en: "pcs", bn: "টি" },
      quantity: 40,
      unitPriceMinor: 9_000,
      vatRateBp: 1500,
    }];
    const inv = await sql.begin((tx) =>
      acc.issueInvoiceOnAccount(tx, { customer, lines, terms: "30", sourceRef: "B2B-1" })
    );
    equal(inv.totalMinor, 40 * 9_000 * 115 / 100);
    equal(inv.vatMinor, 54_000);
    equal(inv.dueDate, "2027-01-06"); // 7 Dec 2026 + 30 days
    equal(inv.terms, "30");
    const [bal] = await sql`
      select coalesce(sum(l.debit_minor - l.credit_minor), 0)::int as v from acc_entry_lines l
      join acc_accounts a on a.id = l.account_id where a.code = '1210'`;
    equal(bal.v, inv.totalMinor);
    const items = await acc.openItems({ side: "receivable", party: "b2b:17" });
    equal(items.map((i) => [i.documentNumber, i.dueDate, i.openMinor]), [[
      inv.number,
      "2027-01-06",
      inv.totalMinor,
    ]]);
    // Same reference again: the same invoice.
    const again = await sql.begin((tx) =>
      acc.issueInvoiceOnAccount(tx, { customer, lines, terms: "30", sourceRef: "B2B-1" })
    );
    equal(again.number, inv.number);
    // Bad terms and a bad BIN: refused, nothing written, no number used.
    await rejects(
      sql.begin((tx) =>
        acc.issueInvoiceOnAccount(tx, {
          customer: { ...customer, bin: "12" },
          lines,
          terms: "45" as "30",
          sourceRef: "B2B-2",
        })
      ),
      (e) =>
        e instanceof ValidationError && "terms" in e.fieldErrors && "customer.bin" in e.fieldErrors,
    );
    const next = await sql.begin((tx) =>
      acc.issueInvoiceOnAccount(tx, { customer, lines, terms: "cash", sourceRef: "B2B-3" })
    );
    equal(parseDocumentNumber(next.number)?.seq, 2);
    equal(next.dueDate, "2026-12-07");
    // A partial credit note: 10 of the 40 returned.
    const cn = await acc.issueCreditNote(
      {
        invoiceNumber: inv.number,
        reason: { en: "Ten cups broken in transit" },
        quantities: { 0: "10" },
      },
      { id: null, name: "Nasrin" },
    );
    equal(cn.totalMinor, 10 * 9_000 * 115 / 100);
    equal(cn.originalNumber, inv.number);
    const open = await acc.openItems({ side: "receivable", party: "b2b:17" });
    equal(
      open.reduce((a, i) => a + i.openMinor, 0),
      inv.totalMinor + next.totalMinor - cn.totalMinor,
    );
    // Crediting more than is left is refused.
    await rejects(
      acc.issueCreditNote({ invoiceNumber: inv.number, reason: { en: "again" } }, {
        id: null,
        name: "Nasrin",
      }),
      ValidationError,
    );
    // The sales register's source: both documents of the period.
    const period = await acc.salesDocumentsInPeriod({ from: "2026-12-01", to: "2026-12-31" });
    equal(period.map((d) => d.number), [inv.number, next.number, cn.number]);
  });
});
