import type { PageProps } from "@/framework/mod.ts";
import { financeTables, type ProfitAndLoss } from "@/services/accounting/mod.ts";
import type { State } from "@/state.ts";
import {
  fm,
  rangeReportHandler,
  RangeStatement,
  type ReportData,
} from "../(_accounting)/finance.tsx";
import { SectionRows } from "../(_accounting)/statement.tsx";
import { num, taka, td } from "../(_accounting)/ui.tsx";

type Data = ReportData<ProfitAndLoss>;

export const handler = rangeReportHandler(
  (accounting, range, compare) => accounting.profitAndLoss(range, compare),
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
      <RangeStatement
        state={state}
        current="profitLoss"
        title={m.title}
        links={data.links}
        range={pl.range}
        compare={pl.compare}
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
      </RangeStatement>
    </>
  );
}
