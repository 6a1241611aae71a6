import type { PageProps } from "@/framework/mod.ts";
import { type CashFlow, financeTables } from "@/services/accounting/mod.ts";
import type { State } from "@/state.ts";
import {
  fm,
  rangeReportHandler,
  RangeStatement,
  type ReportData,
} from "../(_accounting)/finance.tsx";
import { AccountRows, amountRows, HeadingRow } from "../(_accounting)/statement.tsx";

type Data = ReportData<CashFlow>;

export const handler = rangeReportHandler(
  (accounting, range, compare) => accounting.cashFlow(range, compare),
  (r, lang) => financeTables.cashFlowTable(r, lang),
  (m) => m.reports.cashFlow.title,
);

export default function CashFlowPage({ data, state }: PageProps<Data, State>) {
  const lang = state.lang;
  const f = fm(lang);
  const m = f.reports.cashFlow;
  const cf = data.report;
  const cmp = cf.compare !== null;
  const row = amountRows(lang, cmp);
  return (
    <>
      <RangeStatement
        state={state}
        current="cashFlow"
        title={m.title}
        intro={m.intro}
        links={data.links}
        range={cf.range}
        compare={cf.compare}
      >
        {row(m.opening, cf.openingMinor, cf.compareOpeningMinor, { "data-opening": "" })}
        {(["operating", "investing", "financing"] as const).map((act) => (
          <>
            <HeadingRow title={m[act]} compare={cmp} />
            <AccountRows
              lines={cf.lines.filter((l) => l.activity === act)}
              lang={lang}
              compare={cmp}
              ledger={cf.range}
            />
            {row(
              `${m[act]}: ${f.common.total}`,
              cf.totals[act].amountMinor,
              cf.totals[act].compareMinor,
              { "data-activity": act },
            )}
          </>
        ))}
        {row(m.netChange, cf.netChangeMinor, cf.compareNetChangeMinor, {
          "data-net-change": String(cf.netChangeMinor),
        })}
        {row(m.closing, cf.closingMinor, cf.compareClosingMinor, {
          "data-closing": String(cf.closingMinor),
        })}
      </RangeStatement>
      <p class="text-sm text-gray-700">
        {m.cashAccounts}:{" "}
        {cf.cashAccounts.map((a) => `${a.code} ${lang === "bn" ? a.nameBn : a.nameEn}`).join(", ")}
      </p>
    </>
  );
}
