import type { ComponentChildren } from "preact";
import { type Context, HttpError, type PageProps } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import {
  addDays,
  type AnimalRow,
  daysInMilk,
  EXIT_REASONS,
  type Farm,
  fill,
  type LactationSummary,
  type PedigreeNode,
  type ReproEventRow,
  type TreatmentRow,
} from "@/services/farm/mod.ts";
import {
  AlertBox,
  FarmBadge,
  FarmCard,
  FarmLineChart,
  FarmTable,
  fmtDay,
  fmtNum,
  fmtTime,
  SavedNotice,
  STATUS_TONE,
  td,
  tdNum,
} from "@/components/FarmUi.tsx";
import { buttonClass, Field, inputClass, PostForm } from "@/components/ui.tsx";
import { FarmPedigree } from "@/components/FarmPedigree.tsx";
import {
  type FarmCtx,
  farmFormHandlers,
  type FormBase,
  intParam,
  title,
} from "@/routes/farm/(_farm)/farm.ts";

interface Own {
  animal: AnimalRow;
  tree: PedigreeNode | null;
  calves: Awaited<ReturnType<Farm["offspring"]>>;
  lactations: LactationSummary[];
  events: ReproEventRow[];
  milk: { day: string; kg: number; discarded: boolean }[];
  treatments: TreatmentRow[];
  today: string;
  canManage: boolean;
  canRecord: boolean;
}

interface Data extends Own, FormBase {
  errors: Record<string, Record<string, string>>;
}

async function load(f: FarmCtx, ctx: Context<State>): Promise<Own> {
  const id = intParam(ctx.params.id);
  const animal = await f.farm.getAnimal(id);
  if (!animal) throw new HttpError(404);
  title(ctx, animal.tag);
  const [tree, calves, lactations, events, milkings, treatments] = await Promise.all([
    f.farm.pedigree(id, 3),
    f.farm.offspring(id),
    f.farm.lactationSummaries(id, f.today),
    f.farm.animalEvents(id),
    f.farm.animalMilkings(id, addDays(f.today, -29)),
    f.farm.listTreatments({ animalId: id, limit: 20 }),
  ]);
  const byDay = new Map<string, { kg: number; discarded: boolean }>();
  for (const r of milkings) {
    const d = byDay.get(r.day) ?? { kg: 0, discarded: false };
    d.kg += r.yieldKg;
    d.discarded ||= r.discarded;
    byDay.set(r.day, d);
  }
  return {
    animal,
    tree,
    calves,
    lactations,
    events,
    milk: [...byDay.entries()].map(([day, v]) => ({ day, ...v })).sort((a, b) =>
      a.day.localeCompare(b.day)
    ),
    treatments,
    today: f.today,
    canManage: f.can("farm.manage"),
    canRecord: f.can("farm.record"),
  };
}

export const handler = farmFormHandlers<Data>({
  load,
  byAction: true,
  async act(f, v, ctx) {
    const id = intParam(ctx.params.id);
    const action = v.action;
    if (action === "pregnancy_check") {
      await f.farm.recordPregnancyCheck({
        animalId: id,
        date: v.date,
        pregnant: v.pregnant as never,
        method: v.method as never,
      }, f.actor);
    } else if (action === "dry_off") {
      await f.farm.recordDryOff({ animalId: id, date: v.date }, f.actor);
    } else if (action === "dnb") {
      await f.farm.setDoNotBreed({
        animalId: id,
        date: v.date || f.today,
        doNotBreed: v.value === "set",
      }, f.actor);
    } else if (action === "exit") {
      if (!f.can("farm.manage")) throw new HttpError(403);
      await f.farm.exitAnimal(id, v, f.actor.userId);
    } else throw new HttpError(400, "Unknown action");
    return `/farm/animals/${id}?saved=1`;
  },
});

export default function AnimalPage({ data, state }: PageProps<Data, State>) {
  const m = state.t.farm;
  const lang = state.lang;
  const a = data.animal;
  const inHerd = !a.exitDate;
  const dim = daysInMilk(a.lastCalvedOn, data.today, a.status === "lactating");
  const err = (action: string) => data.errors[action] ?? {};
  const val = (
    action: string,
    k: string,
    d = "",
  ) => (data.values.action === action ? data.values[k] ?? d : d);
  const actionForm = (action: string, heading: string, body: ComponentChildren) => (
    <details
      class="bg-white rounded-lg border border-gray-200 p-3 mb-3"
      open={!!data.errors[action]}
    >
      <summary class="font-semibold cursor-pointer">{heading}</summary>
      <PostForm csrf={data.csrf} class="mt-2" novalidate>
        <input type="hidden" name="action" value={action} />
        {err(action).form && (
          <AlertBox>
            {err(action).form}
          </AlertBox>
        )}
        {body}
      </PostForm>
    </details>
  );
  const dateField = (action: string) => (
    <Field id={`${action}-date`} label={m.common.date} error={err(action).date}>
      <input
        id={`${action}-date`}
        name="date"
        type="date"
        value={val(action, "date", data.today)}
        max={data.today}
        class={inputClass(!!err(action).date)}
      />
    </Field>
  );
  return (
    <>
      <a href="/farm/animals" class="text-sm text-brand-700 underline">← {m.herd.title}</a>
      <div class="flex flex-wrap items-center gap-2 my-3">
        <h1 class="text-2xl font-bold">{a.tag}</h1>
        {a.name && <span class="text-lg text-gray-700">{a.name}</span>}
        <FarmBadge tone={STATUS_TONE[a.status]}>{m.status[a.status]}</FarmBadge>
        {a.doNotBreedOn && <FarmBadge tone="red">{m.herd.dnb}</FarmBadge>}
        {data.canManage && inHerd && (
          <a class="ml-auto text-sm text-brand-700 underline" href={`/farm/animals/${a.id}/edit`}>
            {m.common.edit}
          </a>
        )}
      </div>
      <SavedNotice shown={data.saved} m={m} />
      {a.withdrawalUntil && (
        <AlertBox class="mb-3">
          {fill(m.herd.withdrawalUntil, { date: fmtTime(a.withdrawalUntil, lang) })}
        </AlertBox>
      )}
      <FarmCard>
        <dl class="grid grid-cols-2 gap-x-3 gap-y-1 text-sm">
          <dt class="text-gray-600">{m.herd.breed}</dt>
          <dd>{a.breed}</dd>
          <dt class="text-gray-600">{m.herd.sex}</dt>
          <dd>{m.sex[a.sex]}</dd>
          <dt class="text-gray-600">{m.herd.birthDate}</dt>
          <dd>{fmtDay(a.birthDate, lang)}</dd>
          <dt class="text-gray-600">{m.herd.origin}</dt>
          <dd>{m.origin[a.origin]}{a.arrivalDate ? ` (${fmtDay(a.arrivalDate, lang)})` : ""}</dd>
          <dt class="text-gray-600">{m.common.group}</dt>
          <dd>{a.groupName ?? "—"}</dd>
          <dt class="text-gray-600">{m.herd.rfid}</dt>
          <dd class="break-all">{a.rfid ?? "—"}</dd>
          {a.parity !== null && (
            <>
              <dt class="text-gray-600">{m.herd.parity1}</dt>
              <dd>{fmtNum(a.parity, lang)}</dd>
            </>
          )}
          {dim !== null && (
            <>
              <dt class="text-gray-600">{m.herd.dim}</dt>
              <dd>{fmtNum(dim, lang)}</dd>
            </>
          )}
          {a.exitDate && (
            <>
              <dt class="text-gray-600">{m.herd.exited}</dt>
              <dd>{fmtDay(a.exitDate, lang)} · {m.exitReason[a.exitReason!]}</dd>
            </>
          )}
        </dl>
        {a.notes && <p class="text-sm mt-2 text-gray-700">{a.notes}</p>}
      </FarmCard>
      {data.milk.length > 0 && (
        <FarmCard title={m.herd.milk}>
          <FarmLineChart
            title={m.herd.milk}
            values={data.milk.map((d) => d.kg)}
            lang={lang}
            digits={1}
            labels={[
              fmtDay(data.milk[0].day, lang, false),
              fmtDay(data.milk[data.milk.length - 1].day, lang, false),
            ]}
          />
        </FarmCard>
      )}
      {data.lactations.length > 0 && (
        <FarmCard title={m.herd.lactations}>
          <FarmTable
            head={[m.herd.parity1, m.herd.calved, m.herd.driedOff, m.common.kg, m.herd.yield305]}
            numeric={[0, 3, 4]}
          >
            {data.lactations.map((l) => (
              <tr>
                <td class={tdNum}>{fmtNum(l.parity, lang)}</td>
                <td class={td}>{fmtDay(l.calvedOn, lang)}</td>
                <td class={td}>{fmtDay(l.driedOffOn ?? l.endedOn, lang)}</td>
                <td class={tdNum}>{l.recordedKg ? fmtNum(l.recordedKg, lang) : "—"}</td>
                <td class={tdNum}>{fmtNum(l.yield305Kg, lang)}</td>
              </tr>
            ))}
          </FarmTable>
        </FarmCard>
      )}
      {inHerd && a.sex === "female" && data.canRecord && (
        <>
          {actionForm(
            "pregnancy_check",
            m.herd.pregnancyCheck,
            (
              <>
                {dateField("pregnancy_check")}
                <Field
                  id="pc-result"
                  label={m.herd.pregnancyCheck}
                  error={err("pregnancy_check").pregnant}
                >
                  <select id="pc-result" name="pregnant" class={inputClass()}>
                    <option value="true">{m.herd.pregnant}</option>
                    <option value="false" selected={val("pregnancy_check", "pregnant") === "false"}>
                      {m.herd.open}
                    </option>
                  </select>
                </Field>
                <Field id="pc-method" label={m.herd.method}>
                  <select id="pc-method" name="method" class={inputClass()}>
                    {["palpation", "ultrasound", "blood", "other"].map((x) => (
                      <option value={x}>{x}</option>
                    ))}
                  </select>
                </Field>
                <button type="submit" class={buttonClass()}>{m.common.save}</button>
              </>
            ),
          )}
          {a.status === "lactating" && actionForm(
            "dry_off",
            m.herd.dryOff,
            (
              <>
                {dateField("dry_off")}
                <button type="submit" class={buttonClass()}>{m.common.save}</button>
              </>
            ),
          )}
        </>
      )}
      <FarmCard title={m.herd.events}>
        {data.events.length === 0 ? <p class="text-sm text-gray-500">—</p> : (
          <ul class="text-sm">
            {data.events.map((e) => (
              <li class="py-1 border-b border-gray-100">
                <span class="text-gray-600 mr-2">{fmtDay(e.date, lang)}</span>
                <span class="font-medium">{m.event[e.kind]}</span>
                {e.kind === "heat" && e.heatSource && (
                  <span class="text-gray-600">
                    · {e.heatSource === "collar" ? m.recorder.collar : m.recorder.seen}
                  </span>
                )}
                {e.bull && <span class="text-gray-600">· {e.bull}</span>}
                {e.technician && <span class="text-gray-600">· {e.technician}</span>}
                {e.pregnant !== null && (
                  <span class="text-gray-600">· {e.pregnant ? m.herd.pregnant : m.herd.open}</span>
                )}
                {e.calvingEase !== null && <span class="text-gray-600">· {e.calvingEase}/5</span>}
              </li>
            ))}
          </ul>
        )}
      </FarmCard>
      <FarmCard title={m.herd.treatments}>
        {data.treatments.length === 0
          ? <p class="text-sm text-gray-500">—</p>
          : (
            <ul class="text-sm">
              {data.treatments.map((t) => (
                <li class="py-1 border-b border-gray-100">
                  <span class="text-gray-600 mr-2">{fmtTime(t.treatedAt, lang)}</span>
                  <span class="font-medium">{t.medicine}</span> {fmtNum(t.dose, lang, 1)} {t.unit}
                  {t.condition && <span>· {m.condition[t.condition]}</span>}
                  {t.batch && <span class="text-gray-600">· {m.recorder.batch} {t.batch}</span>}
                  {t.milkWithdrawalUntil && (
                    <span class="text-gray-600">
                      · {m.health.milkUntil} {fmtTime(t.milkWithdrawalUntil, lang)}
                    </span>
                  )}
                </li>
              ))}
            </ul>
          )}
      </FarmCard>
      <FarmCard title={m.herd.pedigree}>
        {data.tree && <FarmPedigree tree={data.tree} m={m} />}
      </FarmCard>
      {data.calves.length > 0 && (
        <FarmCard title={m.herd.offspring}>
          <ul class="text-sm">
            {data.calves.map((c) => (
              <li class="py-1 border-b border-gray-100">
                <a class="text-brand-700 underline" href={`/farm/animals/${c.id}`}>{c.tag}</a>
                <span class="text-gray-600">
                  · {m.sex[c.sex]} · {fmtDay(c.birthDate, lang)} · {m.status[c.status]}
                </span>
              </li>
            ))}
          </ul>
        </FarmCard>
      )}
      {inHerd && data.canManage && (
        <>
          {a.sex === "female" &&
            actionForm(
              "dnb",
              a.doNotBreedOn ? m.herd.dnbClear : m.herd.dnbSet,
              (
                <>
                  <input type="hidden" name="value" value={a.doNotBreedOn ? "clear" : "set"} />
                  {dateField("dnb")}
                  <button type="submit" class={buttonClass()}>{m.common.save}</button>
                </>
              ),
            )}
          {actionForm(
            "exit",
            m.herd.exit,
            (
              <>
                <Field id="exit-status" label={m.common.status} error={err("exit").status}>
                  <select id="exit-status" name="status" class={inputClass()}>
                    <option value="sold">{m.status.sold}</option>
                    <option value="dead" selected={val("exit", "status") === "dead"}>
                      {m.status.dead}
                    </option>
                  </select>
                </Field>
                <Field id="exit-date" label={m.herd.exitDate} error={err("exit").exitDate}>
                  <input
                    id="exit-date"
                    name="exitDate"
                    type="date"
                    value={val("exit", "exitDate", data.today)}
                    max={data.today}
                    class={inputClass(!!err("exit").exitDate)}
                  />
                </Field>
                <Field
                  id="exit-reason"
                  label={m.herd.exitReason}
                  error={err("exit").exitReason}
                >
                  <select id="exit-reason" name="exitReason" class={inputClass()}>
                    {EXIT_REASONS.map((r) => (
                      <option value={r} selected={val("exit", "exitReason") === r}>
                        {m.exitReason[r]}
                      </option>
                    ))}
                  </select>
                </Field>
                <button type="submit" class={buttonClass()}>{m.common.save}</button>
              </>
            ),
          )}
        </>
      )}
    </>
  );
}
