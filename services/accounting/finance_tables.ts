/**
 * The VAT registers, the return's figures and the statements as export tables (export.ts turns
 * each into CSV or XLSX), with the headings in the page's language. Pure functions.
 */
import { fillParams, type Lang } from "@/services/i18n/mod.ts";
import type { CellValue, Column, ExportTable } from "./export.ts";
import { financeMessages } from "./finance_messages.ts";
import { accountingMessages } from "./messages.ts";
import type { Account } from "./types.ts";
import type { Register, VatReturn } from "./vat/returns.ts";
import { ALL_NOTES, noteDocuments } from "./vat/returns.ts";
import type { VatDoc } from "./vat/sources.ts";
import type { TaxClass } from "./vat/tax_classes.ts";
import type { Withholding } from "./vat/withholding.ts";
import type {
  BalanceSheet,
  CashFlow,
  FinanceDashboard,
  ProfitAndLoss,
  Section,
} from "./statements.ts";
import type { GeneralLedger, TrialBalance } from "./reports.ts";
import type { SalesReport } from "./sales_report.ts";

const col = (label: string, kind: Column["kind"] = "text"): Column => ({ label, kind });
const nameOf = (a: Account, lang: Lang) => `${a.code} ${lang === "bn" ? a.nameBn : a.nameEn}`;
const pct = (bp: number) => `${bp / 100}%`;

/** The table with a total row: each money column summed, the other cells blank. */
function withTotals(t: ExportTable, label: string): ExportTable {
  const total: CellValue[] = t.columns.map((c, i) =>
    c.kind === "money" ? t.rows.reduce<number>((s, r) => s + Number(r[i] ?? 0), 0) : null
  );
  total[0] = label;
  return { ...t, footer: [total] };
}

/** Who a register line is with, as a reader would say it. */
export function partyName(d: { party: string; kind: string }, lang: Lang): string {
  if (d.party === "shop") return financeMessages[lang].vat.register.shopCustomer;
  return d.party;
}

export function returnTable(r: VatReturn, lang: Lang): ExportTable {
  const m = financeMessages[lang].vat;
  return {
    name: `mushak-9.1-${r.month}`,
    title: `${m.return.title} ${r.month}`,
    columns: [
      col(m.return.note, "number"),
      col(m.return.nature),
      col(m.return.value, "money"),
      col(m.return.sd, "money"),
      col(m.return.vat, "money"),
      col(m.return.documents, "number"),
    ],
    rows: ALL_NOTES.map((n) => {
      const f = r.figures[n];
      return [n, m.notes[n], f.valueMinor, f.sdMinor, f.vatMinor, f.documents];
    }),
  };
}

export function noteTable(r: VatReturn, note: number, lang: Lang): ExportTable {
  const f = financeMessages[lang];
  const m = f.vat;
  const docs = noteDocuments(r, note);
  return withTotals({
    name: `mushak-9.1-${r.month}-note-${note}`,
    title: fillParams(m.noteDocs.title, { note, month: r.month }),
    columns: [
      col(m.register.date, "date"),
      col(f.common.entry, "number"),
      col(m.register.kind),
      col(m.noteDocs.document),
      col(m.noteDocs.party),
      col(m.register.bin),
      col(m.register.value, "money"),
      col(m.register.sd, "money"),
      col(m.register.vat, "money"),
    ],
    rows: docs.map((d) => [
      d.doc.date,
      d.doc.entryId,
      m.register.kinds[d.doc.kind] ?? d.doc.source,
      d.doc.docNo,
      partyName(d.doc, lang),
      d.doc.partyBin,
      d.valueMinor,
      d.sdMinor,
      d.vatMinor,
    ]),
  }, f.common.total);
}

export function registerTable(reg: Register, kind: "sales" | "purchases", lang: Lang): ExportTable {
  const f = financeMessages[lang];
  const m = f.vat.register;
  const sales = kind === "sales";
  return {
    name: `${kind === "sales" ? "mushak-6.2" : "mushak-6.1"}-${reg.from}-${reg.to}`,
    title: `${kind === "sales" ? m.salesTitle : m.purchasesTitle} ${reg.from} – ${reg.to}`,
    columns: [
      col(m.date, "date"),
      col(m.docNo),
      ...(sales ? [col(m.invoiceNo)] : []),
      col(m.docDate, "date"),
      col(m.kind),
      col(m.party),
      col(m.bin),
      col(m.rate),
      col(m.value, "money"),
      col(m.sd, "money"),
      col(m.vat, "money"),
      col(m.total, "money"),
      col(f.common.entry, "number"),
    ],
    rows: reg.rows.map((r) => [
      r.date,
      r.docNo,
      ...(sales ? [r.invoiceNo] : []),
      r.docDate,
      m.kinds[r.kind] ?? r.kind,
      partyName(r, lang),
      r.partyBin,
      pct(r.rateBp),
      r.valueMinor,
      r.sdMinor,
      r.vatMinor,
      r.totalMinor,
      r.entryId,
    ]),
    footer: [[
      f.common.total,
      ...Array<null>(sales ? 7 : 6).fill(null),
      reg.totals.valueMinor,
      reg.totals.sdMinor,
      reg.totals.vatMinor,
      reg.totals.totalMinor,
      null,
    ]],
  };
}

export function withholdingTable(
  list: Withholding[],
  range: { from: string; to: string },
  lang: Lang,
): ExportTable {
  const f = financeMessages[lang];
  const m = f.vat.withholding;
  return withTotals({
    name: `mushak-6.6-${range.from}-${range.to}`,
    title: `${m.title} ${range.from} – ${range.to}`,
    columns: [
      col(m.certificateDate, "date"),
      col(m.certificateNo),
      col(m.customerName),
      col(m.customerBin),
      col(m.invoiceNo),
      col(m.amount, "money"),
      col(m.receivable),
      col(f.common.entry, "number"),
    ],
    rows: list.map((w) => [
      w.certificateDate,
      w.certificateNo,
      w.customerName,
      w.customerBin,
      w.invoiceNo,
      w.amountWithheldMinor,
      w.receivableAccount,
      w.entryId,
    ]),
  }, f.common.total);
}

export function taxClassTable(classes: TaxClass[], lang: Lang): ExportTable {
  const m = financeMessages[lang].vat.taxClasses;
  const rows: CellValue[][] = [];
  for (const c of classes) {
    for (const r of c.history) {
      rows.push([
        c.code,
        lang === "bn" ? c.nameBn : c.nameEn,
        m.kinds[c.kind],
        r.effectiveFrom,
        r.vatRateBp / 100,
        r.sdRateBp / 100,
        r.note,
      ]);
    }
  }
  return {
    name: "tax-classes",
    title: m.title,
    columns: [
      col(m.code),
      col(m.name),
      col(m.kind),
      col(m.effectiveFrom, "date"),
      col(m.vatRate, "number"),
      col(m.sdRate, "number"),
      col(m.note),
    ],
    rows,
  };
}

/** A statement's row maker: a label, the period's figure and, when compared, the other's. */
const rowsOf = (compare: boolean) => (label: CellValue, now: CellValue, then: CellValue) => [
  label,
  now,
  ...(compare ? [then] : []),
];

/** A statement's columns: the account, then a money column per period shown. */
function periodColumns(first: string, now: string, then: string | null) {
  return [col(first), col(now, "money"), ...(then !== null ? [col(then, "money")] : [])];
}

const span = (r: { from: string; to: string }) => `${r.from} – ${r.to}`;

function sectionRows(title: string, s: Section, lang: Lang, compare: boolean): CellValue[][] {
  const row = rowsOf(compare);
  return [
    row(title, null, null),
    ...s.lines.map((l) => row(nameOf(l.account, lang), l.amountMinor, l.compareMinor)),
    row(`${title}: ${financeMessages[lang].common.total}`, s.totalMinor, s.compareTotalMinor),
  ];
}

export function profitLossTable(pl: ProfitAndLoss, lang: Lang): ExportTable {
  const f = financeMessages[lang];
  const m = f.reports.profitLoss;
  const cmp = pl.compare !== null;
  return {
    name: `profit-and-loss-${pl.range.from}-${pl.range.to}`,
    title: `${m.title} ${span(pl.range)}`,
    columns: periodColumns(f.common.account, span(pl.range), cmp ? span(pl.compare!) : null),
    rows: [
      ...sectionRows(m.income, pl.income, lang, cmp),
      ...sectionRows(m.expenses, pl.expenses, lang, cmp),
    ],
    footer: [rowsOf(cmp)(m.netProfit, pl.netProfitMinor, pl.compareNetProfitMinor)],
  };
}

export function balanceSheetTable(bs: BalanceSheet, lang: Lang): ExportTable {
  const f = financeMessages[lang];
  const m = f.reports.balanceSheet;
  const cmp = bs.compareAt !== null;
  const row = rowsOf(cmp);
  return {
    name: `balance-sheet-${bs.at}`,
    title: `${m.title} ${bs.at}`,
    columns: periodColumns(f.common.account, bs.at, bs.compareAt),
    rows: [
      ...sectionRows(m.assets, bs.assets, lang, cmp),
      ...sectionRows(m.liabilities, bs.liabilities, lang, cmp),
      ...sectionRows(m.equity, bs.equity, lang, cmp),
      row(m.currentEarnings, bs.currentEarningsMinor, bs.compareCurrentEarningsMinor),
    ],
    footer: [
      row(m.totalLE, bs.totalLiabilitiesAndEquityMinor, bs.compareTotalLiabilitiesAndEquityMinor),
    ],
  };
}

export function cashFlowTable(cf: CashFlow, lang: Lang): ExportTable {
  const f = financeMessages[lang];
  const m = f.reports.cashFlow;
  const cmp = cf.compare !== null;
  const row = rowsOf(cmp);
  const rows: CellValue[][] = [row(m.opening, cf.openingMinor, cf.compareOpeningMinor)];
  for (const act of ["operating", "investing", "financing"] as const) {
    rows.push(row(m[act], null, null));
    for (const l of cf.lines.filter((x) => x.activity === act)) {
      rows.push(row(nameOf(l.account, lang), l.amountMinor, l.compareMinor));
    }
    const total = cf.totals[act];
    rows.push(row(`${m[act]}: ${f.common.total}`, total.amountMinor, total.compareMinor));
  }
  rows.push(row(m.netChange, cf.netChangeMinor, cf.compareNetChangeMinor));
  return {
    name: `cash-flow-${cf.range.from}-${cf.range.to}`,
    title: `${m.title} ${span(cf.range)}`,
    columns: periodColumns(f.common.account, span(cf.range), cmp ? span(cf.compare!) : null),
    rows,
    footer: [row(m.closing, cf.closingMinor, cf.compareClosingMinor)],
  };
}

export function dashboardTable(
  d: FinanceDashboard & { vat: { thisMonthMinor: number; lastMonthMinor: number } },
  lang: Lang,
): ExportTable {
  const m = financeMessages[lang].reports.dashboard;
  return {
    name: `finance-dashboard-${d.today}`,
    title: `${m.title} ${d.today}`,
    columns: [col(""), col(m.now, "money"), col(m.endOfLastMonth, "money")],
    rows: [
      [m.cash, d.cash.nowMinor, d.cash.lastMonthMinor],
      [m.receivables, d.receivables.nowMinor, d.receivables.lastMonthMinor],
      [m.payables, d.payables.nowMinor, d.payables.lastMonthMinor],
      [
        `${m.income} (${m.thisMonth} / ${m.lastMonth})`,
        d.income.thisMonthMinor,
        d.income.lastMonthMinor,
      ],
      [
        `${m.netProfit} (${m.thisMonth} / ${m.lastMonth})`,
        d.netProfit.thisMonthMinor,
        d.netProfit.lastMonthMinor,
      ],
      [`${m.vatDue} (${m.thisMonth} / ${m.lastMonth})`, d.vat.thisMonthMinor, d.vat.lastMonthMinor],
    ],
  };
}

/** The trial balance as a table (its page's CSV stays as it was; this adds XLSX). */
export function trialBalanceTable(tb: TrialBalance, lang: Lang): ExportTable {
  const f = financeMessages[lang];
  const a = accountingMessages[lang];
  return {
    name: `trial-balance-${tb.from}-${tb.to}`,
    title: `${a.trialBalance.title} ${tb.from} – ${tb.to}`,
    columns: [
      col(f.common.account),
      col(a.trialBalance.opening, "money"),
      col(a.common.debit, "money"),
      col(a.common.credit, "money"),
      col(a.common.balance, "money"),
    ],
    rows: tb.rows.map((r) => [
      nameOf(r.account, lang),
      r.openingMinor,
      r.debitMinor,
      r.creditMinor,
      r.closingMinor,
    ]),
    footer: [[
      f.common.total,
      tb.totals.openingMinor,
      tb.totals.debitMinor,
      tb.totals.creditMinor,
      tb.totals.closingMinor,
    ]],
  };
}

/** One account's general ledger as a table. */
export function generalLedgerTable(gl: GeneralLedger, lang: Lang): ExportTable {
  const f = financeMessages[lang];
  const a = accountingMessages[lang];
  return {
    name: `ledger-${gl.account.code}-${gl.from}-${gl.to}`,
    title: `${nameOf(gl.account, lang)} ${gl.from} – ${gl.to}`,
    columns: [
      col(a.common.date, "date"),
      col(f.common.entry, "number"),
      col(a.common.memo),
      col(a.common.debit, "money"),
      col(a.common.credit, "money"),
      col(a.common.balance, "money"),
    ],
    rows: [
      [gl.from, null, a.ledger.opening, null, null, gl.openingMinor],
      ...gl.lines.map((l) => [
        l.date,
        l.entryId,
        l.lineMemo || l.memo,
        l.debitMinor,
        l.creditMinor,
        l.balanceMinor,
      ]),
    ],
    footer: [[gl.to, null, a.ledger.closing, null, null, gl.closingMinor]],
  };
}

export type { VatDoc };

export function salesTable(r: SalesReport, lang: Lang): ExportTable {
  const f = financeMessages[lang];
  const m = f.reports.sales;
  const product = r.by === "product";
  const cmp = r.compare !== null;
  return {
    name: `sales-by-${r.by}-${r.range.from}-${r.range.to}`,
    title: `${m.by[r.by]} ${r.range.from} – ${r.range.to}`,
    columns: [
      col(m.name),
      col(m.orders, "number"),
      ...(product ? [col(m.qty, "number")] : []),
      col(m.net, "money"),
      col(m.vat, "money"),
      ...(cmp ? [col(`${m.net} ${r.compare!.from} – ${r.compare!.to}`, "money")] : []),
      ...(product ? [col(m.cost, "money"), col(m.margin, "money"), col(m.marginPct)] : []),
    ],
    rows: r.rows.map((x) => [
      `${x.key} ${lang === "bn" ? x.nameBn : x.nameEn}`,
      x.orders,
      ...(product ? [x.qty] : []),
      x.netMinor,
      x.vatMinor,
      ...(cmp ? [x.compareNetMinor] : []),
      ...(product
        ? [
          x.costMinor ?? m.costUnknown,
          x.marginMinor,
          x.marginBp === null ? null : `${(x.marginBp / 100).toFixed(2)}%`,
        ]
        : []),
    ]),
    footer: [[
      f.common.total,
      product ? null : r.totals.orders,
      ...(product ? [null] : []),
      r.totals.netMinor,
      r.totals.vatMinor,
      ...(cmp ? [r.totals.compareNetMinor] : []),
      ...(product ? [null, null, null] : []),
    ]],
  };
}
