import { formatTaka } from "@/services/i18n/mod.ts";
import {
  type CollectionPoint,
  type Delivery,
  DELIVERY_SESSIONS,
  type Farmer,
  optionalId,
} from "@/services/intake/mod.ts";
import { Button } from "@/components/ui.tsx";
import type { State } from "@/state.ts";
import { ActionForm, Check, Input, IntakeFrame, Select, Table } from "./(_intake)/kit.tsx";
import { done, intakeScreen, one, type ScreenProps } from "./(_intake)/screen.ts";

interface Page {
  farmers: Farmer[];
  points: CollectionPoint[];
  deliveries: Delivery[];
  days: Awaited<ReturnType<State["deps"]["intake"]["pointDays"]>>;
  sticky: { pointId: string; day: string; session: string };
}

const back = (v: Record<string, unknown>) =>
  `/admin/intake/deliveries?point=${encodeURIComponent(String(v.pointId ?? ""))}&day=${
    encodeURIComponent(String(v.day ?? ""))
  }&session=${encodeURIComponent(String(v.session ?? ""))}`;

/** Collection: one delivery per farmer and session, priced from the chart; a point's day → lot. */
export const handler = intakeScreen<Page>(
  "deliveries",
  async (ctx) => {
    const intake = ctx.state.deps.intake;
    const q = ctx.url.searchParams;
    const today = intake.today();
    const from = new Date(Date.parse(`${today}T00:00:00Z`) - 13 * 86_400_000).toISOString()
      .slice(0, 10);
    const pointId = optionalId(q.get("point"));
    const [farmers, points, deliveries, days] = await Promise.all([
      intake.listFarmers(),
      intake.listPoints(),
      intake.listDeliveries({ pointId: pointId ?? undefined, limit: 50 }),
      intake.pointDays({ from, to: today }),
    ]);
    const session = q.get("session");
    const day = q.get("day") ?? "";
    return {
      farmers: farmers.filter((f) => f.active),
      points: points.filter((p) => p.active),
      deliveries,
      days,
      sticky: {
        pointId: pointId ? String(pointId) : "",
        day: /^\d{4}-\d{2}-\d{2}$/.test(day) ? day : today,
        session: session === "pm" || session === "am" ? session : "am",
      },
    };
  },
  {
    async record(ctx, v, actor) {
      const m = ctx.state.t.intake;
      const lang = ctx.state.lang;
      const d = await ctx.state.deps.intake.recordDelivery(v, actor);
      return d.status === "accepted"
        ? done(back(v), m.deliveries.saved, {
          litres: d.litres,
          price: formatTaka(d.priceMinor ?? 0, lang),
          amount: formatTaka(d.amountMinor, lang),
        })
        : done(back(v), m.deliveries.savedRejected, {
          reason: m.rejectReason[d.rejectReason ?? "other"],
        });
    },
    async receiveDay(ctx, v, actor) {
      const r = await ctx.state.deps.intake.receivePointDay(
        { pointId: one(v.pointId), day: one(v.day) },
        actor,
      );
      return done(back(v), ctx.state.t.intake.deliveries.received, { lot: r.lotCode });
    },
  },
);

export default function Deliveries({ data, state, url }: ScreenProps<Page>) {
  const m = state.t.intake;
  const p = data.page;
  const lang = state.lang;
  return (
    <IntakeFrame state={state} url={url} screen={data}>
      <ActionForm screen={data} action="record" card="mb-6 max-w-3xl">
        <div class="grid grid-cols-2 sm:grid-cols-4 gap-x-3">
          <Select
            name="pointId"
            label={m.f.point}
            screen={data}
            value={p.sticky.pointId}
            options={p.points.map((x) => [String(x.id), `${x.code} · ${x.name}`])}
          />
          <Input name="day" label={m.f.day} type="date" value={p.sticky.day} screen={data} />
          <Select
            name="session"
            label={m.f.session}
            screen={data}
            value={p.sticky.session}
            options={DELIVERY_SESSIONS.map((s) => [s, m.session[s]])}
          />
          <Select
            name="farmerId"
            label={m.f.farmer}
            screen={data}
            options={p.farmers.map((f) => [String(f.id), `${f.code} · ${f.name}`])}
          />
          <Input name="litres" label={m.f.litres} inputMode="decimal" screen={data} />
          <Input name="fatPct" label={m.f.fat} inputMode="decimal" screen={data} />
          <Input name="snfPct" label={m.f.snf} inputMode="decimal" screen={data} />
          <Input name="tempC" label={m.f.temp} inputMode="decimal" screen={data} />
          <Select
            name="antibiotic"
            label={m.f.antibiotic}
            screen={data}
            value="negative"
            options={(["negative", "positive", "not_tested"] as const).map((a) => [
              a,
              m.antibiotic[a],
            ])}
          />
          <Check name="adulterated" label={m.f.adulterated} screen={data} />
          <Check name="refuse" label={m.f.refuse} screen={data} />
          <Input name="note" label={m.f.note} screen={data} />
        </div>
        <Button>{m.deliveries.record}</Button>
      </ActionForm>

      <h2 class="text-lg font-semibold mb-2">{m.deliveries.days}</h2>
      <Table
        empty={m.deliveries.none}
        head={[m.f.day, m.f.point, m.status.accepted, m.status.rejected, m.f.deliveries, m.f.lot]}
        rows={p.days.map((d) => [
          d.day,
          d.pointCode,
          `${d.acceptedL} L`,
          `${d.rejectedL} L`,
          d.deliveries,
          d.lotCode ?? (d.acceptedL > 0
            ? (
              <ActionForm
                screen={data}
                action="receiveDay"
                hidden={{ pointId: d.pointId, day: d.day }}
              >
                <Button kind="small">{m.deliveries.receiveDay}</Button>
              </ActionForm>
            )
            : "—"),
        ])}
      />

      <h2 class="text-lg font-semibold mb-2">{m.deliveries.recent}</h2>
      <Table
        empty={m.deliveries.none}
        head={[
          m.f.day,
          m.f.farmer,
          m.f.litres,
          m.f.fat,
          m.f.snf,
          m.f.temp,
          m.f.price,
          m.f.amount,
          m.f.status,
        ]}
        rows={p.deliveries.map((d) => [
          `${d.day} ${m.session[d.session]}`,
          `${d.farmerCode} · ${d.farmerName}`,
          d.litres,
          d.fatPct,
          d.snfPct,
          d.tempC,
          d.priceMinor === null ? "—" : formatTaka(d.priceMinor, lang),
          formatTaka(d.amountMinor, lang),
          d.status === "accepted"
            ? m.status.accepted
            : <span class="text-red-700">{m.rejectReason[d.rejectReason ?? "other"]}</span>,
        ])}
      />
    </IntakeFrame>
  );
}
