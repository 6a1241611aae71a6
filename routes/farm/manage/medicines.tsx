import type { Context, Handlers, PageProps } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import { listAllMedicines, type MedicineRow, saveMedicine } from "@/services/farm/health.ts";
import { fill, fm } from "@/services/farm/messages.ts";
import {
  FarmBadge,
  farmButton,
  farmButtonLight,
  FarmField,
  farmInput,
} from "@/components/FarmUi.tsx";
import { farmGuard, formValues, title } from "../_farm.ts";
import { manageErrors, seeOther } from "./_manage.ts";
import { FormBox, ManageHeader, Notices, selectClass } from "./_ui.tsx";

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
  f: ReturnType<typeof farmGuard>,
  editId: number | null,
  values: Record<string, string> | null,
  errors: Record<string, string>,
): Promise<Data> {
  title(ctx, f.m.manage.medicines);
  const medicines = await listAllMedicines(f.db.sql);
  const md = editId ? medicines.find((x) => x.id === editId) : undefined;
  return {
    csrf: await ctx.csrfToken(),
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
    saved: ctx.url.searchParams.has("saved"),
  };
}

// Vets keep the medicine list too (farm.health); farm managers hold that permission as well.
export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    const f = farmGuard(ctx, "farm.health");
    return { data: await page(ctx, f, Number(ctx.url.searchParams.get("edit")) || null, null, {}) };
  },
  async POST(ctx) {
    const f = farmGuard(ctx, "farm.health");
    const values = formValues(ctx);
    const id = Number(values.id) || null;
    // A new medicine is in use; an edited one is in use only when its box stays ticked.
    const input = { ...values, active: id ? values.active ?? "" : "on" };
    try {
      await saveMedicine(f.db.sql, id, input as never, f.actor);
      return seeOther("/farm/manage/medicines?saved=1");
    } catch (e) {
      return { status: 422, data: await page(ctx, f, id, values, manageErrors(f.m, e)) };
    }
  },
};

/** "96 h" → "4 days" when whole days read better. */
function hoursText(h: number, m: ReturnType<typeof fm>): string {
  return h % 24 === 0 && h > 0 ? `${h / 24} ${m.common.days}` : `${h} h`;
}

export default function Medicines({ data, state }: PageProps<Data, State>) {
  const m = fm(state.lang);
  const e = data.errors;
  const v = data.values;
  const editing = data.medicines.find((x) => x.id === data.editId);
  const num = (name: string, label: string) => (
    <FarmField id={name} label={label} error={e[name]}>
      <input
        id={name}
        name={name}
        type="number"
        inputMode="numeric"
        value={v[name] ?? ""}
        class={farmInput(!!e[name])}
        aria-invalid={e[name] ? "true" : undefined}
      />
    </FarmField>
  );
  return (
    <>
      <ManageHeader m={m} title={m.manage.medicines} />
      <Notices m={m} saved={data.saved} errors={e} />
      <ul class="grid gap-2 mb-4">
        {data.medicines.map((md) => (
          <li class="bg-white rounded-lg border border-gray-200 p-3 flex items-start gap-2">
            <div class="flex-1 min-w-0">
              <p class="font-semibold">
                {md.name} {!md.active && <FarmBadge tone="gray">{m.manage.inactive}</FarmBadge>}
              </p>
              <p class="text-sm text-gray-600">
                {m.manage.medKind[md.kind] ?? md.kind}
                {md.activeIngredient && ` · ${md.activeIngredient}`}
              </p>
              <p class="text-sm text-gray-600">
                {m.manage.withdrawal}: {m.manage.milk} {hoursText(md.milkWithdrawalHours, m)} ·{" "}
                {m.manage.meat} {md.meatWithdrawalDays} {m.common.days}
              </p>
            </div>
            <a
              href={`/farm/manage/medicines?edit=${md.id}#form`}
              class={`${farmButtonLight} text-sm`}
            >
              {m.common.edit}
            </a>
          </li>
        ))}
      </ul>
      <FormBox
        id="form"
        title={editing ? fill(m.manage.editing, { name: editing.name }) : m.manage.newMedicine}
      >
        <form method="post" action="/farm/manage/medicines" novalidate>
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
          <FarmField id="activeIngredient" label={m.manage.ingredient} error={e.activeIngredient}>
            <input
              id="activeIngredient"
              name="activeIngredient"
              value={v.activeIngredient ?? ""}
              class={farmInput(!!e.activeIngredient)}
            />
          </FarmField>
          <div class="grid grid-cols-2 gap-2">
            <FarmField id="kind" label={m.manage.kind} error={e.kind}>
              <select id="kind" name="kind" class={selectClass(!!e.kind)}>
                <option value="">—</option>
                {KINDS.map((k) => (
                  <option value={k} selected={v.kind === k}>{m.manage.medKind[k]}</option>
                ))}
              </select>
            </FarmField>
            <FarmField id="unit" label={m.manage.unit} error={e.unit}>
              <select id="unit" name="unit" class={selectClass(!!e.unit)}>
                <option value="">—</option>
                {UNITS.map((u) => <option value={u} selected={v.unit === u}>{u}</option>)}
              </select>
            </FarmField>
          </div>
          {num("milkWithdrawalHours", m.manage.milkHours)}
          {num("meatWithdrawalDays", m.manage.meatDays)}
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
            {editing && (
              <a href="/farm/manage/medicines" class={farmButtonLight}>{m.common.cancel}</a>
            )}
          </div>
        </form>
      </FormBox>
    </>
  );
}
