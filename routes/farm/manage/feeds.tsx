import type { PageProps } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import type { FeedItemRow } from "@/services/farm/mod.ts";
import { formatTaka } from "@/services/i18n/mod.ts";
import { fmtNum, InputField } from "@/components/FarmUi.tsx";
import {
  activeValue,
  loadStockLinked,
  type ManageData,
  manageScreen,
  poishaToInput,
  type StockLinks,
  takaToPoisha,
} from "@/routes/farm/manage/(_manage)/manage.ts";
import {
  ManagePage,
  SelectField,
  StockItemSelect,
  StockOnHandLine,
} from "@/routes/farm/manage/(_manage)/ui.tsx";

const KINDS = ["forage", "concentrate", "mineral", "other"] as const;

type Data = ManageData<FeedItemRow, StockLinks>;

export const handler = manageScreen<FeedItemRow, StockLinks>({
  permission: "farm.manage",
  path: "/farm/manage/feeds",
  title: (m) => m.manage.feeds,
  load: (f) => loadStockLinked(f, "feed", f.farm.listAllFeedItems(), f.farm.feedStock()),
  toForm: (it) => ({
    values: {
      name: it.name,
      kind: it.kind,
      dryMatterPct: it.dryMatterPct === null ? "" : String(it.dryMatterPct),
      costPerKg: poishaToInput(it.costPerKgMinor),
      stockItemCode: it.stockItemCode ?? "",
      active: it.active ? "on" : "",
    },
  }),
  blank: () => ({ values: { active: "on" } }),
  async save(f, id, { values }) {
    const input = {
      name: values.name,
      kind: values.kind,
      dryMatterPct: values.dryMatterPct ?? "",
      costPerKgMinor: takaToPoisha(values.costPerKg),
      stockItemCode: values.stockItemCode ?? "",
      active: activeValue(id, values),
    };
    if (id) await f.farm.updateFeedItem(id, input as never, f.actor);
    else await f.farm.saveFeedItem(input as never, f.actor);
  },
});

export default function Feeds({ data, state }: PageProps<Data, State>) {
  const m = state.t.farm;
  const lang = state.lang;
  const form = { errors: data.errors, values: data.values };
  return (
    <ManagePage
      m={m}
      title={m.manage.feeds}
      path="/farm/manage/feeds"
      data={data}
      name={(it) => it.name}
      newTitle={m.manage.newFeed}
      activeBox
      detail={(it) => (
        <>
          <p class="text-sm text-gray-600">
            {m.manage.feedKind[it.kind] ?? it.kind} · {formatTaka(it.costPerKgMinor, lang)}/{m
              .common.kg}
            {it.dryMatterPct !== null &&
              ` · ${m.manage.dryMatter}: ${fmtNum(it.dryMatterPct, lang, 1)}`}
          </p>
          <StockOnHandLine
            m={m}
            lang={lang}
            code={it.stockItemCode}
            units={data.extra.stock.get(it.id)?.units}
            unit={m.common.kg}
          />
        </>
      )}
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
      <StockItemSelect
        {...form}
        m={m}
        items={data.extra.stockItems}
        label={(i) => `${lang === "bn" ? i.nameBn : i.nameEn} (${i.code})`}
      />
    </ManagePage>
  );
}
