import type { PageProps } from "@/framework/mod.ts";
import { oneOf } from "@/routes/admin/(_admin)/list_query.ts";
import { type Item, LOT_STATUSES, type LotRow, type StockRow } from "@/services/inventory/mod.ts";
import { FilterForm, FilterSelect } from "@/components/AdminFilters.tsx";
import {
  CodeCell,
  LotLink,
  placeName,
  QtyCell,
  StockTitle,
  Table,
  td,
} from "@/components/InventoryUi.tsx";
import { linkClass, LotStatusBadge } from "@/components/ui.tsx";
import type { State } from "@/state.ts";
import { type PageBase, stockPage, title } from "@/routes/admin/inventory/(_inv)/inv.ts";

interface Data {
  view: "item" | "lots";
  filters: { item: string; location: string; status: string };
  items: Item[];
  locations: { code: string; nameEn: string; nameBn: string }[];
  byItem: StockRow[];
  lots: LotRow[];
  today: string;
}

/** Lots (earliest expiry first) grouped by location in `order`, when asked to. */
function byLocation(lots: LotRow[], order: string[] | null): LotRow[] {
  if (!order) return lots;
  const rank = new Map(order.map((c, i) => [c, i]));
  return lots.map((l, i) => ({ l, i })).sort((a, b) =>
    (rank.get(a.l.locationCode) ?? 1e9) - (rank.get(b.l.locationCode) ?? 1e9) || a.i - b.i
  ).map((x) => x.l);
}

/**
 * Stock by item (on hand, reserved, available, blocked in lots not released) and the lots behind
 * it, by item or by location: lot, produced, expires, status, on hand, reserved, available.
 */
export const handler = stockPage<Data>(async (ctx) => {
  const inv = ctx.state.deps.inventory;
  const p = ctx.url.searchParams;
  title(ctx, ctx.state.t.stock.stock.title);
  const [items, locations] = await Promise.all([inv.items(), inv.locations()]);
  const item = items.find((i) => i.code === p.get("item"))?.code ?? "";
  const location = locations.find((l) => l.code === p.get("location"))?.code ?? "";
  const status = oneOf(LOT_STATUSES, p.get("status")) ?? "";
  const view = p.get("view") === "lots" || item || location || status ? "lots" : "item";
  const today = inv.today();
  return {
    view,
    filters: { item, location, status },
    items,
    locations,
    today,
    byItem: view === "item" ? await inv.stockByItem(today) : [],
    lots: view === "lots"
      ? byLocation(
        await inv.lots({
          itemCode: item || undefined,
          locationCode: location || undefined,
          status: status || undefined,
          limit: 500,
        }),
        p.get("by") === "location" ? locations.map((l) => l.code) : null,
      )
      : [],
  };
});

export default function Stock({ data, state, url }: PageProps<Data & PageBase, State>) {
  const m = state.t.stock;
  const S = m.stock;
  const lang = state.lang;
  const bn = lang === "bn";
  const items = new Map(data.items.map((i) => [i.code, i]));
  const f = data.filters;
  type Opt = readonly [string, string];
  const filters: [keyof Data["filters"], string, string, Opt[]][] = [
    ["item", m.common.item, S.anyItem, data.items.map((i): Opt => [i.code, placeName(i, lang)])],
    [
      "location",
      m.common.location,
      S.anyLocation,
      data.locations.map((l): Opt => [l.code, placeName(l, lang)]),
    ],
    ["status", m.common.status, S.anyStatus, LOT_STATUSES.map((s): Opt => [s, m.lotStatus[s]])],
  ];
  return (
    <>
      <StockTitle m={m} path={url.pathname} title={S.title} intro={S.intro} />
      <FilterForm action="/admin/inventory/stock" submit={S.view}>
        <input type="hidden" name="view" value="lots" />
        <input type="hidden" name="by" value="location" />
        {filters.map(([name, label, any, options]) => (
          <FilterSelect label={label} name={name} value={f[name]} any={any} options={options} />
        ))}
      </FilterForm>
      <p class="text-sm mb-3 flex gap-3">
        <a
          href="/admin/inventory/stock"
          class={linkClass}
          aria-current={data.view === "item" ? "page" : undefined}
        >
          {S.byItem}
        </a>
        <a href="/admin/inventory/stock?view=lots&by=location" class={linkClass}>
          {S.byLocation}
        </a>
      </p>
      {data.view === "item"
        ? (
          <Table
            head={[
              m.common.item,
              `#${S.onHand}`,
              `#${S.reserved}`,
              `#${S.available}`,
              `#${m.lotStatus.hold} / ${m.lotStatus.quarantine}`,
            ]}
            testid="stock-by-item"
          >
            {data.byItem.map((r) => (
              <tr data-item={r.code}>
                <td class={td}>
                  <a href={`/admin/inventory/stock?view=lots&item=${r.code}`} class={linkClass}>
                    {bn ? r.nameBn : r.nameEn}
                  </a>
                  <div class="text-xs text-gray-600">
                    <code>{r.code}</code>
                  </div>
                </td>
                <QtyCell qty={r.onHand} base={r.base} lang={lang} />
                <QtyCell qty={r.reserved} base={r.base} lang={lang} />
                <QtyCell qty={r.available} base={r.base} lang={lang} />
                <QtyCell qty={r.blocked} base={r.base} lang={lang} />
              </tr>
            ))}
          </Table>
        )
        : data.lots.length === 0
        ? <p>{S.none}</p>
        : (
          <Table
            head={[
              S.lotCode,
              m.common.item,
              m.common.location,
              S.produced,
              S.expires,
              m.common.status,
              `#${S.onHand}`,
              `#${S.reserved}`,
              `#${S.available}`,
            ]}
            testid="stock-lots"
          >
            {data.lots.map((l) => {
              const base = items.get(l.itemCode)?.base ?? "pc";
              const expired = !!l.expiresOn && l.expiresOn < data.today;
              return (
                <tr data-lot={l.code} data-location={l.locationCode}>
                  <td class={td}>
                    <LotLink id={l.id} code={l.code} />
                  </td>
                  <td class={td}>
                    {bn ? items.get(l.itemCode)?.nameBn ?? l.itemName : l.itemName}
                  </td>
                  <CodeCell code={l.locationCode} />
                  <td class={td}>{l.producedOn}</td>
                  <td class={`${td} ${expired ? "text-red-700 font-semibold" : ""}`}>
                    {l.expiresOn ?? m.common.none}
                    {expired && ` (${S.expired})`}
                  </td>
                  <td class={td}>
                    <LotStatusBadge status={l.status} label={m.lotStatus[l.status]} />
                  </td>
                  <QtyCell qty={l.onHand} base={base} lang={lang} />
                  <QtyCell qty={l.reserved} base={base} lang={lang} />
                  <QtyCell qty={l.onHand - l.reserved} base={base} lang={lang} />
                </tr>
              );
            })}
          </Table>
        )}
    </>
  );
}
