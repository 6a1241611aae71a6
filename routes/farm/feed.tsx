import type { Context, PageProps } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import {
  addDays,
  type FarmGroup,
  feedCostPerLitre,
  type FeedingRow,
  type FeedItem,
  kgToLitres,
  type Ration,
  type StockOnHand,
} from "@/services/farm/mod.ts";
import { formatTaka } from "@/services/i18n/mod.ts";
import {
  AlertBox,
  FarmCard,
  FarmStat,
  FarmTable,
  fmtNum,
  PostButton,
  SavedNotice,
  td,
  tdNum,
} from "@/components/FarmUi.tsx";
import { buttonClass, Field, inputClass } from "@/components/ui.tsx";
import type { FarmCtx, FormBase } from "@/routes/farm/(_farm)/farm.ts";
import { farmFormHandlers, title } from "@/routes/farm/(_farm)/farm.ts";

interface Own {
  today: string;
  items: FeedItem[];
  rations: Ration[];
  groups: FarmGroup[];
  given: FeedingRow[];
  perLitreMinor: number | null;
  costMinor: number;
  canManage: boolean;
  /** Feed item id → kg in the farm store (linked feeds only). */
  stock: Map<number, StockOnHand>;
}

interface Data extends Own, FormBase {
  errors: Record<string, Record<string, string>>;
}

async function load(f: FarmCtx, ctx: Context<State>): Promise<Own> {
  title(ctx, f.m.feed.title);
  const from = addDays(f.today, -29);
  const [items, rations, groups, given, milk, cost, stock] = await Promise.all([
    f.farm.listFeedItems(),
    f.farm.currentRations(f.today),
    f.farm.listGroups(),
    f.farm.feedingsOn(f.today),
    f.farm.farmDailyTotals(from, f.today),
    f.farm.feedCostBetween(from, f.today),
    f.farm.feedStock(),
  ]);
  const litres = kgToLitres(milk.reduce((a, d) => a + d.saleableKg, 0));
  return {
    today: f.today,
    items,
    rations,
    groups,
    given,
    perLitreMinor: feedCostPerLitre(cost, litres),
    costMinor: cost,
    canManage: f.can("farm.manage"),
    stock,
  };
}

export const handler = farmFormHandlers<Data>({
  load,
  byAction: true,
  async act(f, v) {
    if (v.action === "ration") {
      await f.farm.feedRation({ date: f.today, groupId: Number(v.groupId) }, f.actor);
    } else if (v.action === "feeding") {
      await f.farm.recordFeeding({
        date: v.date || f.today,
        groupId: v.groupId as never,
        feedItemId: v.feedItemId as never,
        quantityKg: v.quantityKg as never,
      }, f.actor);
    } else if (v.action === "item") {
      const taka = Number((v.price ?? "").replace(",", "."));
      await f.farm.saveFeedItem({
        name: v.name,
        kind: v.kind as never,
        dryMatterPct: v.dryMatterPct as never,
        costPerKgMinor: Number.isFinite(taka) && v.price !== "" ? Math.round(taka * 100) : NaN,
      }, f.actor);
    }
    return "/farm/feed?saved=1";
  },
});

export default function Feed({ data, state }: PageProps<Data, State>) {
  const m = state.t.farm;
  const lang = state.lang;
  const err = (a: string) => data.errors[a] ?? {};
  const given = data.given.reduce((a, g) => a + g.costMinor, 0);
  const formError = (action: string) =>
    err(action).form || Object.keys(err(action)).length > 0
      ? err(action).form ?? m.common.fixErrors
      : undefined;
  const formHead = (action: string) => (
    <>
      <input type="hidden" name="_csrf" value={data.csrf} />
      <input type="hidden" name="action" value={action} />
      {formError(action) !== undefined && <AlertBox>{formError(action)}</AlertBox>}
    </>
  );
  return (
    <>
      <h1 class="text-xl font-bold mb-3">{m.feed.title}</h1>
      <SavedNotice shown={data.saved} m={m} />
      <div class="grid grid-cols-2 gap-2 mb-4">
        <FarmStat
          label={m.feed.costPerLitre}
          value={data.perLitreMinor === null ? "—" : formatTaka(data.perLitreMinor, lang)}
        />
        <FarmStat label={`${m.feed.given}: ${m.common.today}`} value={formatTaka(given, lang)} />
      </div>
      <FarmCard title={m.feed.rations}>
        {data.rations.map((r) => (
          <div class="mb-3">
            <div class="flex flex-wrap items-center gap-2">
              <h3 class="font-medium">{r.groupName}</h3>
              <span class="text-xs text-gray-600">
                {m.feed.costPerHead}: {formatTaka(r.costPerHeadMinor, lang)}
              </span>
              <PostButton
                csrf={data.csrf}
                action="ration"
                fields={{ groupId: r.groupId }}
                error={formError("ration")}
                formClass="ml-auto m-0"
                buttonClass="text-sm text-brand-700 underline"
              >
                {m.feed.feedRation}
              </PostButton>
            </div>
            <ul class="text-sm text-gray-700">
              {r.items.map((i) => <li>{i.name}: {fmtNum(i.kgPerHead, lang, 2)} {m.feed.perHead}
              </li>)}
            </ul>
          </div>
        ))}
      </FarmCard>
      <FarmCard title={`${m.feed.given}: ${m.common.today}`}>
        {data.given.length === 0
          ? <p class="text-sm text-gray-600">{m.empty.feedGiven}</p>
          : (
            <FarmTable
              head={[m.common.group, m.feed.items, m.common.kg, m.feed.cost]}
              numeric={[2, 3]}
            >
              {data.given.map((g) => (
                <tr>
                  <td class={td}>{g.groupName}</td>
                  <td class={td}>{g.item}</td>
                  <td class={tdNum}>{fmtNum(g.quantityKg, lang, 1)}</td>
                  <td class={tdNum}>{formatTaka(g.costMinor, lang)}</td>
                </tr>
              ))}
            </FarmTable>
          )}
      </FarmCard>
      <details
        class="bg-white rounded-lg border border-gray-200 p-3 mb-4"
        open={!!data.errors.feeding}
      >
        <summary class="font-semibold cursor-pointer">{m.feed.record}</summary>
        <form method="post" class="mt-2" novalidate>
          {formHead("feeding")}
          <Field id="fd-group" label={m.common.group} error={err("feeding").groupId}>
            <select id="fd-group" name="groupId" class={inputClass()}>
              {data.groups.map((g) => (
                <option value={g.id} selected={data.values.groupId === String(g.id)}>
                  {g.name}
                </option>
              ))}
            </select>
          </Field>
          <Field id="fd-item" label={m.feed.items} error={err("feeding").feedItemId}>
            <select id="fd-item" name="feedItemId" class={inputClass()}>
              {data.items.map((i) => (
                <option value={i.id} selected={data.values.feedItemId === String(i.id)}>
                  {i.name}
                </option>
              ))}
            </select>
          </Field>
          <Field id="fd-date" label={m.common.date} error={err("feeding").date}>
            <input
              id="fd-date"
              name="date"
              type="date"
              value={data.values.date ?? data.today}
              max={data.today}
              class={inputClass()}
            />
          </Field>
          <Field id="fd-qty" label={m.feed.quantity} error={err("feeding").quantityKg}>
            <input
              id="fd-qty"
              name="quantityKg"
              inputMode="decimal"
              value={data.values.quantityKg ?? ""}
              class={inputClass(!!err("feeding").quantityKg)}
            />
          </Field>
          <button type="submit" class={buttonClass()}>{m.common.save}</button>
        </form>
      </details>
      <FarmCard title={m.feed.items}>
        <FarmTable
          head={[m.feed.items, m.feed.pricePerKg, m.stock.inStock]}
          numeric={[1, 2]}
          empty={m.empty.feedItems}
        >
          {data.items.map((i) => {
            const st = data.stock.get(i.id);
            return (
              <tr>
                <td class={td}>{i.name}</td>
                <td class={tdNum}>{formatTaka(i.costPerKgMinor, lang)}</td>
                <td class={tdNum} data-stock={st ? st.units : undefined}>
                  {st ? `${fmtNum(st.units, lang, 1)} kg` : m.stock.notLinked}
                </td>
              </tr>
            );
          })}
        </FarmTable>
        {data.canManage && (
          <details class="mt-3" open={!!data.errors.item}>
            <summary class="text-brand-700 cursor-pointer">
              {m.common.add} / {m.feed.pricePerKg}
            </summary>
            <form method="post" class="mt-2" novalidate>
              {formHead("item")}
              <Field id="it-name" label={m.common.name} error={err("item").name}>
                <input
                  id="it-name"
                  name="name"
                  list="feed-names"
                  value={data.values.name ?? ""}
                  class={inputClass(!!err("item").name)}
                />
                <datalist id="feed-names">
                  {data.items.map((i) => <option value={i.name} />)}
                </datalist>
              </Field>
              <Field id="it-kind" label="Kind" error={err("item").kind}>
                <select id="it-kind" name="kind" class={inputClass()}>
                  {["forage", "concentrate", "mineral", "other"].map((k) => (
                    <option value={k}>{k}</option>
                  ))}
                </select>
              </Field>
              <Field id="it-dm" label="DM %" error={err("item").dryMatterPct}>
                <input
                  id="it-dm"
                  name="dryMatterPct"
                  inputMode="decimal"
                  value={data.values.dryMatterPct ?? ""}
                  class={inputClass()}
                />
              </Field>
              <Field
                id="it-price"
                label={`${m.feed.pricePerKg} (৳)`}
                error={err("item").costPerKgMinor}
              >
                <input
                  id="it-price"
                  name="price"
                  inputMode="decimal"
                  value={data.values.price ?? ""}
                  class={inputClass(!!err("item").costPerKgMinor)}
                />
              </Field>
              <button type="submit" class={buttonClass()}>{m.common.save}</button>
            </form>
          </details>
        )}
      </FarmCard>
    </>
  );
}
