import type { PageProps } from "@/framework/mod.ts";
import { linkClass } from "@/components/ui.tsx";
import {
  financeTables,
  SALES_DIMENSIONS,
  type SalesDimension,
  type SalesReport,
} from "@/services/accounting/mod.ts";
import type { State } from "@/state.ts";
import {
  fm,
  queryCompare,
  queryRange,
  RangeFields,
  type ReportData,
  ReportForm,
  reportHandler,
  ReportTop,
} from "../(_accounting)/finance.tsx";
import { num, Table, taka, td } from "../(_accounting)/ui.tsx";

type Data = ReportData<SalesReport>;

export const handler = reportHandler(
  async (ctx, accounting) => {
    const today = accounting.today();
    const q = ctx.url.searchParams.get("by") ?? "";
    const by: SalesDimension = (SALES_DIMENSIONS as readonly string[]).includes(q)
      ? q as SalesDimension
      : "product";
    const range = queryRange(ctx, { from: `${today.slice(0, 7)}-01`, to: today });
    return await accounting.salesReport(by, range, queryCompare(ctx));
  },
  (r, lang) => financeTables.salesTable(r, lang),
  (m) => m.reports.sales.title,
);

export default function SalesPage({ data, state }: PageProps<Data, State>) {
  const lang = state.lang;
  const f = fm(lang);
  const m = f.reports.sales;
  const r = data.report;
  const product = r.by === "product";
  const cmp = r.compare !== null;
  const q = (by: string) =>
    `/admin/accounting/reports/sales?by=${by}&from=${r.range.from}&to=${r.range.to}${
      cmp ? `&compareFrom=${r.compare!.from}&compareTo=${r.compare!.to}` : ""
    }`;
  return (
    <>
      <ReportTop state={state} current="sales" title={m.title} intro={m.intro} />
      <p class="flex flex-wrap gap-3 mb-3">
        {SALES_DIMENSIONS.map((by) => (
          <a
            class={by === r.by ? "font-semibold" : linkClass}
            href={q(by)}
            aria-current={by === r.by ? "page" : undefined}
          >
            {m.by[by]}
          </a>
        ))}
      </p>
      <ReportForm lang={lang} links={data.links}>
        <input type="hidden" name="by" value={r.by} />
        <RangeFields lang={lang} range={r.range} compare={r.compare} />
      </ReportForm>
      {!r.connected
        ? <p>{m.notConnected}</p>
        : r.rows.length === 0
        ? <p>{f.common.empty}</p>
        : (
          <Table
            head={[
              m.name,
              m.orders,
              ...(product ? [m.qty] : []),
              m.net,
              m.vat,
              ...(cmp ? [`${r.compare!.from} – ${r.compare!.to}`] : []),
              ...(product ? [m.cost, m.margin, m.marginPct] : []),
            ]}
          >
            {r.rows.map((x) => (
              <tr data-key={x.key}>
                <td class={td}>
                  {x.key} {lang === "bn" ? x.nameBn : x.nameEn}
                </td>
                <td class={num}>{x.orders}</td>
                {product && <td class={num}>{x.qty}</td>}
                <td class={num}>{taka(x.netMinor, lang)}</td>
                <td class={num}>{taka(x.vatMinor, lang)}</td>
                {cmp && <td class={num}>{taka(x.compareNetMinor, lang)}</td>}
                {product && (x.costMinor === null
                  ? (
                    <td class={`${td} text-gray-600`} colSpan={3} data-cost="unknown">
                      {m.costUnknown}
                    </td>
                  )
                  : (
                    <>
                      <td class={num} data-cost={String(x.costMinor)}>
                        {taka(x.costMinor, lang)}
                      </td>
                      <td class={num} data-margin={String(x.marginMinor)}>
                        {taka(x.marginMinor ?? 0, lang)}
                      </td>
                      <td class={num}>
                        {x.marginBp === null ? "" : `${(x.marginBp / 100).toFixed(2)}%`}
                      </td>
                    </>
                  ))}
              </tr>
            ))}
            <tr class="font-semibold" data-totals={String(r.totals.netMinor)}>
              <td class={td}>{f.common.total}</td>
              <td class={num}>{product ? "" : r.totals.orders}</td>
              {product && <td class={num}></td>}
              <td class={num}>{taka(r.totals.netMinor, lang)}</td>
              <td class={num}>{taka(r.totals.vatMinor, lang)}</td>
              {cmp && <td class={num}>{taka(r.totals.compareNetMinor, lang)}</td>}
              {product && <td class={td} colSpan={3}></td>}
            </tr>
          </Table>
        )}
    </>
  );
}
