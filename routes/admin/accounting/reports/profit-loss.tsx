import type { PageProps } from "@/framework/mod.ts";
import { PageTitle } from "@/components/IotUi.tsx";
import { buttonClass } from "@/components/ui.tsx";
import { financeTables, fiscalYearOf, type ProfitAndLoss } from "@/services/accounting/mod.ts";
import type { State } from "@/state.ts";
import {
  DateField,
  ExportLinks,
  fm,
  queryCompare,
  queryRange,
  type ReportData,
  reportHandler,
  ReportTabs,
} from "../(_accounting)/finance.tsx";
import { SectionRows } from "../(_accounting)/statement.tsx";
import { AccountingTabs, num, Table, taka, td } from "../(_accounting)/ui.tsx";

type Data = ReportData<ProfitAndLoss>;

export const handler = reportHandler(
  async (ctx, accounting) => {
    const today = accounting.today();
    const range = queryRange(ctx, { from: fiscalYearOf(today).startsOn, to: today });
    return await accounting.profitAndLoss(range, queryCompare(ctx));
  },
  (r, lang) => financeTables.profitLossTable(r, lang),
  (m) => m.reports.profitLoss.title,
);

export default function ProfitLossPage({ data, state }: PageProps<Data, State>) {
  const lang = state.lang;
  const f = fm(lang);
  const m = f.reports.profitLoss;
  const pl = data.report;
  const cmp = pl.compare !== null;
  return (
    <>
      <PageTitle title={m.title} />
      <AccountingTabs m={state.t.accounting} current="statements" />
      <ReportTabs lang={lang} current="profitLoss" />
      <form method="get" class="flex flex-wrap items-end gap-3 mb-4">
        <DateField name="from" label={f.common.from} value={pl.range.from} />
        <DateField name="to" label={f.common.to} value={pl.range.to} />
        <DateField name="compareFrom" label={f.common.compareFrom} value={pl.compare?.from ?? ""} />
        <DateField name="compareTo" label={f.common.compareTo} value={pl.compare?.to ?? ""} />
        <button type="submit" class={buttonClass("secondary")}>{f.common.show}</button>
        <ExportLinks lang={lang} {...data.links} />
      </form>
      <Table
        head={[
          f.common.account,
          `${pl.range.from} – ${pl.range.to}`,
          ...(cmp ? [`${pl.compare!.from} – ${pl.compare!.to}`] : []),
        ]}
      >
        <SectionRows
          id="income"
          title={m.income}
          totalLabel={`${m.income}: ${f.common.total}`}
          s={pl.income}
          lang={lang}
          compare={cmp}
          ledger={pl.range}
        />
        <SectionRows
          id="expenses"
          title={m.expenses}
          totalLabel={`${m.expenses}: ${f.common.total}`}
          s={pl.expenses}
          lang={lang}
          compare={cmp}
          ledger={pl.range}
        />
        <tr class="font-bold" data-net-profit={String(pl.netProfitMinor)}>
          <td class={td}>{m.netProfit}</td>
          <td class={num}>{taka(pl.netProfitMinor, lang)}</td>
          {cmp && <td class={num}>{taka(pl.compareNetProfitMinor, lang)}</td>}
        </tr>
      </Table>
    </>
  );
}
