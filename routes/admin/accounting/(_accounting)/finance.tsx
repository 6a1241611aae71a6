/**
 * Pieces of the VAT and financial statement pages (not a route): their sub-tabs, the export
 * links and answers (CSV, XLSX), the period fields, and service refusals in the page's language.
 */
import type { ComponentChildren } from "preact";
import type { Context } from "@/framework/mod.ts";
import { PageTitle } from "@/components/IotUi.tsx";
import {
  buttonClass,
  FormErrorList,
  inputClass,
  linkClass,
  SectionTabs,
} from "@/components/ui.tsx";
import {
  type ExportFormat,
  exportResponse,
  type ExportTable,
  financeMessages,
  fiscalYearOf,
  ValidationError,
} from "@/services/accounting/mod.ts";
import { type VatReturn, vatReturns } from "@/services/accounting/mod.ts";
import type { Lang } from "@/services/i18n/mod.ts";
import { requirePermission } from "@/plugins/session.ts";
import type { State } from "@/state.ts";
import type { Accounting } from "@/services/accounting/mod.ts";
import { type Errors, queryDate, serviceErrors } from "./lib.ts";
import { AccountingTabs, Table } from "./ui.tsx";

export const fm = (lang: Lang) => financeMessages[lang];

/** The VAT pages and the statements need accounting.manage (the accountant, the admin). */
export function requireAccountant(ctx: Context<State>) {
  requirePermission(ctx, "accounting.manage");
}

const VAT_TABS = [
  ["/admin/accounting/vat/return", "return"],
  ["/admin/accounting/vat/sales", "sales"],
  ["/admin/accounting/vat/purchases", "purchases"],
  ["/admin/accounting/vat/withholding", "withholding"],
  ["/admin/accounting/vat/tax-classes", "taxClasses"],
] as const;

export function VatTabs(props: { lang: Lang; current: string }) {
  const m = fm(props.lang).vat;
  return (
    <SectionTabs
      label={m.title}
      current={props.current}
      tabs={VAT_TABS.map(([href, key]) => [href, key, m.nav[key]] as const)}
    />
  );
}

const REPORT_TABS = [
  ["/admin/accounting/reports/profit-loss", "profitLoss"],
  ["/admin/accounting/reports/balance-sheet", "balanceSheet"],
  ["/admin/accounting/reports/cash-flow", "cashFlow"],
  ["/admin/accounting/reports/sales", "sales"],
  ["/admin/accounting/reports/dashboard", "dashboard"],
] as const;

export function ReportTabs(props: { lang: Lang; current: string }) {
  const m = fm(props.lang).reports;
  return (
    <SectionTabs
      label={m.nav.profitLoss}
      current={props.current}
      tabs={REPORT_TABS.map(([href, key]) => [href, key, m.nav[key]] as const)}
    />
  );
}

/** `?format=csv|xlsx` asks for the file instead of the page. */
export function exportFormat(ctx: Context<State>): ExportFormat | null {
  const f = ctx.url.searchParams.get("format");
  return f === "csv" || f === "xlsx" ? f : null;
}

/** The page's export, when asked for. */
export async function maybeExport(
  ctx: Context<State>,
  table: () => ExportTable,
): Promise<Response | null> {
  return await maybeExportAsync(ctx, () => Promise.resolve(table()));
}

/** maybeExport for a table that needs more reading first (built only when a file is asked). */
export async function maybeExportAsync(
  ctx: Context<State>,
  table: () => Promise<ExportTable>,
): Promise<Response | null> {
  const f = exportFormat(ctx);
  return f ? await exportResponse(await table(), f) : null;
}

/** The same page's URL asking for a file. */
export function exportUrl(ctx: Context<State>, format: ExportFormat): string {
  const u = new URL(ctx.url);
  u.searchParams.set("format", format);
  return u.pathname + u.search;
}

export function ExportLinks(props: { lang: Lang; csv: string; xlsx: string }) {
  const m = fm(props.lang).common;
  return (
    <span class="flex gap-3 text-sm" data-exports>
      <a class={linkClass} href={props.csv} download>{m.download} {m.csv}</a>
      <a class={linkClass} href={props.xlsx} download>{m.download} {m.xlsx}</a>
    </span>
  );
}

export interface Links {
  csv: string;
  xlsx: string;
}

export const links = (ctx: Context<State>): Links => ({
  csv: exportUrl(ctx, "csv"),
  xlsx: exportUrl(ctx, "xlsx"),
});

/** `?month=YYYY-MM`, else the fallback. */
export function queryMonth(ctx: Context<State>, fallback: string): string {
  const v = ctx.url.searchParams.get("month") ?? "";
  return vatReturns.isMonth(v) ? v : fallback;
}

/** For accountants only: the VAT return of the month the query names (last month by default). */
export async function queriedVatReturn(ctx: Context<State>): Promise<VatReturn> {
  requireAccountant(ctx);
  const accounting = ctx.state.deps.accounting;
  return await accounting.vatReturn(
    queryMonth(ctx, vatReturns.previousMonth(accounting.today().slice(0, 7))),
  );
}

/** A from–to range from the query (swapped when reversed), defaulting to the given range. */
export function queryRange(
  ctx: Context<State>,
  fallback: { from: string; to: string },
  names: [string, string] = ["from", "to"],
): { from: string; to: string } {
  let from = queryDate(ctx, names[0], fallback.from);
  let to = queryDate(ctx, names[1], fallback.to);
  if (from > to) [from, to] = [to, from];
  return { from, to };
}

/** An optional comparison range (both ends given), else null. */
export function queryCompare(ctx: Context<State>): { from: string; to: string } | null {
  const cf = queryDate(ctx, "compareFrom", "");
  const ct = queryDate(ctx, "compareTo", "");
  if (!cf || !ct) return null;
  return cf <= ct ? { from: cf, to: ct } : { from: ct, to: cf };
}

/** The fiscal year to date, unless the query names another range. */
export function yearToDate(ctx: Context<State>, accounting: Accounting) {
  const today = accounting.today();
  return queryRange(ctx, { from: fiscalYearOf(today).startsOn, to: today });
}

type Range = { from: string; to: string };

/** A report table's first column and its period columns (the comparison's when there is one). */
export const periodHead = (first: string, range: Range, compare: Range | null) => [
  first,
  `${range.from} – ${range.to}`,
  ...(compare ? [`${compare.from} – ${compare.to}`] : []),
];

/** The top of a statement page: its title, the accounting tabs and the statements' own tabs. */
export function ReportTop(
  props: { state: State; current: string; title: string; intro?: string; tab?: string },
) {
  return (
    <>
      <PageTitle title={props.title} intro={props.intro} />
      <AccountingTabs m={props.state.t.accounting} current={props.tab ?? "statements"} />
      <ReportTabs lang={props.state.lang} current={props.current} />
    </>
  );
}

/** A report's query form: its fields, Show, and the CSV/XLSX links of what is shown. */
export function ReportForm(props: { lang: Lang; links?: Links; children: ComponentChildren }) {
  return (
    <form method="get" class="flex flex-wrap items-end gap-3 mb-4">
      {props.children}
      <button type="submit" class={buttonClass("secondary")}>{fm(props.lang).common.show}</button>
      {props.links && <ExportLinks lang={props.lang} {...props.links} />}
    </form>
  );
}

/** From and to, and the comparison's from and to. */
export function RangeFields(props: { lang: Lang; range: Range; compare: Range | null }) {
  const m = fm(props.lang).common;
  return (
    <>
      <DateField name="from" label={m.from} value={props.range.from} />
      <DateField name="to" label={m.to} value={props.range.to} />
      <DateField name="compareFrom" label={m.compareFrom} value={props.compare?.from ?? ""} />
      <DateField name="compareTo" label={m.compareTo} value={props.compare?.to ?? ""} />
    </>
  );
}

/**
 * A statement over a date range with an optional comparison (profit and loss, cash flow): its
 * top, the range form, then its rows (`children`) under a column per period.
 */
export function RangeStatement(props: {
  state: State;
  current: string;
  title: string;
  intro?: string;
  links: Links;
  range: Range;
  compare: Range | null;
  children: ComponentChildren;
}) {
  const lang = props.state.lang;
  return (
    <>
      <ReportTop
        state={props.state}
        current={props.current}
        title={props.title}
        intro={props.intro}
      />
      <ReportForm lang={lang} links={props.links}>
        <RangeFields lang={lang} range={props.range} compare={props.compare} />
      </ReportForm>
      <Table head={periodHead(fm(lang).common.account, props.range, props.compare)}>
        {props.children}
      </Table>
    </>
  );
}

/**
 * A labelled box of a query (GET) form: the label above, the input below it. `width` adds a
 * width class ("w-28") to the shared input look.
 */
export function QueryField(props: {
  name: string;
  label: string;
  value: string | undefined;
  type?: "date" | "month" | "text";
  maxLength?: number;
  width?: string;
}) {
  return (
    <label class="text-sm">
      {props.label}
      <input
        name={props.name}
        type={props.type}
        value={props.value}
        maxLength={props.maxLength}
        class={`${inputClass()} block${props.width ? ` ${props.width}` : ""}`}
      />
    </label>
  );
}

export function DateField(props: { name: string; label: string; value: string | undefined }) {
  return <QueryField {...props} type="date" />;
}

/** A refusal a person can fix, by field, in the page's language (else as the ledger says). */
export function financeErrors(e: unknown, lang: Lang): Errors {
  if (e instanceof ValidationError) {
    const t = fm(lang).vat.errors;
    const out: Errors = {};
    for (const [k, v] of Object.entries(e.fieldErrors)) {
      const key = /^Choose a date after (.+), the latest rate's date$/.exec(v);
      const text = key
        ? (lang === "bn" ? `${key[1]}-এর পরের একটি তারিখ বেছে নিন (সর্বশেষ হারের তারিখ)` : v)
        : t[v] ?? v;
      (out[k] ??= []).push(text);
    }
    return out;
  }
  return serviceErrors(e, lang);
}

export function FormErrors(props: { errors: Errors; lang: Lang }) {
  return <FormErrorList errors={props.errors} intro={fm(props.lang).common.fixErrors} />;
}

/** What a report page receives: the report and its export links. */
export interface ReportData<R> {
  report: R;
  links: Links;
}

/** The GET of an accountant's page whose table can also be downloaded (`?format=csv|xlsx`). */
export function exportableGet<D>(
  page: (ctx: Context<State>) => Promise<D>,
  table: (data: D, lang: Lang) => ExportTable,
) {
  return async (ctx: Context<State>) => {
    requireAccountant(ctx);
    const data = await page(ctx);
    return await maybeExport(ctx, () => table(data, ctx.state.lang)) ?? { data };
  };
}

/**
 * A financial report page's handler: the accountant only; the report read from the query, the
 * CSV/XLSX file when one is asked for, else the page with its title and export links.
 */
export function reportHandler<R>(
  read: (ctx: Context<State>, accounting: Accounting) => Promise<R>,
  table: (report: R, lang: Lang) => ExportTable,
  title: (m: ReturnType<typeof fm>) => string,
) {
  return {
    GET: async (ctx: Context<State>) => {
      requireAccountant(ctx);
      const report = await read(ctx, ctx.state.deps.accounting);
      const file = await maybeExport(ctx, () => table(report, ctx.state.lang));
      if (file) return file;
      ctx.state.title = title(fm(ctx.state.lang));
      return { data: { report, links: links(ctx) } satisfies ReportData<R> };
    },
  };
}

/** `reportHandler` for a statement over a range: year to date unless the query names one. */
export function rangeReportHandler<R>(
  read: (accounting: Accounting, range: Range, compare: Range | null) => Promise<R>,
  table: (report: R, lang: Lang) => ExportTable,
  title: (m: ReturnType<typeof fm>) => string,
) {
  return reportHandler(
    (ctx, accounting) => read(accounting, yearToDate(ctx, accounting), queryCompare(ctx)),
    table,
    title,
  );
}
