import type { PageProps } from "@/framework/mod.ts";
import { linkClass } from "@/components/ui.tsx";
import { type CashFlow, financeTables } from "@/services/accounting/mod.ts";
import type { State } from "@/state.ts";
import {
  fm,
  rangeReportHandler,
  RangeStatement,
  type ReportData,
} from "../(_accounting)/finance.tsx";
import { num, taka, td } from "../(_accounting)/ui.tsx";

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
  const row = (label: string, a: number, c: number, attrs: Record<string, string> = {}) => (
    <tr class="font-semibold" {...attrs}>
      <td class={td}>{label}</td>
      <td class={num}>{taka(a, lang)}</td>
      {cmp && <td class={num}>{taka(c, lang)}</td>}
    </tr>
  );
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
            <tr class="bg-gray-50">
              <th class={`${td} text-left`} colSpan={cmp ? 3 : 2}>{m[act]}</th>
            </tr>
            {cf.lines.filter((l) => l.activity === act).map((l) => (
              <tr data-account={l.account.code}>
                <td class={td}>
                  <a
                    class={linkClass}
                    href={`/admin/accounting/reports/ledger?account=${
                      encodeURIComponent(l.account.code)
                    }&from=${cf.range.from}&to=${cf.range.to}`}
                  >
                    {l.account.code}
                  </a>{" "}
                  {lang === "bn" ? l.account.nameBn : l.account.nameEn}
                </td>
                <td class={num}>{taka(l.amountMinor, lang)}</td>
                {cmp && <td class={num}>{taka(l.compareMinor, lang)}</td>}
              </tr>
            ))}
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
