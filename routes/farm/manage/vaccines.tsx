import type { Context, PageProps } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import { type GroupRow } from "@/services/farm/mod.ts";
import { type MedicineRow } from "@/services/farm/mod.ts";
import { SCHEDULE_STATUSES, type ScheduleRow } from "@/services/farm/mod.ts";
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

/** The posted form: its fields and the ticked statuses. */
interface Posted {
  values: Record<string, string>;
  statuses: string[];
}

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
  f: FarmCtx,
  editId: number | null,
  posted: Posted | null,
  errors: Record<string, string>,
): Promise<Data> {
  const base = await pageBase(ctx, f.m.manage.vaccines);
  const [schedules, medicines, groups] = await Promise.all([
    f.farm.listScheduleRows(),
    f.farm.listAllMedicines(),
    f.farm.listAllGroups(),
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
    ...base,
    schedules,
    vaccines: medicines.filter((x) => x.kind === "vaccine" && (x.active || x.id === s?.medicineId)),
    groups: groups.filter((g) => g.active || g.id === s?.groupId),
    editId: s?.id ?? null,
    values: form.values,
    statuses: form.statuses,
    errors,
  };
}

export const handler = editHandlers<Data, Posted>({
  permission: "farm.manage",
  path: "/farm/manage/vaccines",
  read: (ctx, values) => ({
    values,
    statuses: (ctx.form?.getAll("statuses") ?? []).filter((x) => typeof x === "string"),
  }),
  page,
  save: (f, id, { values, statuses }) =>
    f.farm.saveSchedule(
      id,
      { ...values, statuses, active: activeValue(id, values) } as never,
      f.actor,
    ),
});

export default function Vaccines({ data, state }: PageProps<Data, State>) {
  const m = state.t.farm;
  const e = data.errors;
  const v = data.values;
  const form = { errors: e, values: v };
  const editing = data.schedules.find((x) => x.id === data.editId);
  const num = (name: string, label: string) => (
    <InputField {...form} id={name} label={label} type="number" inputMode="numeric" />
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
          <EditRow
            m={m}
            name={s.name}
            active={s.active}
            href={`/farm/manage/vaccines?edit=${s.id}#form`}
          >
            <p class="text-sm text-gray-600">
              {m.manage.vaccine}: {s.medicine} · {m.manage.firstAge}: {s.firstAgeDays} ·{" "}
              {m.manage.interval}: {s.intervalDays}
            </p>
            <p class="text-sm text-gray-600">
              {s.group ?? m.manage.wholeHerd} ·{" "}
              {s.statuses.map((x) => m.status[x as keyof typeof m.status] ?? x).join(", ")}
            </p>
          </EditRow>
        ))}
      </ul>
      <EditForm
        m={m}
        action="/farm/manage/vaccines"
        csrf={data.csrf}
        editingId={editing?.id}
        title={editing ? fill(m.manage.editing, { name: editing.name }) : m.manage.newSchedule}
        active={v.active === "on"}
      >
        <InputField {...form} id="name" label={m.common.name} />
        <SelectField
          {...form}
          id="medicineId"
          label={m.manage.vaccine}
          options={data.vaccines.map((x) => [String(x.id), x.name] as const)}
        />
        <div class="grid grid-cols-2 gap-2">
          {num("firstAgeDays", m.manage.firstAge)}
          {num("intervalDays", m.manage.interval)}
        </div>
        <SelectField
          {...form}
          id="groupId"
          label={m.manage.inGroup}
          empty={m.manage.wholeHerd}
          options={data.groups.map((g) => [String(g.id), g.name] as const)}
        />
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
      </EditForm>
    </>
  );
}
