/**
 * The documents behind the VAT figures, read from the ledger (issue 13 §6): every posted entry of
 * a period that is a supply (sale, credit note), a supplier bill, a VAT deducted at source
 * certificate, or that moves a VAT account, each as a `VatDoc` with its lines by rate and its
 * VAT amounts. The registers (Mushak 6.1, 6.2) and the return (9.1) are built from these.
 *
 * Sales (6.2) come from `salesSupplies`, the one function to switch to the issued-invoices table
 * when it lands: today it reads the posted sale entries (source "shop.sale", the sales lines per
 * VAT rate named in their memo, the VAT output line) and their full refunds ("shop.return").
 * An entry's lines carry the value per rate but the discount and the VAT only per entry: with
 * several rates in one order, the discount is shared by value and the VAT by value × rate
 * (largest remainder), so each entry's totals are exact and only the split between its rates is
 * derived.
 */
import type { Db } from "@/services/platform/tx.ts";
import { listAccounts } from "../accounts.ts";
import type { Account } from "../types.ts";

/** The chart's VAT accounts, by code (migrations/0500). */
export const VAT_ACCOUNTS = {
  /** VAT input (current account): input tax credit, Dr. */
  input: "1410",
  /** VAT deducted at source by customers (Mushak 6.6 received), Dr. */
  withheld: "1420",
  /** VAT output payable, Cr. */
  output: "2310",
  /** Supplementary duty payable, Cr. */
  sd: "2320",
  /** VAT we deducted at source from suppliers, payable, Cr. */
  withheldPayable: "2330",
} as const;

/** The heading whose accounts are cash and cash equivalents (cash, banks, wallets). */
export const CASH_HEADING = "1100";

/** Sources whose entries are supplies (Mushak 6.3 issued), and their credit notes (6.7). */
export const SALE_SOURCES = ["shop.sale", "sales.invoice"];
export const CREDIT_SOURCES = ["shop.return", "sales.credit_note"];
export const BILL_SOURCES = ["purchase.bill"];
export const WITHHOLDING_SOURCE = "vat.withholding";

export interface VatLine {
  rateBp: number;
  sdRateBp: number;
  /** Value without SD and VAT (after discount), poisha. */
  valueMinor: number;
  sdMinor: number;
  vatMinor: number;
}

export type VatDocKind =
  | "sale"
  | "credit_note"
  | "purchase"
  | "withholding"
  | "deposit"
  | "offset"
  | "other";

export interface VatDoc {
  entryId: number;
  date: string;
  source: string;
  sourceRef: string;
  memo: string;
  kind: VatDocKind;
  /** The document's number: the order, the supplier's bill, the certificate. */
  docNo: string;
  /** Sales and credit notes: the Mushak 6.3 / 6.7 number issued for the entry (null: none). */
  invoiceNo: string | null;
  docDate: string;
  party: string;
  partyBin: string | null;
  /** Where the source document is shown in the back office (null: only the entry). */
  docLink: string | null;
  /** Sales, credit notes and bills: by rate (credit notes positive, they are subtracted). */
  lines: VatLine[];
  /** Net movements of the VAT accounts, signed as the account's own side (credit for 2310…). */
  outputVat: number;
  inputVat: number;
  withheld: number;
  sd: number;
  withheldPayable: number;
  /** Money accounts' net movement (debit positive): a deposit to the treasury is negative. */
  cash: number;
  /** A line for an unregistered supplier's bill etc. */
  flags: string[];
}

/** What other contexts tell about their documents (wired in contexts.ts; optional). */
export interface VatDocumentSources {
  /** A supplier bill (purchase's door): number, date, supplier and BIN, lines. */
  purchaseBill?(id: number): Promise<
    {
      billNumber: string;
      billDate: string;
      supplierName: string;
      supplierBin: string | null;
      lines: { netMinor: number; vatMinor: number }[];
    } | null
  >;
}

interface EntryRow {
  id: string;
  entry_date: string;
  source: string;
  source_ref: string;
  memo: string;
}

interface LineRow {
  entry_id: string;
  account_id: number;
  debit_minor: string;
  credit_minor: string;
  memo: string;
  partner_ref: string | null;
}

export interface Chart {
  accounts: Account[];
  byId: Map<number, Account>;
  byCode: Map<string, Account>;
  /** Non-heading accounts under a heading (any depth). */
  under(code: string): Account[];
}

export async function chartOf(db: Db): Promise<Chart> {
  const accounts = await listAccounts(db);
  const byId = new Map(accounts.map((a) => [a.id, a]));
  const byCode = new Map(accounts.map((a) => [a.code, a]));
  const within = (a: Account, headingId: number) => {
    for (let p = a.parentId, n = 0; p !== null && n < 20; n++) {
      if (p === headingId) return true;
      p = byId.get(p)?.parentId ?? null;
    }
    return false;
  };
  return {
    accounts,
    byId,
    byCode,
    under(code) {
      const h = byCode.get(code);
      return h ? accounts.filter((a) => !a.isGroup && within(a, h.id)) : [];
    },
  };
}

const RATE = /VAT ([0-9]{1,3}(?:\.[0-9]{1,2})?) %/;

/** The VAT rate a sales line's memo names ("Sales at VAT 15 %" → 1500; "VAT exempt" → 0). */
export function rateOfMemo(memo: string): number | null {
  const m = RATE.exec(memo);
  if (m) return Math.round(Number(m[1]) * 100);
  return /VAT exempt/i.test(memo) ? 0 : null;
}

/** Splits `total` over `weights` in proportion (largest remainder), exact in sum. */
export function share(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (weights.length === 0) return [];
  if (sum <= 0) return weights.map((_, i) => (i === 0 ? total : 0));
  const raw = weights.map((w) => (total * w) / sum);
  const out = raw.map((r) => Math.floor(r));
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0]);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) out[order[k][1]]++;
  return out;
}

const num = (v: string | number) => Number(v);

/** Which entries to read: the supplies (sales, credit notes), the rest, or all. */
export type DocScope = "supplies" | "others" | "all";

/** The entries of a period that the VAT figures need, with their lines. */
async function load(db: Db, chart: Chart, from: string, to: string, scope: DocScope) {
  const vatIds = Object.values(VAT_ACCOUNTS).map((c) => chart.byCode.get(c)?.id).filter(
    (id): id is number => id !== undefined,
  );
  const supplies = [...SALE_SOURCES, ...CREDIT_SOURCES];
  const sources = scope === "supplies"
    ? supplies
    : [...(scope === "all" ? supplies : []), ...BILL_SOURCES, WITHHOLDING_SOURCE];
  // Entries that moved a VAT account, except (for "others") the supplies, (for "supplies") none.
  const vatMoves = scope === "supplies" ? [] : vatIds;
  const skip = scope === "others" ? supplies : [];
  const heads = await db<EntryRow[]>`
    select id, to_char(entry_date, 'YYYY-MM-DD') as entry_date, source, source_ref, memo
      from acc_entries
     where id = any(array(
             select id from acc_entries
              where entry_date between ${from}::date and ${to}::date
                and source = any(${sources}::text[])
             union
             select entry_id from acc_entry_lines
              where account_id = any(${vatMoves}::int[])
                and entry_date between ${from}::date and ${to}::date))
       and source <> all(${skip}::text[])
     order by entry_date, id`;
  const lines = heads.length === 0 ? [] : await db<LineRow[]>`
    select entry_id, account_id, debit_minor, credit_minor, memo, partner_ref
      from acc_entry_lines
     where entry_id = any(${heads.map((h) => h.id)}::bigint[])
     order by entry_id, line_no`;
  const byEntry = new Map<string, LineRow[]>();
  for (const l of lines) {
    const list = byEntry.get(l.entry_id) ?? [];
    list.push(l);
    byEntry.set(l.entry_id, list);
  }
  // The tax invoices (6.3) and credit notes (6.7) issued for these entries, by entry.
  const issued = heads.length === 0 ? [] : await db<{ entry_id: string; number: string }[]>`
    select entry_id::text, number from acc_sales_documents
     where entry_id = any(${heads.map((h) => h.id)}::bigint[])`;
  const numbers = new Map(issued.map((d) => [String(d.entry_id), d.number]));
  return heads.map((h) => ({
    head: h,
    lines: byEntry.get(h.id) ?? [],
    invoiceNo: numbers.get(String(h.id)) ?? null,
  }));
}

/** Groups income lines of a sale into lines per rate (signs: +credit for a sale). */
function supplyLines(
  chart: Chart,
  lines: LineRow[],
  sign: 1 | -1,
  vat: number,
  sd: number,
): VatLine[] {
  const valueByRate = new Map<number, number>();
  let discount = 0;
  const rated: number[] = [];
  for (const l of lines) {
    const a = chart.byId.get(l.account_id);
    if (a?.type !== "income") continue;
    const amount = sign * (num(l.credit_minor) - num(l.debit_minor));
    const rate = rateOfMemo(l.memo);
    if (amount < 0 && rate === null) {
      discount += -amount;
      continue;
    }
    const r = rate ?? 0;
    valueByRate.set(r, (valueByRate.get(r) ?? 0) + amount);
    if (rate !== null && !rated.includes(r)) rated.push(r);
  }
  const rates = [...valueByRate.keys()].sort((a, b) => b - a);
  // The discount is shared over the rated (goods) lines, never over a delivery fee.
  const onGoods = rates.filter((r) => rated.includes(r));
  const base = onGoods.length ? onGoods : rates;
  const cut = share(discount, base.map((r) => valueByRate.get(r)!));
  base.forEach((r, i) => valueByRate.set(r, valueByRate.get(r)! - cut[i]));
  const taxed = rates.filter((r) => r > 0);
  const vatSplit = share(vat, taxed.map((r) => valueByRate.get(r)! * r));
  const sdSplit = share(sd, taxed.map((r) => valueByRate.get(r)! * r));
  return rates.map((r): VatLine => {
    const i = taxed.indexOf(r);
    return {
      rateBp: r,
      sdRateBp: 0,
      valueMinor: valueByRate.get(r)!,
      sdMinor: i >= 0 ? sdSplit[i] : 0,
      vatMinor: i >= 0 ? vatSplit[i] : 0,
    };
  }).filter((l) => l.valueMinor !== 0 || l.vatMinor !== 0);
}

/** Rounds a bill line's VAT ÷ net to the nearest quarter percent. */
const rateOf = (net: number, vat: number) =>
  net > 0 ? Math.round((vat * 10000) / net / 25) * 25 : 0;

/** Every VAT-relevant entry of the period as a document. */
export async function vatDocs(
  db: Db,
  from: string,
  to: string,
  sources: VatDocumentSources = {},
  scope: DocScope = "all",
): Promise<VatDoc[]> {
  const chart = await chartOf(db);
  const id = (code: string) => chart.byCode.get(code)?.id ?? -1;
  const acc = {
    output: id(VAT_ACCOUNTS.output),
    input: id(VAT_ACCOUNTS.input),
    withheld: id(VAT_ACCOUNTS.withheld),
    sd: id(VAT_ACCOUNTS.sd),
    withheldPayable: id(VAT_ACCOUNTS.withheldPayable),
  };
  const vatSet = new Set(Object.values(acc));
  const cashSet = new Set(chart.under(CASH_HEADING).map((a) => a.id));
  const rows = await load(db, chart, from, to, scope);
  const docs: VatDoc[] = [];
  const bills: VatDoc[] = [];
  for (const { head, lines, invoiceNo } of rows) {
    const net = (account: number, side: "debit" | "credit") =>
      lines.filter((l) => l.account_id === account).reduce(
        (s, l) => s + (side === "debit" ? 1 : -1) * (num(l.debit_minor) - num(l.credit_minor)),
        0,
      );
    const partner = lines.find((l) => l.partner_ref)?.partner_ref ?? "";
    const doc: VatDoc = {
      entryId: num(head.id),
      date: head.entry_date,
      source: head.source,
      sourceRef: head.source_ref,
      memo: head.memo,
      kind: "other",
      docNo: head.source_ref,
      invoiceNo,
      docDate: head.entry_date,
      party: partner,
      partyBin: null,
      docLink: null,
      lines: [],
      outputVat: net(acc.output, "credit"),
      inputVat: net(acc.input, "debit"),
      withheld: net(acc.withheld, "debit"),
      sd: net(acc.sd, "credit"),
      withheldPayable: net(acc.withheldPayable, "credit"),
      cash: lines.filter((l) => cashSet.has(l.account_id)).reduce(
        (s, l) => s + num(l.debit_minor) - num(l.credit_minor),
        0,
      ),
      flags: [],
    };
    const orderNo = partner.startsWith("order:") ? partner.slice(6) : null;
    if (SALE_SOURCES.includes(head.source) || CREDIT_SOURCES.includes(head.source)) {
      const credit = CREDIT_SOURCES.includes(head.source);
      const sign = credit ? -1 : 1;
      doc.kind = credit ? "credit_note" : "sale";
      doc.lines = supplyLines(chart, lines, sign, sign * doc.outputVat, sign * doc.sd);
      if (orderNo) {
        doc.docNo = orderNo;
        doc.party = "shop";
        doc.docLink = `/admin/shop/orders/${encodeURIComponent(orderNo)}`;
      }
    } else if (BILL_SOURCES.includes(head.source)) {
      doc.kind = "purchase";
      doc.docNo = /^Supplier bill (.+) approved$/.exec(head.memo)?.[1] ?? head.source_ref;
      doc.docLink = /^[0-9]+$/.test(head.source_ref)
        ? `/admin/purchase/bills/${head.source_ref}`
        : null;
      // Value: the payable's credit less the VAT (the bill's net), one rate from the ratio.
      const payable = lines.filter((l) =>
        l.partner_ref?.startsWith("supplier:") &&
        chart.byId.get(l.account_id)?.type === "liability" && num(l.credit_minor) > 0
      )
        .reduce((s, l) => s + num(l.credit_minor), 0);
      const value = Math.max(payable - doc.inputVat, 0);
      doc.lines = [{
        rateBp: rateOf(value, doc.inputVat),
        sdRateBp: 0,
        valueMinor: value,
        sdMinor: 0,
        vatMinor: doc.inputVat,
      }];
      bills.push(doc);
    } else if (head.source === WITHHOLDING_SOURCE) {
      doc.kind = "withholding";
    } else {
      const onlyVat = lines.every((l) => vatSet.has(l.account_id));
      const toTreasury = (doc.outputVat < 0 || doc.sd < 0 || doc.withheldPayable < 0) &&
        doc.cash < 0 && lines.every((l) => vatSet.has(l.account_id) || cashSet.has(l.account_id));
      doc.kind = onlyVat ? "offset" : toTreasury ? "deposit" : "other";
    }
    docs.push(doc);
  }
  // The supplier's own document, when purchasing tells it.
  if (sources.purchaseBill && bills.length) {
    await Promise.all(bills.map(async (d) => {
      if (!/^[0-9]+$/.test(d.sourceRef)) return;
      const b = await sources.purchaseBill!(Number(d.sourceRef));
      if (!b) return;
      d.docNo = b.billNumber;
      d.docDate = b.billDate;
      d.party = b.supplierName;
      d.partyBin = b.supplierBin;
      if (!b.supplierBin && d.inputVat > 0) d.flags.push("unregistered_supplier");
      const lineVat = b.lines.reduce((s, l) => s + l.vatMinor, 0);
      const lineNet = b.lines.reduce((s, l) => s + l.netMinor, 0);
      if (lineVat === d.inputVat && lineNet === d.lines[0].valueMinor) {
        const byRate = new Map<number, VatLine>();
        for (const l of b.lines) {
          const r = rateOf(l.netMinor, l.vatMinor);
          const x = byRate.get(r) ??
            { rateBp: r, sdRateBp: 0, valueMinor: 0, sdMinor: 0, vatMinor: 0 };
          x.valueMinor += l.netMinor;
          x.vatMinor += l.vatMinor;
          byRate.set(r, x);
        }
        d.lines = [...byRate.values()].sort((a, b) => b.rateBp - a.rateBp);
      }
    }));
  }
  return docs;
}

/**
 * The supplies of a period for the sales register (Mushak 6.2): sales and credit notes. THE
 * function to point at the issued-invoices table when it exists.
 */
export async function salesSupplies(
  db: Db,
  from: string,
  to: string,
  sources: VatDocumentSources = {},
): Promise<VatDoc[]> {
  return (await vatDocs(db, from, to, sources, "supplies")).filter((d) =>
    d.kind === "sale" || d.kind === "credit_note"
  );
}
