/**
 * The customer's order tracking page, reached from the order's SMS without signing in: the link
 * carries a signed token (services/delivery), so it cannot be guessed from an order number.
 * Status timeline, the rider, the expected day and slot, and the code to give the rider.
 */
import type { Handlers, PageProps } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import { SiteLayout } from "@/components/SiteLayout.tsx";
import {
  deliveryMessages,
  dhakaDate,
  dhakaTime,
  type TrackingView,
} from "@/services/delivery/mod.ts";

interface Data {
  view: TrackingView | null;
}

export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    const m = deliveryMessages(ctx.state.lang);
    ctx.state.title = `${m.track.title} — ${ctx.state.t.site.name}`;
    const view = await ctx.state.deps.delivery.tracking(ctx.params.token);
    // A forged or unknown link: 404, and nothing said about which orders exist.
    return {
      status: view ? 200 : 404,
      data: { view },
      headers: { "cache-control": "no-store", "referrer-policy": "no-referrer" },
    };
  },
};

export default function Track({ data, state, url }: PageProps<Data, State>) {
  const m = deliveryMessages(state.lang).track;
  const bn = state.lang === "bn";
  const v = data.view;
  if (!v) {
    return (
      <SiteLayout state={state} path={url.pathname}>
        <h1 class="text-2xl font-bold mb-3">{m.title}</h1>
        <p data-track-invalid>{m.invalid}</p>
      </SiteLayout>
    );
  }
  const slot = v.slot ? `${bn ? v.slot.nameBn : v.slot.nameEn}` : "";
  return (
    <SiteLayout state={state} path={url.pathname}>
      <h1 class="text-2xl font-bold mb-3">{m.title}</h1>
      <dl class="grid grid-cols-2 gap-2 mb-4 max-w-md">
        <dt class="font-semibold">{m.order}</dt>
        <dd data-order>{v.number}</dd>
        <dt class="font-semibold">{m.status}</dt>
        <dd data-status={v.status}>{m.statuses[v.status] ?? v.status}</dd>
        <dt class="font-semibold">{m.expected}</dt>
        <dd data-expected>
          {v.deliveryDate} {slot}
        </dd>
        <dt class="font-semibold">{m.rider}</dt>
        <dd data-rider>
          {v.courier
            ? `${v.courier.name} · ${v.courier.consignmentId}`
            : (v.rider ?? m.notAssigned)}
        </dd>
      </dl>
      {v.handoverCode && (
        <p class="mb-4 p-3 bg-brand-50 rounded" data-handover-code={v.handoverCode}>
          {m.code}: <strong class="text-2xl tracking-widest">{v.handoverCode}</strong>
        </p>
      )}
      {v.failed && (
        <p class="mb-4 p-3 bg-red-50 rounded" data-failed>
          {m.failed}: {v.failed.reason}
        </p>
      )}
      <h2 class="text-xl font-semibold mb-2">{m.timeline}</h2>
      {v.events.length === 0
        ? <p>{m.noEvents}</p>
        : (
          <ol class="border-l-2 border-brand-500 pl-4" data-timeline>
            {v.events.map((e) => (
              <li class="mb-2" data-event={e.toStatus}>
                <strong>{m.statuses[e.toStatus] ?? e.toStatus}</strong>
                <span class="text-gray-600 text-sm">
                  {` — ${dhakaDate(e.at)} ${dhakaTime(e.at)}`}
                </span>
              </li>
            ))}
          </ol>
        )}
    </SiteLayout>
  );
}
