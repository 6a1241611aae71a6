import type { Context, PageProps } from "@/framework/mod.ts";
import { type Delivery, pathId, type Statement } from "@/services/intake/mod.ts";
import type { State } from "@/state.ts";
import { date, FarmerFrame, n, requireFarmer, taka } from "../(_farmer)/farmer.tsx";

interface Data {
  csrf: string;
  statement: Statement;
  deliveries: Delivery[];
}

/** One of the farmer's own statements with its deliveries; anyone else's is "not found". */
export const handler = {
  async GET(ctx: Context<State>) {
    const farmerId = await requireFarmer(ctx);
    // Another farmer's statement is a NotFoundError: the framework answers 404.
    const s = await ctx.state.deps.intake.farmerStatement(farmerId, pathId(ctx.params.id));
    return { data: { csrf: await ctx.csrfToken(), ...s } satisfies Data };
  },
};

export default function FarmerStatement({ data, state, url }: PageProps<Data, State>) {
  const { lang } = state;
  const m = state.t.intake;
  const s = data.statement;
  return (
    <FarmerFrame state={state} path={url.pathname} csrf={data.csrf}>
      <h1 class="font-semibold text-lg mb-2">
        {date(lang, s.periodStart)} – {date(lang, s.periodEnd)}
      </h1>
      <dl class="grid grid-cols-2 gap-x-3 gap-y-1 bg-white border rounded p-3 mb-3">
        <dt class="text-gray-600">{m.f.litres}</dt>
        <dd>{n(lang, s.litres)}</dd>
        <dt class="text-gray-600">{m.f.avgFat}</dt>
        <dd>{n(lang, s.avgFat, 2)}</dd>
        <dt class="text-gray-600">{m.f.avgSnf}</dt>
        <dd>{n(lang, s.avgSnf, 2)}</dd>
        <dt class="text-gray-600">{m.f.gross}</dt>
        <dd>{taka(lang, s.grossMinor)}</dd>
        <dt class="text-gray-600">{m.f.deductions}</dt>
        <dd>{taka(lang, s.deductionsMinor)}</dd>
        <dt class="text-gray-600 font-semibold">{m.f.net}</dt>
        <dd class="font-semibold">{taka(lang, s.netMinor)}</dd>
        <dt class="text-gray-600">{m.f.status}</dt>
        <dd>
          {s.status === "paid"
            ? `${m.status.paid} · ${m.payVia[s.paidVia ?? ""] ?? ""}`
            : m.farmer.due}
        </dd>
      </dl>
      <ul class="divide-y border rounded bg-white">
        {data.deliveries.map((d) => (
          <li class="p-2 flex justify-between gap-2 text-sm">
            <span>{date(lang, d.day)} · {m.session[d.session]} · {n(lang, d.litres)} L</span>
            <span>
              {d.status === "accepted"
                ? taka(lang, d.amountMinor)
                : `${m.status.rejected}: ${m.rejectReason[d.rejectReason ?? "other"]}`}
            </span>
          </li>
        ))}
      </ul>
      <p class="mt-3">
        <a href="/farmer" class="underline">{m.farmer.back}</a>
      </p>
    </FarmerFrame>
  );
}
