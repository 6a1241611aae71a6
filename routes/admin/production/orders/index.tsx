import type { Handlers, PageProps } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import { cleanQuery, type OrderRow, type OrderStatus } from "@/services/production/mod.ts";
import { FilterForm, FilterSelect, FilterText } from "@/components/AdminFilters.tsx";
import { buttonClass, linkClass } from "@/components/ui.tsx";
import { day, num, PageTitle, pct, productionActor, Table, td } from "../(_prod)/prod.tsx";

const STATUSES: OrderStatus[] = ["planned", "started", "finished", "cancelled"];

interface Data {
  rows: OrderRow[];
  f: { status: string; q: string };
}

export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    productionActor(ctx);
    const p = ctx.url.searchParams;
    const status = STATUSES.find((s) => s === p.get("status")) ?? "";
    const q = cleanQuery(p.get("q"), 40);
    const rows = await ctx.state.deps.production.listOrders({ status, q });
    ctx.state.title = `${ctx.state.t.production.orders.title} — Smart Dairy`;
    return { data: { rows, f: { status, q } } };
  },
};

export default function Orders({ data, state }: PageProps<Data, State>) {
  const m = state.t.production;
  const t = m.orders;
  const lang = state.lang;
  return (
    <>
      <PageTitle title={t.title} intro={t.intro}>
        <a href="/admin/production/orders/new" class={buttonClass()}>{t.newOrder}</a>
      </PageTitle>
      <FilterForm action="/admin/production/orders" submit={m.common.filter}>
        <FilterText label={m.common.search} name="q" value={data.f.q} placeholder="MO-00001" />
        <FilterSelect
          label={m.common.status}
          name="status"
          value={data.f.status}
          any={m.common.any}
          options={STATUSES.map((s) => [s, m.statuses[s]] as const)}
        />
      </FilterForm>
      {data.rows.length === 0 ? <p class="text-gray-700">{m.common.none}</p> : (
        <Table
          head={[t.number, t.product, t.plannedOn, t.planned, t.actual, t.loss, m.common.status]}
        >
          {data.rows.map((o) => (
            <tr data-order={o.number}>
              <td class={td}>
                <a href={`/admin/production/orders/${o.id}`} class={linkClass}>{o.number}</a>
              </td>
              <td class={td}>{o.outputItemCode}</td>
              <td class={td}>{day(lang, o.plannedOn)}</td>
              <td class={td}>{num(lang, o.plannedQty)}</td>
              <td class={td}>{num(lang, o.actualQty)}</td>
              <td class={td}>
                {pct(lang, o.lossBp)}
                {o.flagged && (
                  <span class="ml-2 rounded bg-red-700 text-white px-2 py-0.5 text-xs">
                    {t.flagged}
                  </span>
                )}
              </td>
              <td class={td}>{m.statuses[o.status]}</td>
            </tr>
          ))}
        </Table>
      )}
    </>
  );
}
