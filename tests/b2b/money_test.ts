/**
 * B2B money and papers (issue 14 §5): payments on account (bKash through the fake provider, a
 * bank transfer staff record) allocated to invoices — the chosen ones first, then the oldest —
 * releasing the credit hold once nothing is overdue; a return and a short delivery raising
 * credit notes with good goods back in their lot; PDFs only for their own account.
 */
import { deepStrictEqual, equal, ok, rejects } from "node:assert/strict";
import { stockOf, withShop } from "@/tests/shop/_helpers.ts";
import { approveAndReturn } from "@/tests/payments/_fakes.ts";
import { addDays, dhakaDate, dhakaInstant } from "@/services/platform/dhaka.ts";
import { ConflictError, ValidationError } from "@/services/platform/errors.ts";
import { doorAccount } from "./_helpers.ts";

const staff = { id: null, name: "sales" };

Deno.test("b2b payments on account: bKash and a bank transfer settle the invoices, the overdue hold is released", async () => {
  await withShop(async (s) => {
    const b2b = s.deps.b2b;
    const a = await doorAccount(s, "Gulshan Cafe", { terms: "cash" });
    const o1 = await a.place([{ sku: "GHEE-500", qty: 2 }]);
    const inv1 = await b2b.deliver(o1.id, { receivedBy: "Rana" }, staff);
    const o2 = await a.place([{ sku: "MILK-1000", qty: 10 }]);
    const inv2 = await b2b.deliver(o2.id, { receivedBy: "Rana" }, staff);
    // Cash terms: due on the day. Two days later both are overdue and the next order holds.
    s.clock.set(dhakaInstant(addDays(dhakaDate(s.clock.now()), 2), "10:00"));
    const held = await a.place([{ sku: "GHEE-500", qty: 1 }]);
    equal(held.status, "credit_hold");
    let open = await b2b.openInvoices(a.id);
    equal(open.invoices.length, 2);
    equal(open.overdueMinor, o1.totalMinor + o2.totalMinor);

    // Another account's invoice cannot be chosen.
    const other = await doorAccount(s, "Uttara Bakers");
    const oo = await other.place([{ sku: "GHEE-500", qty: 1 }]);
    const otherInv = await b2b.deliver(oo.id, { receivedBy: "Mim" }, staff);
    await rejects(
      b2b.payOnAccount(a.user.id, a.id, {
        method: "bkash",
        amountMinor: 100_00,
        invoices: [otherInv],
      }),
      (e) => e instanceof ValidationError && e.fieldErrors.invoices === "invoices",
    );

    // bKash: the second invoice chosen first, the rest to the oldest.
    const r = await b2b.payOnAccount(a.user.id, a.id, {
      method: "bkash",
      amountMinor: o2.totalMinor + 100_00,
      invoices: [inv2],
    });
    ok(r.redirectUrl.startsWith("http"));
    const [p] = await s.sql`select provider_ref from shop_payments where id = ${r.paymentId}`;
    const back = await approveAndReturn(s, "bkash", p.provider_ref);
    ok(back.headers.get("location")!.includes("/b2b/money?pay=ok"));
    open = await b2b.openInvoices(a.id);
    deepStrictEqual(open.invoices.map((i) => [i.number, i.openMinor]), [[
      inv1,
      o1.totalMinor - 100_00,
    ]]);
    equal((await b2b.order(held.id, a.id))!.status, "credit_hold", "still overdue: held");

    // The rest by bank transfer, recorded by staff: nothing owed, the hold is released.
    const t = await b2b.recordTransfer(a.id, {
      amountMinor: o1.totalMinor - 100_00,
      reference: "DBBL-778812",
      invoices: [],
    }, staff);
    equal(t.duplicate, false);
    deepOpen(await b2b.openInvoices(a.id));
    const released = (await b2b.order(held.id, a.id))!;
    equal(released.status, "confirmed");
    equal(released.releaseReason, "paid: nothing overdue");
    const [audit] = await s.sql`select data from audit_log
      where action = 'b2b.order.hold_released' and entity_id = ${held.id}`;
    equal(audit.data.by, "payment");
    // The same bank reference again: the first payment, nothing more.
    const again = await b2b.recordTransfer(a.id, {
      amountMinor: o1.totalMinor - 100_00,
      reference: "DBBL-778812",
      invoices: [],
    }, staff);
    equal(again.duplicate, true);
    equal(again.paymentId, t.paymentId);
    const paid = await b2b.paymentsOf(a.id);
    equal(paid.filter((x) => x.status === "succeeded").length, 2);
    equal((await b2b.openInvoices(a.id)).creditMinor, 0, "nothing paid twice");
    // The books: the party's receivable is zero, the money sits in bKash and the bank.
    const items = await s.deps.accounting.openItems({ side: "receivable", party: `b2b:${a.id}` });
    equal(items.reduce((x, i) => x + i.openMinor, 0), 0);
    // The other account's invoice was not touched.
    equal((await b2b.openInvoices(other.id)).openMinor, oo.totalMinor);
  }, { fakes: true });
});

function deepOpen(o: { invoices: unknown[]; openMinor: number; overdueMinor: number }) {
  equal(o.invoices.length, 0);
  equal(o.openMinor, 0);
  equal(o.overdueMinor, 0);
}

Deno.test("b2b returns and short deliveries: credit notes (6.7), good goods back to their lot", async () => {
  await withShop(async (s) => {
    const b2b = s.deps.b2b;
    const a = await doorAccount(s, "Mirpur Sweets");
    const o = await a.place([{ sku: "GHEE-500", qty: 5 }, { sku: "MILK-1000", qty: 10 }]);
    await rejects(
      b2b.recordReturn(o.id, {
        kind: "return",
        condition: "good",
        reason: "not delivered yet",
        lines: [{ lineNo: 1, qty: 1 }],
      }, staff),
      ConflictError,
    );
    const invoice = await b2b.deliver(o.id, { receivedBy: "Rana" }, staff);
    const gheeBefore = await stockOf(s.sql, "GHEE-500");
    const milkBefore = await stockOf(s.sql, "MILK-1000");
    const d = (await b2b.order(o.id, a.id))!;
    const ghee = d.lines.find((l) => l.sku === "GHEE-500")!;

    const r = await b2b.recordReturn(o.id, {
      kind: "return",
      condition: "good",
      reason: "Two jars with broken seals",
      lines: [{ lineNo: ghee.lineNo, qty: 2 }],
    }, staff);
    ok(r.creditNoteNumber.includes("CN"), r.creditNoteNumber);
    ok(r.lines[0].lotCode, "the lot it goes back to");
    equal(await stockOf(s.sql, "GHEE-500"), gheeBefore + 2, "back in stock");
    const credit = 2 * ghee.unitPriceMinor +
      Math.round(2 * ghee.unitPriceMinor * ghee.vatRateBp / 10_000);
    let open = await b2b.openInvoices(a.id);
    equal(open.invoices[0].number, invoice);
    equal(open.invoices[0].openMinor, o.totalMinor - credit, "the credit note set against it");

    // A short delivery of spoilt milk: credited, written off (stock unchanged).
    const milk = d.lines.find((l) => l.sku === "MILK-1000")!;
    const short = await b2b.recordReturn(o.id, {
      kind: "short",
      condition: "damaged",
      reason: "Three packs burst in the van",
      lines: [{ lineNo: milk.lineNo, qty: 3 }],
    }, staff);
    equal(await stockOf(s.sql, "MILK-1000"), milkBefore);
    open = await b2b.openInvoices(a.id);
    equal(open.invoices[0].openMinor, o.totalMinor - credit - 3 * milk.unitPriceMinor);
    const cn = (await s.deps.accounting.getDocument(short.creditNoteNumber))!;
    equal(cn.kind, "credit_note");
    equal(cn.partyRef, `b2b:${a.id}`);
    equal(cn.originalNumber, invoice);

    // Never more than was delivered less what came back.
    await rejects(
      b2b.recordReturn(o.id, {
        kind: "return",
        condition: "good",
        reason: "again",
        lines: [{ lineNo: ghee.lineNo, qty: 4 }],
      }, staff),
      (e) => e instanceof ValidationError && e.fieldErrors[`qty.${ghee.lineNo}`] === "max:3",
    );
    equal((await b2b.returnsOf(o.id)).length, 2);
  });
});

Deno.test("b2b papers: delivery note with lots, tax invoice and statement as PDF — only for their own account", async () => {
  await withShop(async (s) => {
    const b2b = s.deps.b2b;
    const a = await doorAccount(s, "Banani Hotel");
    const b = await doorAccount(s, "Dhanmondi Deli");
    const o = await a.place([{ sku: "GHEE-500", qty: 3 }]);
    const invoice = await b2b.deliver(o.id, { receivedBy: "Nazmul Hossain" }, staff);
    const bo = await b.place([{ sku: "MILK-1000", qty: 2 }]);
    await b2b.deliver(bo.id, { receivedBy: "Mim" }, staff);
    const month = dhakaDate(s.clock.now()).slice(0, 7);
    const get = (path: string, cookie: string) =>
      s.fetch(path, { headers: { cookie }, redirect: "manual" });
    const urls = [
      `/b2b/docs?note=${o.id}`,
      `/b2b/docs?doc=${encodeURIComponent(invoice)}`,
      `/b2b/docs?doc=${encodeURIComponent(invoice)}&lang=bn`,
    ];
    for (const u of urls) {
      const mine = await get(u, a.cookie);
      equal(mine.status, 200, u);
      equal(mine.headers.get("content-type"), "application/pdf");
      ok(new TextDecoder().decode((await mine.bytes()).slice(0, 8)).startsWith("%PDF"));
      const theirs = await get(u, b.cookie);
      equal(theirs.status, 404, `another account: ${u}`);
      await theirs.body?.cancel();
    }
    const st = await get(`/b2b/docs?month=${month}`, a.cookie);
    equal(st.status, 200);
    await st.body?.cancel();
    for (const bad of ["?month=2020-13", "?doc=../../x", "?note=not-a-uuid", ""]) {
      const r = await get(`/b2b/docs${bad}`, a.cookie);
      equal(r.status, 404, bad);
      await r.body?.cancel();
    }
    // A shop customer with no account, and the order page of another account.
    const shopper = await s.user(["customer"]);
    const r = await get(urls[0], shopper.cookie);
    equal(r.status, 404);
    await r.body?.cancel();
    const page = await get(`/b2b/orders/${o.id}`, b.cookie);
    equal(page.status, 404);
    await page.body?.cancel();
    // The order page shows the papers and who received the goods.
    const html = await (await get(`/b2b/orders/${o.id}`, a.cookie)).text();
    ok(html.includes(`/b2b/docs?note=${o.id}`));
    ok(html.includes("Nazmul Hossain"));

    // The delivery note names the lot each line came from.
    const pdf = await b2b.deliveryNotePdf(o.id, a.id, "en");
    const lots = (await b2b.deliveryLines(o.id))(1);
    ok(lots.length > 0 && lots[0].lotCode);
    const text = await pdfText(pdf!);
    if (text !== null) {
      ok(text.includes(o.number), text);
      ok(text.includes(lots[0].lotCode), text);
      ok(text.includes("Nazmul Hossain"));
    }
  });
});

/** The text poppler reads from a PDF (null where poppler-utils is not installed). */
async function pdfText(pdf: Uint8Array): Promise<string | null> {
  try {
    const p = new Deno.Command("pdftotext", {
      args: ["-", "-"],
      stdin: "piped",
      stdout: "piped",
      stderr: "null",
    }).spawn();
    const w = p.stdin.getWriter();
    await w.write(pdf);
    await w.close();
    const out = await p.output();
    return new TextDecoder().decode(out.stdout);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
}
