import type { PageProps } from "@/framework/mod.ts";
import { type BalanceSheet, financeTables, fiscalYearOf } from "@/services/accounting/mod.ts";
import type { State } from "@/state.ts";
import { queryDate } from "../(_accounting)/lib.ts";
import {
  DateField,
  fm,
  type ReportData,
  ReportForm,
  reportHandler,
  ReportTop,
} from "../(_accounting)/finance.tsx";
import { amountRows, SectionRows } from "../(_accounting)/statement.tsx";
import { Table } from "../(_accounting)/ui.tsx";

type Data = ReportData<BalanceSheet>;

export const handler = reportHandler(
  async (ctx, accounting) => {
    const at = queryDate(ctx, "at", accounting.today());
    return await accounting.balanceSheet(at, queryDate(ctx, "compareAt", "") || null);
  },
  (r, lang) => financeTables.balanceSheetTable(r, lang),
  (m) => m.reports.balanceSheet.title,
);

export default function BalanceSheetPage({ data, state }: PageProps<Data, State>) {
  const lang = state.lang;
  const f = fm(lang);
  const m = f.reports.balanceSheet;
  const bs = data.report;
  const cmp = bs.compareAt !== null;
  const ledger = { from: fiscalYearOf(bs.at).startsOn, to: bs.at };
  const row = amountRows(lang, cmp);
  return (
    <>
      <ReportTop state={state} current="balanceSheet" title={m.title} />
      <ReportForm lang={lang} links={data.links}>
        <DateField name="at" label={f.common.at} value={bs.at} />
        <DateField name="compareAt" label={f.common.compareAt} value={bs.compareAt ?? ""} />
      </ReportForm>
      <p
        role="status"
        data-balanced={bs.balanced ? "yes" : "no"}
        class={`mb-3 ${bs.balanced ? "text-green-800" : "text-red-800 font-semibold"}`}
      >
        {bs.balanced ? m.balanced : m.notBalanced}
      </p>
      <Table head={[f.common.account, bs.at, ...(cmp ? [bs.compareAt!] : [])]}>
        <SectionRows
          sections={[
            ["assets", m.assets, bs.assets],
            ["liabilities", m.liabilities, bs.liabilities],
            ["equity", m.equity, bs.equity],
          ]}
          totalWord={f.common.total}
          lang={lang}
          compare={cmp}
          ledger={ledger}
        />
        {row(
          m.currentEarnings,
          bs.currentEarningsMinor,
          bs.compareCurrentEarningsMinor,
          { "data-current-earnings": String(bs.currentEarningsMinor) },
          "",
        )}
        {row(
          m.totalLE,
          bs.totalLiabilitiesAndEquityMinor,
          bs.compareTotalLiabilitiesAndEquityMinor,
          { "data-total": "liabilities-equity" },
          "font-bold",
        )}
      </Table>
    </>
  );
}
