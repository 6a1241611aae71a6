import type { PageProps } from "@/framework/mod.ts";
import { TRANSFER_STATUSES, type TransferSummary } from "@/services/inventory/mod.ts";
import { FilterForm, FilterSelect } from "@/components/AdminFilters.tsx";
import {
  Badge,
  CodeCell,
  ListPager,
  PAGE_SIZE,
  StockTitle,
  Table,
  td,
  tdNum,
  when,
} from "@/components/InventoryUi.tsx";
import { buttonClass, linkClass } from "@/components/ui.tsx";
import type { State } from "@/state.ts";
import { type PageBase, stockPage, title } from "@/routes/admin/inventory/(_inv)/inv.ts";
import { oneOf, pageParam } from "@/routes/admin/(_admin)/list_query.ts";

interface Data {
  rows: TransferSummary[];
  total: number;
  status: string;
  page: number;
}

/** Transfers, newest first, by status. */
export const handler = stockPage<Data>(async (ctx) => {
  const p = ctx.url.searchParams;
  const status = oneOf(TRANSFER_STATUSES, p.get("status"));
  const page = pageParam(p);
  title(ctx, ctx.state.t.stock.transfers.title);
  const { rows, total } = await ctx.state.deps.inventory.transfers({
    status,
    limit: PAGE_SIZE,
    offset: (page - 1) * PAGE_SIZE,
  });
  return { rows, total, status: status ?? "", page };
});

export default function Transfers({ data, state, url }: PageProps<Data & PageBase, State>) {
  const m = state.t.stock;
  const T = m.transfers;
  return (
    <>
      <StockTitle m={m} path={url.pathname} title={T.title} intro={T.intro}>
        <a href="/admin/inventory/transfers/new" class={buttonClass()}>{T.new}</a>
      </StockTitle>
      <FilterForm action="/admin/inventory/transfers" submit={m.common.filter}>
        <FilterSelect
          label={m.common.status}
          name="status"
          value={data.status}
          any={T.anyStatus}
          options={TRANSFER_STATUSES.map((s) => [s, T.status[s]])}
        />
      </FilterForm>
      <p class="text-sm text-gray-700 mb-2">{m.common.total(data.total)}</p>
      {data.rows.length === 0
        ? <p>{T.none}</p>
        : (
          <Table head={[T.number, T.from, T.to, `#${T.lines}`, m.common.status, T.created]}>
            {data.rows.map((r) => (
              <tr data-transfer={r.number}>
                <td class={td}>
                  <a href={`/admin/inventory/transfers/${r.id}`} class={linkClass}>{r.number}</a>
                </td>
                <CodeCell code={r.fromCode} />
                <CodeCell code={r.toCode} />
                <td class={tdNum}>{r.lines}</td>
                <td class={td}>
                  <Badge status={r.status} text={T.status[r.status]} />
                </td>
                <td class={td}>{when(r.createdAt, state.lang)} · {r.createdBy}</td>
              </tr>
            ))}
          </Table>
        )}
      <ListPager m={m} url={url} page={data.page} total={data.total} />
    </>
  );
}
