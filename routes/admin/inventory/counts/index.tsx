import type { PageProps } from "@/framework/mod.ts";
import type { CountSummary } from "@/services/inventory/mod.ts";
import {
  Badge,
  CodeCell,
  ListPager,
  OpForm,
  placeName,
  SelectInput,
  StockTitle,
  Table,
  td,
  tdNum,
  when,
} from "@/components/InventoryUi.tsx";
import { Button, linkClass } from "@/components/ui.tsx";
import type { State } from "@/state.ts";
import { listPage, type PageBase, type PagedList } from "@/routes/admin/inventory/(_inv)/inv.ts";

type Data = PagedList<CountSummary>;

/** Cycle counts, newest first, and starting one for a location. */
export const handler = listPage((m) => m.counts.title, (inv) => inv.counts, {
  async start(ctx, v, actor) {
    const { id } = await ctx.state.deps.inventory.startCount(v.location ?? "", actor);
    return `/admin/inventory/counts/${id}`;
  },
});

export default function Counts({ data, state, url }: PageProps<Data & PageBase, State>) {
  const m = state.t.stock;
  const C = m.counts;
  return (
    <>
      <StockTitle m={m} path={url.pathname} title={C.title} intro={C.intro} />
      <OpForm csrf={data.csrf} op="start" m={m} errors={data.errors} class="max-w-xl">
        <SelectInput
          name="location"
          label={m.common.location}
          options={data.locations.map((l) => [l.code, placeName(l, state.lang)])}
          form={data}
        />
        <p class="text-xs text-gray-600 mb-3">{C.startHint}</p>
        <Button>{C.start}</Button>
      </OpForm>
      {data.rows.length === 0 ? <p>{C.none}</p> : (
        <Table
          head={[
            "#",
            m.common.location,
            m.common.status,
            `#${m.common.lot}`,
            `#${C.variance}`,
            m.common.when,
          ]}
        >
          {data.rows.map((r) => (
            <tr data-count={r.id}>
              <td class={td}>
                <a href={`/admin/inventory/counts/${r.id}`} class={linkClass}>{r.id}</a>
              </td>
              <CodeCell code={r.locationCode} />
              <td class={td}>
                <Badge status={r.status} text={C.status[r.status]} />
              </td>
              <td class={tdNum}>{r.lines}</td>
              <td class={tdNum}>{r.variances}</td>
              <td class={td}>{when(r.createdAt, state.lang)} · {r.createdBy}</td>
            </tr>
          ))}
        </Table>
      )}
      <ListPager m={m} url={url} page={data.page} total={data.total} />
    </>
  );
}
