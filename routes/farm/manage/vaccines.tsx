import type { Context, Handlers, PageProps } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import { type GroupRow, listAllGroups } from "@/services/farm/groups.ts";
import { listAllMedicines, type MedicineRow } from "@/services/farm/health.ts";
import {
  listScheduleRows,
  saveSchedule,
  SCHEDULE_STATUSES,
  type ScheduleRow,
} from "@/services/farm/vaccines.ts";
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

interface Data {
  csrf: string;
  schedules: ScheduleRow[];
  vaccines: MedicineRow[];
  groups: GroupRow[];
  editId: number | null;
  values: Record<string, string>;
  /** The ticked animal statuses. */
  statuses: string[];
  errors: Record<string, string>;
  saved: boolean;
}

async function page(
  ctx: Context<State>,
  f: ReturnType<typeof farmGuard>,
  editId: number | null,
  posted: { values: Record<string, string>; statuses: string[] } | null,
  errors: Record<string, string>,
): Promise<Data> {
  title(ctx, f.m.manage.vaccines);
  const [schedules, medicines, groups] = await Promise.all([
    listScheduleRows(f.db.sql),
    listAllMedicines(f.db.sql),
    listAllGroups(f.db.sql),
  ]);
  const s = editId ? schedules.find((x) => x.id === editId) : undefined;
  const fromRow = s && {
    values: {
      name: s.name,
      medicineId: String(s.medicineId),
      firstAgeDays: String(s.firstAgeDays),
      intervalDays: String(s.intervalDays),
      groupId: s.groupId === null ? "" : String(s.groupId),
      active: s.active ? "on" : "",
    },
    statuses: s.statuses,
  };
  const form = posted ?? fromRow ?? {
    values: { firstAgeDays: "90", intervalDays: "180", groupId: "", active: "on" },
    statuses: [...SCHEDULE_STATUSES],
  };
  return {
    csrf: await ctx.csrfToken(),
    schedules,
    vaccines: medicines.filter((x) => x.kind === "vaccine" && (x.active || x.id === s?.medicineId)),
    groups: groups.filter((g) => g.active || g.id === s?.groupId),
    editId: s?.id ?? null,
    values: form.values,
    statuses: form.statuses,
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
    const statuses = (ctx.form?.getAll("statuses") ?? []).filter((x) => typeof x === "string");
    const id = Number(values.id) || null;
    const input = { ...values, statuses, active: id ? values.active ?? "" : "on" };
    try {
      await saveSchedule(f.db.sql, id, input as never, f.actor);
      return seeOther("/farm/manage/vaccines?saved=1");
    } catch (e) {
      return {
        status: 422,
        data: await page(ctx, f, id, { values, statuses }, manageErrors(f.m, e)),
      };
    }
  },
};

export default function Vaccines({ data, state }: PageProps<Data, State>) {
  const m = fm(state.lang);
  const e = data.errors;
  const v = data.values;
  const editing = data.schedules.find((x) => x.id === data.editId);
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
      <ManageHeader m={m} title={m.manage.vaccines} />
      <p class="text-sm text-gray-600 mb-3">
        {m.manage.dueNote}{" "}
        <a href="/farm/calendar" class="underline text-brand-700">
          {m.nav.calendar} →
        </a>
      </p>
      <Notices m={m} saved={data.saved} errors={e} />
      <ul class="grid gap-2 mb-4">
        {data.schedules.map((s) => (
          <li class="bg-white rounded-lg border border-gray-200 p-3 flex items-start gap-2">
            <div class="flex-1 min-w-0">
              <p class="font-semibold">
                {s.name} {!s.active && <FarmBadge tone="gray">{m.manage.inactive}</FarmBadge>}
              </p>
              <p class="text-sm text-gray-600">
                {m.manage.vaccine}: {s.medicine} · {m.manage.firstAge}: {s.firstAgeDays} ·{" "}
                {m.manage.interval}: {s.intervalDays}
              </p>
              <p class="text-sm text-gray-600">
                {s.group ?? m.manage.wholeHerd} · {s.statuses.map((x) =>
                  m.status[x as keyof typeof m.status] ?? x
                ).join(", ")}
              </p>
            </div>
            <a
              href={`/farm/manage/vaccines?edit=${s.id}#form`}
              class={`${farmButtonLight} text-sm`}
            >
              {m.common.edit}
            </a>
          </li>
        ))}
      </ul>
      <FormBox
        id="form"
        title={editing ? fill(m.manage.editing, { name: editing.name }) : m.manage.newSchedule}
      >
        <form method="post" action="/farm/manage/vaccines" novalidate>
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
          <FarmField id="medicineId" label={m.manage.vaccine} error={e.medicineId}>
            <select id="medicineId" name="medicineId" class={selectClass(!!e.medicineId)}>
              <option value="">—</option>
              {data.vaccines.map((x) => (
                <option value={String(x.id)} selected={v.medicineId === String(x.id)}>
                  {x.name}
                </option>
              ))}
            </select>
          </FarmField>
          <div class="grid grid-cols-2 gap-2">
            {num("firstAgeDays", m.manage.firstAge)}
            {num("intervalDays", m.manage.interval)}
          </div>
          <FarmField id="groupId" label={m.manage.inGroup} error={e.groupId}>
            <select id="groupId" name="groupId" class={selectClass(!!e.groupId)}>
              <option value="">{m.manage.wholeHerd}</option>
              {data.groups.map((g) => (
                <option value={String(g.id)} selected={v.groupId === String(g.id)}>
                  {g.name}
                </option>
              ))}
            </select>
          </FarmField>
          <fieldset class="mb-3">
            <legend class="block text-sm font-medium mb-1">{m.manage.appliesTo}</legend>
            <div class="flex flex-wrap gap-x-4 gap-y-1">
              {SCHEDULE_STATUSES.map((st) => (
                <label class="flex items-center gap-1">
                  <input
                    type="checkbox"
                    name="statuses"
                    value={st}
                    checked={data.statuses.includes(st)}
                  />
                  {m.status[st]}
                </label>
              ))}
            </div>
            {e.statuses && <p class="text-sm text-red-700 mt-1" role="alert">{e.statuses}</p>}
          </fieldset>
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
              <a href="/farm/manage/vaccines" class={farmButtonLight}>{m.common.cancel}</a>
            )}
          </div>
        </form>
      </FormBox>
    </>
  );
}
