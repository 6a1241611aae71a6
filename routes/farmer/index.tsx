import type { ComponentChildren } from "preact";
import type { Context, PageProps } from "@/framework/mod.ts";
import type { Delivery, Farmer, Statement } from "@/services/intake/mod.ts";
import { fillParams } from "@/services/i18n/mod.ts";
import type { State } from "@/state.ts";
import { date, FarmerFrame, n, requireFarmer, taka } from "./(_farmer)/farmer.tsx";

interface Data {
  csrf: string;
  farmer: Farmer;
  deliveries: Delivery[];
  statements: Statement[];
}

/** The farmer's own page: recent deliveries with their tests, and statements with payments. */
export const handler = {
  async GET(ctx: Context<State>) {
    const farmerId = await requireFarmer(ctx);
    const home = await ctx.state.deps.intake.farmerHome(farmerId);
    ctx.state.title = ctx.state.t.intake.farmer.title;
    return { data: { csrf: await ctx.csrfToken(), ...home } satisfies Data };
  },
};

export default function FarmerHome({ data, state, url }: PageProps<Data, State>) {
  const { lang } = state;
  const m = state.t.intake;
  return (
    <FarmerFrame state={state} path={url.pathname} csrf={data.csrf}>
      <p class="mb-3">{fillParams(m.farmer.hello, { name: data.farmer.name })}</p>
      <Listing title={m.farmer.statements} empty={m.farmer.none}>
        {data.statements.map((s) => (
          <li class="p-2" data-statement={s.id}>
            <a href={`/farmer/statements/${s.id}`} class="flex justify-between gap-2">
              <span>{date(lang, s.periodStart)} – {date(lang, s.periodEnd)}</span>
              <strong>{taka(lang, s.netMinor)}</strong>
            </a>
            <span class={s.status === "paid" ? "text-green-800 text-sm" : "text-amber-800 text-sm"}>
              {s.status === "paid"
                ? `${m.status.paid} · ${m.payVia[s.paidVia ?? ""] ?? ""}`
                : m.farmer.due}
            </span>
          </li>
        ))}
      </Listing>
      <Listing title={m.farmer.deliveries} empty={m.farmer.none}>
        {data.deliveries.map((d) => (
          <li class="p-2" data-delivery={d.id}>
            <a href={`/farmer/deliveries/${d.id}`} class="block">
              <span class="flex justify-between gap-2">
                <span>{date(lang, d.day)} · {m.session[d.session]}</span>
                <span>{n(lang, d.litres)} L</span>
              </span>
              <span class="text-sm text-gray-700">
                {m.f.fat} {n(lang, d.fatPct, 2)} · {m.f.snf} {n(lang, d.snfPct, 2)} ·{" "}
                {d.status === "accepted" ? taka(lang, d.amountMinor) : (
                  <span class="text-red-700">
                    {m.status.rejected}: {m.rejectReason[d.rejectReason ?? "other"]}
                  </span>
                )}
              </span>
            </a>
          </li>
        ))}
      </Listing>
    </FarmerFrame>
  );
}

/** A heading and its list of rows (a line saying there is nothing when empty). */
function Listing(props: { title: string; empty: string; children: ComponentChildren[] }) {
  return (
    <>
      <h2 class="font-semibold mt-4 mb-2">{props.title}</h2>
      {props.children.length === 0 && <p class="text-gray-600">{props.empty}</p>}
      <ul class="divide-y border rounded bg-white">{props.children}</ul>
    </>
  );
}
