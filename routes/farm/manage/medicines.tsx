import type { Context, PageProps } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import type { FarmMessages } from "@/services/farm/mod.ts";
import { type MedicineRow } from "@/services/farm/mod.ts";
import { fill } from "@/services/farm/mod.ts";
import type { FarmCtx } from "@/routes/farm/(_farm)/farm.ts";
import { activeValue, editHandlers, pageBase } from "@/routes/farm/manage/(_manage)/manage.ts";
import {
  EditForm,
  EditRow,
  InputField,
  ManageHeader,
  Notices,
  SelectField,
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

interface Data {
  csrf: string;
  medicines: MedicineRow[];
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
  const base = await pageBase(ctx, f.m.manage.medicines);
  const medicines = await f.farm.listAllMedicines();
  const md = editId ? medicines.find((x) => x.id === editId) : undefined;
  return {
    ...base,
    medicines,
    editId: md?.id ?? null,
    values: values ?? (md
      ? {
        name: md.name,
        activeIngredient: md.activeIngredient ?? "",
        kind: md.kind,
        unit: md.unit,
        milkWithdrawalHours: String(md.milkWithdrawalHours),
        meatWithdrawalDays: String(md.meatWithdrawalDays),
        active: md.active ? "on" : "",
      }
      : { milkWithdrawalHours: "0", meatWithdrawalDays: "0", active: "on" }),
    errors,
  };
}

// Vets keep the medicine list too (farm.health); farm managers hold that permission as well.
export const handler = editHandlers<Data, Record<string, string>>({
  permission: "farm.health",
  path: "/farm/manage/medicines",
  read: (_ctx, values) => values,
  page,
  save: (f, id, values) =>
    f.farm.saveMedicine(id, { ...values, active: activeValue(id, values) } as never, f.actor),
});

/** "96 h" → "4 days" when whole days read better. */
function hoursText(h: number, m: FarmMessages): string {
  return h % 24 === 0 && h > 0 ? `${h / 24} ${m.common.days}` : `${h} h`;
}

export default function Medicines({ data, state }: PageProps<Data, State>) {
  const m = state.t.farm;
  const e = data.errors;
  const v = data.values;
  const form = { errors: e, values: v };
  const editing = data.medicines.find((x) => x.id === data.editId);
  const num = (name: string, label: string) => (
    <InputField {...form} id={name} label={label} type="number" inputMode="numeric" />
  );
  return (
    <>
      <ManageHeader m={m} title={m.manage.medicines} />
      <Notices m={m} saved={data.saved} errors={e} />
      <ul class="grid gap-2 mb-4">
        {data.medicines.map((md) => (
          <EditRow
            m={m}
            name={md.name}
            active={md.active}
            href={`/farm/manage/medicines?edit=${md.id}#form`}
          >
            <p class="text-sm text-gray-600">
              {m.manage.medKind[md.kind] ?? md.kind}
              {md.activeIngredient && ` · ${md.activeIngredient}`}
            </p>
            <p class="text-sm text-gray-600">
              {m.manage.withdrawal}: {m.manage.milk} {hoursText(md.milkWithdrawalHours, m)} ·{" "}
              {m.manage.meat} {md.meatWithdrawalDays} {m.common.days}
            </p>
          </EditRow>
        ))}
      </ul>
      <EditForm
        m={m}
        action="/farm/manage/medicines"
        csrf={data.csrf}
        editingId={editing?.id}
        title={editing ? fill(m.manage.editing, { name: editing.name }) : m.manage.newMedicine}
        active={v.active === "on"}
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
      </EditForm>
    </>
  );
}
