import type { PageProps } from "@/framework/mod.ts";
import { financeTables, type ProfitAndLoss } from "@/services/accounting/mod.ts";
import type { State } from "@/state.ts";
import {
  fm,
  rangeReportHandler,
  RangeStatement,
  type ReportData,
} from "../(_accounting)/finance.tsx";
import { amountRows, SectionRows } from "../(_accounting)/statement.tsx";

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
          sections={[["income", m.income, pl.income], ["expenses", m.expenses, pl.expenses]]}
          totalWord={f.common.total}
          lang={lang}
          compare={cmp}
          ledger={pl.range}
        />
        {amountRows(lang, cmp)(
          m.netProfit,
          pl.netProfitMinor,
          pl.compareNetProfitMinor,
          { "data-net-profit": String(pl.netProfitMinor) },
          "font-bold",
        )}
      </RangeStatement>
    </>
  );
}
