import type { PageProps } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import type { FeedItemRow, GroupRow, Ration } from "@/services/farm/mod.ts";
import { formatTaka } from "@/services/i18n/mod.ts";
import { fmtDay, fmtNum, InputField } from "@/components/FarmUi.tsx";
import { type ManageData, manageScreen } from "@/routes/farm/manage/(_manage)/manage.ts";
import { EditLink, ManagePage, SelectField } from "@/routes/farm/manage/(_manage)/ui.tsx";

interface Choices {
  groups: GroupRow[];
  feeds: FeedItemRow[];
}

/** Form values: a feed's quantity is under `kg_<feed id>`. */
type Data = ManageData<Ration, Choices>;

export const handler = manageScreen<Ration, Choices>({
  permission: "farm.manage",
  path: "/farm/manage/rations",
  title: (m) => m.manage.rations,
  async load(f, editId) {
    const [rows, groups, feeds] = await Promise.all([
      f.farm.listRations(),
      f.farm.listAllGroups(),
      f.farm.listAllFeedItems(),
    ]);
    const r = rows.find((x) => x.id === editId);
    return {
      rows,
      extra: {
        groups: groups.filter((g) => g.active || g.id === r?.groupId),
        feeds: feeds.filter((x) => x.active || r?.items.some((i) => i.feedItemId === x.id)),
      },
    };
  },
  toForm(r) {
    const values: Record<string, string> = {
      groupId: String(r.groupId),
      name: r.name,
      validFrom: r.validFrom,
    };
    for (const it of r.items) values[`kg_${it.feedItemId}`] = String(it.kgPerHead);
    return { values };
  },
  blank: (f) => ({ values: { validFrom: f.today } }),
  async save(f, id, { values }) {
    // Feeds with an empty quantity are not in the ration; a typed one is validated as given.
    const items = Object.entries(values)
      .filter(([k, x]) => k.startsWith("kg_") && x.trim() !== "")
      .map(([k, x]) => ({ feedItemId: k.slice(3), kgPerHead: x.trim() }));
    const input = {
      groupId: values.groupId ?? "",
      name: values.name ?? "",
      validFrom: values.validFrom ?? "",
      items,
    };
    if (id) await f.farm.updateRation(id, input as never, f.actor);
    else await f.farm.createRation(input as never, f.actor);
  },
});

export default function Rations({ data, state }: PageProps<Data, State>) {
  const m = state.t.farm;
  const lang = state.lang;
  const e = data.errors;
  const v = data.values;
  const form = { errors: e, values: v };
  return (
    <ManagePage
      m={m}
      title={m.manage.rations}
      path="/farm/manage/rations"
      data={data}
      name={(r) => `${r.groupName} · ${r.name}`}
      newTitle={m.manage.newRation}
      row={(r) => (
        <li class="bg-white rounded-lg border border-gray-200 p-3">
          <div class="flex items-start gap-2">
            <div class="flex-1 min-w-0">
              <p class="font-semibold">{r.groupName} · {r.name}</p>
              <p class="text-sm text-gray-600">
                {m.manage.validFrom}: {fmtDay(r.validFrom, lang)} · {m.manage.costPerHead}:{" "}
                {formatTaka(r.costPerHeadMinor, lang)}
              </p>
            </div>
            <EditLink m={m} href={`/farm/manage/rations?edit=${r.id}#form`} />
          </div>
          <ul class="text-sm mt-1">
            {r.items.map((it) => (
              <li>
                {it.name}: {fmtNum(it.kgPerHead, lang, 1)} {m.common.kg}
              </li>
            ))}
          </ul>
        </li>
      )}
    >
      <SelectField
        {...form}
        id="groupId"
        label={m.common.group}
        options={data.extra.groups.map((g) => [String(g.id), g.name] as const)}
      />
      <InputField {...form} id="name" label={m.common.name} />
      <InputField {...form} id="validFrom" label={m.manage.validFrom} type="date" />
      <fieldset class="mb-3">
        <legend class="block text-sm font-medium mb-1">{m.manage.kgPerHead}</legend>
        <p class="text-xs text-gray-500 mb-1">{m.manage.kgPerHeadHint}</p>
        {e.items && <p class="text-sm text-red-700 mb-1" role="alert">{e.items}</p>}
        {data.extra.feeds.map((x) => (
          <div class="flex items-center gap-2 mb-1">
            <label for={`kg_${x.id}`} class="flex-1 text-sm">
              {x.name}{" "}
              <span class="text-gray-500">
                ({formatTaka(x.costPerKgMinor, lang)}/{m.common.kg})
              </span>
            </label>
            <input
              id={`kg_${x.id}`}
              name={`kg_${x.id}`}
              inputMode="decimal"
              value={v[`kg_${x.id}`] ?? ""}
              class={`w-24 rounded border px-2 py-1 bg-white text-right ${
                e.items ? "border-red-600" : "border-gray-300"
              }`}
            />
          </div>
        ))}
      </fieldset>
    </ManagePage>
  );
}
