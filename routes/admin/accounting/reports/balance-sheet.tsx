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
import { SectionRows } from "../(_accounting)/statement.tsx";
import { num, Table, taka, td } from "../(_accounting)/ui.tsx";

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
          id="assets"
          title={m.assets}
          totalLabel={`${m.assets}: ${f.common.total}`}
          s={bs.assets}
          lang={lang}
          compare={cmp}
          ledger={ledger}
        />
        <SectionRows
          id="liabilities"
          title={m.liabilities}
          totalLabel={`${m.liabilities}: ${f.common.total}`}
          s={bs.liabilities}
          lang={lang}
          compare={cmp}
          ledger={ledger}
        />
        <SectionRows
          id="equity"
          title={m.equity}
          totalLabel={`${m.equity}: ${f.common.total}`}
          s={bs.equity}
          lang={lang}
          compare={cmp}
          ledger={ledger}
        />
        <tr data-current-earnings={String(bs.currentEarningsMinor)}>
          <td class={td}>{m.currentEarnings}</td>
          <td class={num}>{taka(bs.currentEarningsMinor, lang)}</td>
          {cmp && <td class={num}>{taka(bs.compareCurrentEarningsMinor, lang)}</td>}
        </tr>
        <tr class="font-bold" data-total="liabilities-equity">
          <td class={td}>{m.totalLE}</td>
          <td class={num}>{taka(bs.totalLiabilitiesAndEquityMinor, lang)}</td>
          {cmp && <td class={num}>{taka(bs.compareTotalLiabilitiesAndEquityMinor, lang)}</td>}
        </tr>
      </Table>
    </>
  );
}
