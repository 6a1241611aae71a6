import type { Context, PageProps } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import { type FeedItemRow } from "@/services/farm/mod.ts";
import { fill } from "@/services/farm/mod.ts";
import { formatTaka } from "@/services/i18n/mod.ts";
import { fmtNum } from "@/components/FarmUi.tsx";
import type { FarmCtx } from "@/routes/farm/(_farm)/farm.ts";
import {
  activeValue,
  editHandlers,
  pageBase,
  poishaToInput,
  takaToPoisha,
} from "@/routes/farm/manage/(_manage)/manage.ts";
import {
  EditForm,
  EditRow,
  InputField,
  ManageHeader,
  Notices,
  SelectField,
} from "@/routes/farm/manage/(_manage)/ui.tsx";

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
  f: FarmCtx,
  editId: number | null,
  values: Record<string, string> | null,
  errors: Record<string, string>,
): Promise<Data> {
  const base = await pageBase(ctx, f.m.manage.feeds);
  const items = await f.farm.listAllFeedItems();
  const it = editId ? items.find((x) => x.id === editId) : undefined;
  return {
    ...base,
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
  };
}

export const handler = editHandlers<Data, Record<string, string>>({
  permission: "farm.manage",
  path: "/farm/manage/feeds",
  read: (_ctx, values) => values,
  page,
  async save(f, id, values) {
    const input = {
      name: values.name,
      kind: values.kind,
      dryMatterPct: values.dryMatterPct ?? "",
      costPerKgMinor: takaToPoisha(values.costPerKg),
      active: activeValue(id, values),
    };
    if (id) await f.farm.updateFeedItem(id, input as never, f.actor);
    else await f.farm.saveFeedItem(input as never, f.actor);
  },
});

export default function Feeds({ data, state }: PageProps<Data, State>) {
  const m = state.t.farm;
  const lang = state.lang;
  const e = data.errors;
  const v = data.values;
  const form = { errors: e, values: v };
  const editing = data.items.find((x) => x.id === data.editId);
  return (
    <>
      <ManageHeader m={m} title={m.manage.feeds} />
      <Notices m={m} saved={data.saved} errors={e} />
      <ul class="grid gap-2 mb-4">
        {data.items.map((it) => (
          <EditRow
            m={m}
            name={it.name}
            active={it.active}
            href={`/farm/manage/feeds?edit=${it.id}#form`}
          >
            <p class="text-sm text-gray-600">
              {m.manage.feedKind[it.kind] ?? it.kind} · {formatTaka(it.costPerKgMinor, lang)}/{m
                .common.kg}
              {it.dryMatterPct !== null &&
                ` · ${m.manage.dryMatter}: ${fmtNum(it.dryMatterPct, lang, 1)}`}
            </p>
          </EditRow>
        ))}
      </ul>
      <EditForm
        m={m}
        action="/farm/manage/feeds"
        csrf={data.csrf}
        editingId={editing?.id}
        title={editing ? fill(m.manage.editing, { name: editing.name }) : m.manage.newFeed}
        active={v.active === "on"}
      >
        <InputField {...form} id="name" label={m.common.name} />
        <SelectField
          {...form}
          id="kind"
          label={m.manage.kind}
          options={KINDS.map((k) => [k, m.manage.feedKind[k]] as const)}
        />
        <InputField {...form} id="costPerKg" label={m.manage.costPerKg} inputMode="decimal" />
        <InputField {...form} id="dryMatterPct" label={m.manage.dryMatter} inputMode="decimal" />
      </EditForm>
    </>
  );
}
