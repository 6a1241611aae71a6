import type { Context, PageProps } from "@/framework/mod.ts";
import { type Delivery, pathId } from "@/services/intake/mod.ts";
import type { State } from "@/state.ts";
import { date, FarmerFrame, n, requireFarmer, taka } from "../(_farmer)/farmer.tsx";

interface Data {
  csrf: string;
  d: Delivery;
}

/** One of the farmer's own deliveries with its tests; anyone else's is "not found". */
export const handler = {
  async GET(ctx: Context<State>) {
    const farmerId = await requireFarmer(ctx);
    // Another farmer's delivery is a NotFoundError: the framework answers 404.
    const d = await ctx.state.deps.intake.farmerDelivery(farmerId, pathId(ctx.params.id));
    return { data: { csrf: await ctx.csrfToken(), d } satisfies Data };
  },
};

export default function FarmerDelivery({ data, state, url }: PageProps<Data, State>) {
  const { lang } = state;
  const m = state.t.intake;
  const d = data.d;
  const rows: [string, string][] = [
    [m.f.day, `${date(lang, d.day)} · ${m.session[d.session]}`],
    [m.f.point, d.pointCode],
    [m.f.litres, n(lang, d.litres)],
    [m.f.fat, n(lang, d.fatPct, 2)],
    [m.f.snf, n(lang, d.snfPct, 2)],
    [m.f.temp, n(lang, d.tempC)],
    [m.f.antibiotic, m.antibiotic[d.antibiotic]],
    [
      m.f.status,
      d.status === "accepted"
        ? m.status.accepted
        : `${m.status.rejected}: ${m.rejectReason[d.rejectReason ?? "other"]}`,
    ],
    [m.f.price, d.priceMinor === null ? "—" : taka(lang, d.priceMinor)],
    [m.f.amount, taka(lang, d.amountMinor)],
  ];
  return (
    <FarmerFrame state={state} path={url.pathname} csrf={data.csrf}>
      <dl class="grid grid-cols-2 gap-x-3 gap-y-1 bg-white border rounded p-3">
        {rows.map(([k, v]) => (
          <>
            <dt class="text-gray-600">{k}</dt>
            <dd>{v}</dd>
          </>
        ))}
      </dl>
      <p class="mt-3">
        <a href="/farmer" class="underline">{m.farmer.back}</a>
      </p>
    </FarmerFrame>
  );
}
