import { fillParams } from "@/services/i18n/mod.ts";
import { TANK_SESSIONS, type TankReceiptRow } from "@/services/intake/mod.ts";
import { Button, Field } from "@/components/ui.tsx";
import { ActionForm, Check, Input, IntakeFrame, Select, Table } from "./(_intake)/kit.tsx";
import { done, intakeScreen, type ScreenProps } from "./(_intake)/screen.ts";

interface Page {
  tanks: { id: string; name: string; held: boolean }[];
  receipts: TankReceiptRow[];
  today: string;
}

/** Receive a farm bulk tank's milk into the silo (refused when held or holding withdrawal milk). */
export const handler = intakeScreen<Page>(
  "tanks",
  async (ctx) => {
    const { intake, iot } = ctx.state.deps;
    const [tanks, receipts] = await Promise.all([iot.listTanks(), intake.listTankReceipts()]);
    return {
      tanks: tanks.map((x) => ({ id: x.id, name: x.name, held: x.status === "held" })),
      receipts,
      today: intake.today(),
    };
  },
  {
    async receive(ctx, v, actor) {
      const m = ctx.state.t.intake;
      const r = await ctx.state.deps.intake.receiveTank(v, actor);
      if (r.status === "accepted") {
        return done("/admin/intake/tanks", m.tanks.accepted, { lot: r.lotCode });
      }
      return {
        status: 409,
        notice: {
          kind: "error",
          lines: [
            m.tanks.rejected,
            ...r.reasons.map((x) => fillParams(m.refusal[x.code] ?? x.message, x.params)),
          ],
        },
      };
    },
  },
);

export default function Tanks({ data, state, url }: ScreenProps<Page>) {
  const m = state.t.intake;
  const p = data.page;
  return (
    <IntakeFrame state={state} url={url} screen={data}>
      <ActionForm screen={data} action="receive" card="mb-6 max-w-3xl">
        <div class="grid sm:grid-cols-3 gap-x-4">
          <Select
            name="tankId"
            label={m.f.tank}
            screen={data}
            options={p.tanks.map((t) => [t.id, `${t.name}${t.held ? " ⚠" : ""}`])}
          />
          <Input name="day" label={m.f.day} type="date" value={p.today} screen={data} />
          <Field id="sessions" label={m.f.sessions} error={data.errors.sessions}>
            <div class="flex gap-3 py-2">
              {TANK_SESSIONS.map((s) => (
                <Check
                  name="sessions"
                  value={s}
                  label={m.session[s]}
                  screen={data}
                  class="flex items-center gap-1"
                />
              ))}
            </div>
          </Field>
          <Input name="litres" label={m.f.litres} inputMode="decimal" screen={data} />
          <Input name="fatPct" label={m.f.fat} inputMode="decimal" screen={data} />
          <Input name="snfPct" label={m.f.snf} inputMode="decimal" screen={data} />
          <Input name="tempC" label={m.f.temp} inputMode="decimal" screen={data} />
        </div>
        <Button>{m.tanks.receive}</Button>
      </ActionForm>
      <Table
        empty={m.tanks.none}
        head={[m.f.day, m.f.tank, m.f.sessions, m.f.litres, m.f.fat, m.f.snf, m.f.temp, m.f.status]}
        rows={p.receipts.map((r) => [
          r.day,
          r.tankId,
          r.sessions.map((s) => m.session[s]).join(", "),
          r.litres,
          r.fatPct,
          r.snfPct,
          r.tempC,
          r.status === "accepted"
            ? <span>{m.status.accepted} · {r.lotCode}</span>
            : <span class="text-red-700">{m.status.rejected}: {r.rejectReason}</span>,
        ])}
      />
    </IntakeFrame>
  );
}
