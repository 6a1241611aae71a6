import type { PageProps } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import {
  type GroupRow,
  type MedicineRow,
  SCHEDULE_STATUSES,
  type ScheduleRow,
} from "@/services/farm/mod.ts";
import {
  activeValue,
  type ManageData,
  manageScreen,
} from "@/routes/farm/manage/(_manage)/manage.ts";
import { InputField } from "@/components/FarmUi.tsx";
import { ManagePage, SelectField } from "@/routes/farm/manage/(_manage)/ui.tsx";

interface Choices {
  vaccines: MedicineRow[];
  groups: GroupRow[];
}

type Data = ManageData<ScheduleRow, Choices>;

export const handler = manageScreen<ScheduleRow, Choices>({
  permission: "farm.manage",
  path: "/farm/manage/vaccines",
  title: (m) => m.manage.vaccines,
  async load(f, editId) {
    const [rows, medicines, groups] = await Promise.all([
      f.farm.listScheduleRows(),
      f.farm.listAllMedicines(),
      f.farm.listAllGroups(),
    ]);
    const s = rows.find((x) => x.id === editId);
    return {
      rows,
      extra: {
        vaccines: medicines.filter((x) =>
          x.kind === "vaccine" && (x.active || x.id === s?.medicineId)
        ),
        groups: groups.filter((g) => g.active || g.id === s?.groupId),
      },
    };
  },
  toForm: (s) => ({
    values: {
      name: s.name,
      medicineId: String(s.medicineId),
      firstAgeDays: String(s.firstAgeDays),
      intervalDays: String(s.intervalDays),
      groupId: s.groupId === null ? "" : String(s.groupId),
      active: s.active ? "on" : "",
    },
    lists: { statuses: s.statuses },
  }),
  blank: () => ({
    values: { firstAgeDays: "90", intervalDays: "180", groupId: "", active: "on" },
    lists: { statuses: [...SCHEDULE_STATUSES] },
  }),
  lists: ["statuses"],
  save: (f, id, { values, lists }) =>
    f.farm.saveSchedule(
      id,
      { ...values, statuses: lists.statuses ?? [], active: activeValue(id, values) } as never,
      f.actor,
    ),
});

export default function Vaccines({ data, state }: PageProps<Data, State>) {
  const m = state.t.farm;
  const e = data.errors;
  const form = { errors: e, values: data.values };
  const num = (name: string, label: string) => (
    <InputField {...form} id={name} label={label} type="number" inputMode="numeric" />
  );
  return (
    <ManagePage
      m={m}
      title={m.manage.vaccines}
      path="/farm/manage/vaccines"
      data={data}
      name={(s) => s.name}
      newTitle={m.manage.newSchedule}
      activeBox
      intro={
        <p class="text-sm text-gray-600 mb-3">
          {m.manage.dueNote}{" "}
          <a href="/farm/calendar" class="underline text-brand-700">
            {m.nav.calendar} →
          </a>
        </p>
      }
      detail={(s) => (
        <>
          <p class="text-sm text-gray-600">
            {m.manage.vaccine}: {s.medicine} · {m.manage.firstAge}: {s.firstAgeDays} ·{" "}
            {m.manage.interval}: {s.intervalDays}
          </p>
          <p class="text-sm text-gray-600">
            {s.group ?? m.manage.wholeHerd} ·{" "}
            {s.statuses.map((x) => m.status[x as keyof typeof m.status] ?? x).join(", ")}
          </p>
        </>
      )}
    >
      <InputField {...form} id="name" label={m.common.name} />
      <SelectField
        {...form}
        id="medicineId"
        label={m.manage.vaccine}
        options={data.extra.vaccines.map((x) => [String(x.id), x.name] as const)}
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
        options={data.extra.groups.map((g) => [String(g.id), g.name] as const)}
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
                checked={(data.lists.statuses ?? []).includes(st)}
              />
              {m.status[st]}
            </label>
          ))}
        </div>
        {e.statuses && <p class="text-sm text-red-700 mt-1" role="alert">{e.statuses}</p>}
      </fieldset>
    </ManagePage>
  );
}
