import type { Context, Handlers, PageProps } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import {
  type FeedItemRow,
  listAllFeedItems,
  saveFeedItem,
  updateFeedItem,
} from "@/services/farm/feed.ts";
import { fill, fm } from "@/services/farm/messages.ts";
import { formatTaka } from "@/services/i18n/mod.ts";
import {
  FarmBadge,
  farmButton,
  farmButtonLight,
  FarmField,
  farmInput,
  fmtNum,
} from "@/components/FarmUi.tsx";
import { farmGuard, formValues, title } from "../_farm.ts";
import { manageErrors, poishaToInput, seeOther, takaToPoisha } from "./_manage.ts";
import { FormBox, ManageHeader, Notices, selectClass } from "./_ui.tsx";

const KINDS = ["forage", "concentrate", "mineral", "other"] as const;

interface Data {
  csrf: string;
  items: FeedItemRow[];
  editId: number | null;
  values: Record<string, string>;
  errors: Record<string, string>;
  saved: boolean;
}

async function page(
  ctx: Context<State>,
  f: ReturnType<typeof farmGuard>,
  editId: number | null,
  values: Record<string, string> | null,
  errors: Record<string, string>,
): Promise<Data> {
  title(ctx, f.m.manage.feeds);
  const items = await listAllFeedItems(f.db.sql);
  const it = editId ? items.find((x) => x.id === editId) : undefined;
  return {
    csrf: await ctx.csrfToken(),
    items,
    editId: it?.id ?? null,
    values: values ?? (it
      ? {
        name: it.name,
        kind: it.kind,
        dryMatterPct: it.dryMatterPct === null ? "" : String(it.dryMatterPct),
        costPerKg: poishaToInput(it.costPerKgMinor),
        active: it.active ? "on" : "",
      }
      : { active: "on" }),
    errors,
    saved: ctx.url.searchParams.has("saved"),
  };
}

export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    const f = farmGuard(ctx, "farm.manage");
    return { data: await page(ctx, f, Number(ctx.url.searchParams.get("edit")) || null, null, {}) };
  },
  async POST(ctx) {
    const f = farmGuard(ctx, "farm.manage");
    const values = formValues(ctx);
    const id = Number(values.id) || null;
    const input = {
      name: values.name,
      kind: values.kind,
      dryMatterPct: values.dryMatterPct ?? "",
      costPerKgMinor: takaToPoisha(values.costPerKg),
      active: id ? values.active ?? "" : "on",
    };
    try {
      if (id) await updateFeedItem(f.db.sql, id, input as never, f.actor);
      else await saveFeedItem(f.db.sql, input as never, f.actor);
      return seeOther("/farm/manage/feeds?saved=1");
    } catch (e) {
      return { status: 422, data: await page(ctx, f, id, values, manageErrors(f.m, e)) };
    }
  },
};

export default function Feeds({ data, state }: PageProps<Data, State>) {
  const m = fm(state.lang);
  const lang = state.lang;
  const e = data.errors;
  const v = data.values;
  const editing = data.items.find((x) => x.id === data.editId);
  return (
    <>
      <ManageHeader m={m} title={m.manage.feeds} />
      <Notices m={m} saved={data.saved} errors={e} />
      <ul class="grid gap-2 mb-4">
        {data.items.map((it) => (
          <li class="bg-white rounded-lg border border-gray-200 p-3 flex items-start gap-2">
            <div class="flex-1 min-w-0">
              <p class="font-semibold">
                {it.name} {!it.active && <FarmBadge tone="gray">{m.manage.inactive}</FarmBadge>}
              </p>
              <p class="text-sm text-gray-600">
                {m.manage.feedKind[it.kind] ?? it.kind} · {formatTaka(it.costPerKgMinor, lang)}/{m
                  .common.kg}
                {it.dryMatterPct !== null &&
                  ` · ${m.manage.dryMatter}: ${fmtNum(it.dryMatterPct, lang, 1)}`}
              </p>
            </div>
            <a href={`/farm/manage/feeds?edit=${it.id}#form`} class={`${farmButtonLight} text-sm`}>
              {m.common.edit}
            </a>
          </li>
        ))}
      </ul>
      <FormBox
        id="form"
        title={editing ? fill(m.manage.editing, { name: editing.name }) : m.manage.newFeed}
      >
        <form method="post" action="/farm/manage/feeds" novalidate>
          <input type="hidden" name="_csrf" value={data.csrf} />
          {editing && <input type="hidden" name="id" value={String(editing.id)} />}
          <FarmField id="name" label={m.common.name} error={e.name}>
            <input
              id="name"
              name="name"
              value={v.name ?? ""}
              class={farmInput(!!e.name)}
              aria-invalid={e.name ? "true" : undefined}
            />
          </FarmField>
          <FarmField id="kind" label={m.manage.kind} error={e.kind}>
            <select id="kind" name="kind" class={selectClass(!!e.kind)}>
              <option value="">—</option>
              {KINDS.map((k) => (
                <option value={k} selected={v.kind === k}>{m.manage.feedKind[k]}</option>
              ))}
            </select>
          </FarmField>
          <FarmField id="costPerKg" label={m.manage.costPerKg} error={e.costPerKg}>
            <input
              id="costPerKg"
              name="costPerKg"
              inputMode="decimal"
              value={v.costPerKg ?? ""}
              class={farmInput(!!e.costPerKg)}
              aria-invalid={e.costPerKg ? "true" : undefined}
            />
          </FarmField>
          <FarmField id="dryMatterPct" label={m.manage.dryMatter} error={e.dryMatterPct}>
            <input
              id="dryMatterPct"
              name="dryMatterPct"
              inputMode="decimal"
              value={v.dryMatterPct ?? ""}
              class={farmInput(!!e.dryMatterPct)}
              aria-invalid={e.dryMatterPct ? "true" : undefined}
            />
          </FarmField>
          {editing && (
            <label class="flex items-center gap-2 mb-3">
              <input type="checkbox" name="active" checked={v.active === "on"} />
              {m.manage.active}
            </label>
          )}
          <div class="flex gap-2">
            <button type="submit" class={`${farmButton} flex-1`}>
              {editing ? m.common.save : m.common.add}
            </button>
            {editing && <a href="/farm/manage/feeds" class={farmButtonLight}>{m.common.cancel}</a>}
          </div>
        </form>
      </FormBox>
    </>
  );
}
