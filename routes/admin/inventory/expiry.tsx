import type { PageProps } from "@/framework/mod.ts";
import { DEFAULT_ALERT_DAYS, type Item } from "@/services/inventory/mod.ts";
import {
  CodeCell,
  FormErrors,
  LotLink,
  Notice,
  OpForm,
  QtyCell,
  StockTitle,
  Table,
  td,
  when,
} from "@/components/InventoryUi.tsx";
import { FilterForm, FilterText } from "@/components/AdminFilters.tsx";
import { Button, LotStatusBadge } from "@/components/ui.tsx";
import type { State } from "@/state.ts";
import { type PageBase, stockPage, title } from "@/routes/admin/inventory/(_inv)/inv.ts";

const DEFAULT_DAYS = 7;

interface Data {
  days: number;
  /** The days as typed, when they were not a number from 0 to 365. */
  badDays: string | null;
  rows: Awaited<ReturnType<State["deps"]["inventory"]["expiring"]>>;
  items: Item[];
  /** After the alert button: how many lots were alerted. */
  sent: number | null;
}

function daysOf(text: string | null): number | null {
  if (text === null || text.trim() === "") return DEFAULT_DAYS;
  return /^[0-9]{1,3}$/.test(text.trim()) && Number(text) <= 365 ? Number(text) : null;
}

/**
 * Lots with stock expiring within N days (expired ones first), soonest first; and the button
 * that sends the expiry alerts now (the daily job sends the same, once per lot).
 */
export const handler = stockPage<Data>(async (ctx) => {
  const inv = ctx.state.deps.inventory;
  const p = ctx.url.searchParams;
  const parsed = daysOf(p.get("days"));
  const days = parsed ?? DEFAULT_DAYS;
  title(ctx, ctx.state.t.stock.expiry.title);
  const sent = p.get("sent");
  return {
    days,
    badDays: parsed === null ? (p.get("days") ?? "").slice(0, 10) : null,
    rows: await inv.expiring(days),
    items: await inv.items(false),
    sent: sent !== null && /^[0-9]{1,6}$/.test(sent) ? Number(sent) : null,
  };
}, {
  async alert(ctx) {
    const { lots } = await ctx.state.deps.inventory.sendExpiryAlerts(DEFAULT_ALERT_DAYS);
    return `/admin/inventory/expiry?sent=${lots}`;
  },
});

export default function Expiry({ data, state, url }: PageProps<Data & PageBase, State>) {
  const m = state.t.stock;
  const E = m.expiry;
  const lang = state.lang;
  const base = new Map(data.items.map((i) => [i.code, i.base]));
  return (
    <>
      <StockTitle m={m} path={url.pathname} title={E.title} intro={E.intro} />
      {data.sent !== null && <Notice>{E.alerted(data.sent)}</Notice>}
      {data.badDays !== null && <Notice kind="error">{m.errors.badDays}</Notice>}
      <FormErrors m={m} errors={data.errors} />
      <FilterForm action="/admin/inventory/expiry" submit={m.stock.view}>
        <FilterText label={E.days} name="days" value={String(data.days)} width="sm:w-24" />
      </FilterForm>
      {data.rows.length === 0 ? <p class="mb-4">{E.none}</p> : (
        <Table
          head={[
            m.stock.expires,
            m.common.lot,
            m.common.item,
            m.common.location,
            m.common.status,
            `#${m.stock.onHand}`,
            `#${m.stock.reserved}`,
            E.alertedAt,
          ]}
          testid="near-expiry"
        >
          {data.rows.map((r) => {
            const b = base.get(r.itemCode) ?? "pc";
            return (
              <tr data-lot={r.lotCode} class={r.expired ? "bg-red-50" : ""}>
                <td
                  class={`${td} whitespace-nowrap ${r.expired ? "text-red-700 font-semibold" : ""}`}
                >
                  {r.expiresOn}
                  {r.expired && ` (${m.stock.expired})`}
                </td>
                <td class={td}>
                  <LotLink id={r.lotId} code={r.lotCode} />
                </td>
                <td class={td}>{lang === "bn" ? r.itemName.bn : r.itemName.en}</td>
                <CodeCell code={r.locationCode} />
                <td class={td}>
                  <LotStatusBadge status={r.status} label={m.lotStatus[r.status]} />
                </td>
                <QtyCell qty={r.onHand} base={b} lang={lang} />
                <QtyCell qty={r.reserved} base={b} lang={lang} />
                <td class={td}>{r.alertedAt ? when(r.alertedAt, lang) : m.common.none}</td>
              </tr>
            );
          })}
        </Table>
      )}
      <OpForm csrf={data.csrf} op="alert" class="max-w-xl">
        <p class="text-sm mb-3">{E.alertHint}</p>
        <Button kind="secondary">{E.alert}</Button>
      </OpForm>
    </>
  );
}
