import type { Context, PageProps } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import {
  CONDITIONS,
  type Farm,
  type FarmAlert,
  fill,
  type Medicine,
  type RecorderAnimal,
  ROUTES,
  type StockDrawRow,
  type StockOnHand,
  type TreatmentRow,
  type VaccinationSchedule,
} from "@/services/farm/mod.ts";
import {
  AlertBox,
  alertText,
  FarmBadge,
  FarmCard,
  FarmTable,
  fmtNum,
  fmtTime,
  InputField,
  PostButton,
  SavedNotice,
  td,
} from "@/components/FarmUi.tsx";
import { buttonClass, Field, inputClass, PostForm } from "@/components/ui.tsx";
import type { FarmCtx, FormBase } from "@/routes/farm/(_farm)/farm.ts";
import { farmFormHandlers, title } from "@/routes/farm/(_farm)/farm.ts";

interface Own {
  alerts: FarmAlert[];
  withdrawals: Awaited<ReturnType<Farm["underWithdrawal"]>>;
  treatments: TreatmentRow[];
  schedules: VaccinationSchedule[];
  medicines: Medicine[];
  animals: RecorderAnimal[];
  canTreat: boolean;
  canManage: boolean;
  /** Medicine id → stock at the farm (linked medicines only). */
  stock: Map<number, StockOnHand>;
  reconcile: StockDrawRow[];
}

interface Data extends Own, FormBase {
  errors: Record<string, string>;
}

async function load(f: FarmCtx, ctx: Context<State>): Promise<Own> {
  title(ctx, f.m.health.title);
  const canManage = f.can("farm.manage");
  const [alerts, withdrawals, treatments, schedules, medicines, animals, stock, reconcile] =
    await Promise.all([
      f.farm.listAlerts({ open: true, limit: 20 }),
      f.farm.underWithdrawal(),
      f.farm.listTreatments({ limit: 30 }),
      f.farm.listSchedules(),
      f.farm.listMedicines(),
      f.farm.recorderAnimals(),
      f.farm.medicineStock(),
      canManage ? f.farm.stockToReconcile() : Promise.resolve([]),
    ]);
  return {
    alerts,
    withdrawals,
    treatments,
    schedules,
    medicines,
    animals,
    canTreat: f.can("farm.health"),
    canManage,
    stock,
    reconcile,
  };
}

export const handler = farmFormHandlers<Data>({
  load,
  async act(f, v, ctx, page) {
    if (v.action === "resolve") {
      await f.farm.resolveAlert(v.alertId, f.actor);
    } else if (v.action === "reconciled") {
      await f.farm.resolveStockDraw(v.drawId, f.actor);
    } else {
      const tag = (v.animal ?? "").trim().split(/\s+/)[0] ?? "";
      const a = tag ? await f.farm.getAnimalByTag(tag) : null;
      if (!a) {
        return {
          status: 422,
          data: await page({ errors: { animal: f.m.recorder.unknownAnimal }, values: v }),
        };
      }
      await f.farm.recordTreatment({
        animalId: a.id,
        treatedAt: v.treatedAt ? new Date(`${v.treatedAt}:00+06:00`) : ctx.state.deps.clock.now(),
        medicineId: v.medicineId as never,
        dose: v.dose as never,
        route: v.route as never,
        batch: v.batch,
        vet: v.vet,
        condition: (v.condition || null) as never,
        notes: v.notes,
        lotId: (v.lotId || null) as never,
      }, f.actor);
    }
    return "/farm/health?saved=1";
  },
});

export default function Health({ data, state }: PageProps<Data, State>) {
  const m = state.t.farm;
  const lang = state.lang;
  const form = { errors: data.errors, values: data.values };
  const { errors: e, values: v } = form;
  return (
    <>
      <h1 class="text-xl font-bold mb-3">{m.health.title}</h1>
      <SavedNotice shown={data.saved} m={m} />
      {data.alerts.length > 0 && (
        <FarmCard title={m.health.alerts}>
          <ul>
            {data.alerts.map((a) => (
              <li class="py-2 border-b border-gray-100 text-sm">
                <FarmBadge tone={a.severity === "critical" ? "red" : "amber"}>
                  {a.severity}
                </FarmBadge>{" "}
                <span>{alertText(a, m, lang)}</span>
                <span class="block text-xs text-gray-500">{fmtTime(a.raisedAt, lang)}</span>
                {data.canManage && (
                  <PostButton
                    csrf={data.csrf}
                    action="resolve"
                    fields={{ alertId: a.id }}
                    formClass="mt-1"
                  >
                    {m.health.resolve}
                  </PostButton>
                )}
              </li>
            ))}
          </ul>
        </FarmCard>
      )}
      <FarmCard title={`${m.health.withdrawals} (${fmtNum(data.withdrawals.length, lang)})`}>
        {data.withdrawals.length === 0
          ? <p class="text-sm text-gray-600">{m.empty.withdrawals}</p>
          : (
            <FarmTable
              head={[m.common.tag, m.recorder.medicine, m.health.milkUntil, m.health.meatUntil]}
            >
              {data.withdrawals.map((w) => (
                <tr>
                  <td class={td}>
                    <a
                      class="text-brand-700 underline whitespace-nowrap"
                      href={`/farm/animals/${w.animalId}`}
                    >
                      {w.tag}
                    </a>
                  </td>
                  <td class={td}>{w.medicine}</td>
                  <td class={`${td} ${w.milkUntil ? "text-red-700 font-medium" : ""}`}>
                    {fmtTime(w.milkUntil, lang)}
                  </td>
                  <td class={td}>{fmtTime(w.meatUntil, lang)}</td>
                </tr>
              ))}
            </FarmTable>
          )}
      </FarmCard>
      {data.canTreat && (
        <details
          class="bg-white rounded-lg border border-gray-200 p-3 mb-4"
          open={Object.keys(e).length > 0}
        >
          <summary class="font-semibold cursor-pointer">{m.health.record}</summary>
          <PostForm csrf={data.csrf} actionField="treat" class="mt-2" novalidate>
            {e.form && <AlertBox>{e.form}</AlertBox>}
            <Field id="animal" label={m.recorder.animal} error={e.animal ?? e.animalId}>
              <input
                id="animal"
                name="animal"
                list="health-animals"
                value={v.animal ?? ""}
                autocomplete="off"
                class={inputClass(!!(e.animal ?? e.animalId))}
              />
              <datalist id="health-animals">
                {data.animals.map((a) => (
                  <option value={`${a.tag}${a.name ? " " + a.name : ""}`} />
                ))}
              </datalist>
            </Field>
            <InputField
              {...form}
              id="treatedAt"
              label={m.common.date}
              type="datetime-local"
              optional
            />
            <Field id="condition" label={m.recorder.condition}>
              <select id="condition" name="condition" class={inputClass()}>
                <option value="">—</option>
                {CONDITIONS.map((c) => (
                  <option value={c} selected={v.condition === c}>{m.condition[c]}</option>
                ))}
              </select>
            </Field>
            <Field id="medicineId" label={m.recorder.medicine} error={e.medicineId}>
              <select id="medicineId" name="medicineId" class={inputClass(!!e.medicineId)}>
                {data.medicines.map((x) => (
                  <option value={x.id} selected={v.medicineId === String(x.id)}>
                    {x.name} ({x.unit}){x.milkWithdrawalHours
                      ? ` · ${m.health.milkUntil} +${x.milkWithdrawalHours} h`
                      : ""}
                  </option>
                ))}
              </select>
            </Field>
            <Field id="lotId" label={m.stock.lot} error={e.lotId}>
              <select id="lotId" name="lotId" class={inputClass(!!e.lotId)}>
                <option value="">{m.stock.lotAuto}</option>
                {data.medicines.flatMap((x) =>
                  (data.stock.get(x.id)?.lots ?? []).map((l) => (
                    <option value={l.lotId} selected={v.lotId === String(l.lotId)}>
                      {x.name} · {l.lotCode}
                      {l.expiresOn ? ` · ${fill(m.stock.expires, { date: l.expiresOn })}` : ""} ·
                      {" "}
                      {fill(m.stock.left, { n: `${fmtNum(l.units, lang, 1)} ${x.unit}` })}
                    </option>
                  ))
                )}
              </select>
            </Field>
            <InputField {...form} id="dose" label={m.recorder.dose} inputMode="decimal" optional />
            <Field id="route" label={m.recorder.route} error={e.route}>
              <select id="route" name="route" class={inputClass()}>
                {ROUTES.map((r) => (
                  <option value={r} selected={v.route === r}>{m.route[r]}</option>
                ))}
              </select>
            </Field>
            <InputField {...form} id="batch" label={m.recorder.batch} optional />
            <InputField {...form} id="vet" label={m.recorder.vet} optional />
            <InputField {...form} id="notes" label={m.recorder.notes} optional />
            <button type="submit" class={buttonClass()}>{m.common.save}</button>
          </PostForm>
        </details>
      )}
      <FarmCard title={m.health.treatments}>
        {data.treatments.length === 0 && <p class="text-sm text-gray-600">{m.empty.treatments}</p>}
        <ul class="text-sm">
          {data.treatments.map((t) => (
            <li class="py-1 border-b border-gray-100">
              <span class="text-gray-600 mr-1">{fmtTime(t.treatedAt, lang)}</span>
              <a class="text-brand-700 underline" href={`/farm/animals/${t.animalId}`}>{t.tag}</a>
              {" "}
              <span class="font-medium">{t.medicine}</span> {fmtNum(t.dose, lang, 1)} {t.unit}
              {t.condition && <span>· {m.condition[t.condition]}</span>}
              {t.vaccination && <span class="text-gray-600">· {t.vaccination}</span>}
              {t.lotCode && <span class="text-gray-600">· {m.stock.lot} {t.lotCode}</span>}
            </li>
          ))}
        </ul>
      </FarmCard>
      <FarmCard title={m.health.schedules}>
        <ul class="text-sm">
          {data.schedules.map((s) => (
            <li class="py-1 border-b border-gray-100">
              <span class="font-medium">{s.name}</span> · {s.medicine} ·{" "}
              {fill(m.health.every, { n: fmtNum(s.intervalDays, lang) })}
            </li>
          ))}
        </ul>
        <a class="text-brand-700 underline text-sm block mt-2" href="/farm/calendar">
          {m.health.vaccinations} →
        </a>
      </FarmCard>
      <FarmCard title={m.health.medicines}>
        <FarmTable
          head={[m.recorder.medicine, m.health.milkHours, m.health.meatDays, m.stock.inStock]}
          numeric={[1, 2, 3]}
          empty={m.empty.medicines}
        >
          {data.medicines.map((x) => {
            const st = data.stock.get(x.id);
            return (
              <tr>
                <td class={td}>{x.name}</td>
                <td class={`${td} text-right`}>{fmtNum(x.milkWithdrawalHours, lang)}</td>
                <td class={`${td} text-right`}>{fmtNum(x.meatWithdrawalDays, lang)}</td>
                <td class={`${td} text-right`} data-stock={st ? st.units : undefined}>
                  {st ? `${fmtNum(st.units, lang, 1)} ${x.unit}` : m.stock.notLinked}
                </td>
              </tr>
            );
          })}
        </FarmTable>
      </FarmCard>
      {data.canManage && data.reconcile.length > 0 && (
        <FarmCard title={m.stock.reconcile}>
          <ul class="text-sm">
            {data.reconcile.map((r) => (
              <li class="py-2 border-b border-gray-100">
                <FarmBadge tone={r.status === "short" ? "red" : "amber"}>
                  {r.status === "short" ? m.stock.short : m.stock.surplus}
                </FarmBadge>{" "}
                {m.stock.source[r.source]} · {r.itemCode} {r.lotCode ? `· ${r.lotCode}` : ""} ·{" "}
                {fmtNum(r.qty, lang)}
                <span class="block text-xs text-gray-500">{fmtTime(r.at, lang)}</span>
                <PostButton
                  csrf={data.csrf}
                  action="reconciled"
                  fields={{ drawId: r.id }}
                  formClass="mt-1"
                >
                  {m.stock.resolve}
                </PostButton>
              </li>
            ))}
          </ul>
        </FarmCard>
      )}
    </>
  );
}
