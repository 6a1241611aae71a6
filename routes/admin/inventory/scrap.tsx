import type { PageProps } from "@/framework/mod.ts";
import { type Location, SCRAP_REASONS, type ScrapRecord } from "@/services/inventory/mod.ts";
import { Pager } from "@/components/AdminFilters.tsx";
import {
  Csrf,
  FormErrors,
  Notice,
  placeName,
  Qty,
  QtyField,
  SelectInput,
  StockTitle,
  Table,
  td,
  tdNum,
  TextInput,
  when,
} from "@/components/InventoryUi.tsx";
import { Button, linkClass } from "@/components/ui.tsx";
import type { State } from "@/state.ts";
import { type PageBase, stockPage, title } from "@/routes/admin/inventory/(_inv)/inv.ts";
import { pageParam } from "@/routes/admin/(_admin)/list_query.ts";

const PAGE = 50;

interface Data {
  rows: ScrapRecord[];
  total: number;
  page: number;
  locations: Location[];
}

/** Scrap stock of a lot at a location with a reason; the scrap record, newest first. */
export const handler = stockPage<Data>(async (ctx) => {
  const inv = ctx.state.deps.inventory;
  const page = pageParam(ctx.url.searchParams);
  title(ctx, ctx.state.t.stock.scrap.title);
  const [{ rows, total }, locations] = await Promise.all([
    inv.scraps({ limit: PAGE, offset: (page - 1) * PAGE }),
    inv.locations(false),
  ]);
  return { rows, total, page, locations };
}, {
  async scrap(ctx, v, actor) {
    await ctx.state.deps.inventory.scrap({
      lot: v.lot ?? "",
      location: v.location ?? "",
      qty: v.qty ?? "",
      unit: v.unit ?? "",
      reason: v.reason ?? "",
      note: v.note,
    }, actor);
    return "/admin/inventory/scrap?done=scrapped";
  },
});

export default function Scrap({ data, state, url }: PageProps<Data & PageBase, State>) {
  const m = state.t.stock;
  const S = m.scrap;
  const lang = state.lang;
  return (
    <>
      <StockTitle m={m} path={url.pathname} title={S.title} intro={S.intro} />
      {data.done === "scrapped" && <Notice>{S.done}</Notice>}
      <form method="post" class="max-w-xl bg-white border border-gray-200 rounded-lg p-4 mb-6">
        <Csrf token={data.csrf} />
        <input type="hidden" name="op" value="scrap" />
        <FormErrors m={m} errors={data.errors} />
        <TextInput
          name="lot"
          label={S.lotCode}
          values={data.values}
          errors={data.errors}
          required
          maxLength={80}
        />
        <SelectInput
          name="location"
          label={m.common.location}
          options={data.locations.map((l) => [l.code, placeName(l, lang)])}
          values={data.values}
          errors={data.errors}
          blank=""
        />
        <QtyField
          m={m}
          lang={lang}
          name="qty"
          unitName="unit"
          values={data.values}
          errors={data.errors}
        />
        <SelectInput
          name="reason"
          label={S.reason}
          options={SCRAP_REASONS.map((r) => [r, S.reasons[r]])}
          values={data.values}
          errors={data.errors}
          blank=""
        />
        <TextInput
          name="note"
          label={m.common.note}
          values={data.values}
          errors={data.errors}
          maxLength={500}
        />
        <Button kind="danger">{S.submit}</Button>
      </form>
      <h2 class="text-lg font-semibold mb-2">{S.recent}</h2>
      {data.rows.length === 0 ? <p>{S.none}</p> : (
        <Table
          head={[
            m.common.when,
            m.common.lot,
            m.common.item,
            m.common.location,
            `#${m.common.quantity}`,
            S.reason,
            m.common.who,
          ]}
          testid="scraps"
        >
          {data.rows.map((r) => (
            <tr data-scrap={r.id}>
              <td class={td}>{when(r.at, lang)}</td>
              <td class={td}>
                <a href={`/admin/inventory/lots/${r.lotId}`} class={linkClass}>
                  <code>{r.lotCode}</code>
                </a>
              </td>
              <td class={td}>{lang === "bn" ? r.itemNameBn : r.itemNameEn}</td>
              <td class={td}>
                <code>{r.locationCode}</code>
              </td>
              <td class={tdNum}>
                <Qty qty={r.qty} base={r.base} lang={lang} />
              </td>
              <td class={td}>{S.reasons[r.reason]}{r.note ? ` — ${r.note}` : ""}</td>
              <td class={td}>{r.actorName}</td>
            </tr>
          ))}
        </Table>
      )}
      <Pager
        url={url}
        page={data.page}
        hasNext={data.page * PAGE < data.total}
        labels={{ prev: m.common.prev, next: m.common.next }}
      />
    </>
  );
}
