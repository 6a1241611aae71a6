import type { PageProps } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import type { FarmMessages, MedicineRow } from "@/services/farm/mod.ts";
import {
  activeValue,
  loadStockLinked,
  type ManageData,
  manageScreen,
  type StockLinks,
} from "@/routes/farm/manage/(_manage)/manage.ts";
import { InputField } from "@/components/FarmUi.tsx";
import {
  ManagePage,
  SelectField,
  StockItemSelect,
  StockOnHandLine,
} from "@/routes/farm/manage/(_manage)/ui.tsx";

const KINDS = [
  "antibiotic",
  "anti_inflammatory",
  "vaccine",
  "hormone",
  "antiparasitic",
  "vitamin",
  "other",
] as const;
const UNITS = ["ml", "g", "dose", "tablet", "tube"] as const;

type Data = ManageData<MedicineRow, StockLinks>;

// Vets keep the medicine list too (farm.health); farm managers hold that permission as well.
export const handler = manageScreen<MedicineRow, StockLinks>({
  permission: "farm.health",
  path: "/farm/manage/medicines",
  title: (m) => m.manage.medicines,
  load: (f) => loadStockLinked(f, "medicine", f.farm.listAllMedicines(), f.farm.medicineStock()),
  toForm: (md) => ({
    values: {
      name: md.name,
      activeIngredient: md.activeIngredient ?? "",
      kind: md.kind,
      unit: md.unit,
      milkWithdrawalHours: String(md.milkWithdrawalHours),
      meatWithdrawalDays: String(md.meatWithdrawalDays),
      stockItemCode: md.stockItemCode ?? "",
      unitsPerStock: String(md.unitsPerStock),
      active: md.active ? "on" : "",
    },
  }),
  blank: () => ({
    values: { milkWithdrawalHours: "0", meatWithdrawalDays: "0", unitsPerStock: "1", active: "on" },
  }),
  save: (f, id, { values }) =>
    f.farm.saveMedicine(
      id,
      { ...values, stockItemCode: values.stockItemCode ?? "", active: activeValue(id, values) },
      f.actor,
    ),
});

/** "96 h" → "4 days" when whole days read better. */
function hoursText(h: number, m: FarmMessages): string {
  return h % 24 === 0 && h > 0 ? `${h / 24} ${m.common.days}` : `${h} h`;
}

export default function Medicines({ data, state }: PageProps<Data, State>) {
  const m = state.t.farm;
  const form = { errors: data.errors, values: data.values };
  const num = (name: string, label: string) => (
    <InputField {...form} id={name} label={label} type="number" inputMode="numeric" />
  );
  return (
    <ManagePage
      m={m}
      title={m.manage.medicines}
      path="/farm/manage/medicines"
      data={data}
      name={(md) => md.name}
      newTitle={m.manage.newMedicine}
      activeBox
      detail={(md) => (
        <>
          <p class="text-sm text-gray-600">
            {m.manage.medKind[md.kind] ?? md.kind}
            {md.activeIngredient && ` · ${md.activeIngredient}`}
          </p>
          <p class="text-sm text-gray-600">
            {m.manage.withdrawal}: {m.manage.milk} {hoursText(md.milkWithdrawalHours, m)} ·{" "}
            {m.manage.meat} {md.meatWithdrawalDays} {m.common.days}
          </p>
          <StockOnHandLine
            m={m}
            lang={state.lang}
            code={md.stockItemCode}
            units={data.extra.stock.get(md.id)?.units}
            unit={md.unit}
          />
        </>
      )}
    >
      <InputField {...form} id="name" label={m.common.name} />
      <InputField {...form} id="activeIngredient" label={m.manage.ingredient} optional />
      <div class="grid grid-cols-2 gap-2">
        <SelectField
          {...form}
          id="kind"
          label={m.manage.kind}
          options={KINDS.map((k) => [k, m.manage.medKind[k]] as const)}
        />
        <SelectField
          {...form}
          id="unit"
          label={m.manage.unit}
          options={UNITS.map((u) => [u, u] as const)}
        />
      </div>
      {num("milkWithdrawalHours", m.manage.milkHours)}
      {num("meatWithdrawalDays", m.manage.meatDays)}
      <StockItemSelect
        {...form}
        m={m}
        items={data.extra.stockItems}
        label={(i) => `${state.lang === "bn" ? i.nameBn : i.nameEn} (${i.code}, ${i.base})`}
      />
      <InputField
        {...form}
        id="unitsPerStock"
        label={m.stock.unitsPerStock}
        inputMode="decimal"
        optional
      />
    </ManagePage>
  );
}
