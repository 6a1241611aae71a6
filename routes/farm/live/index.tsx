import type { Handlers, PageProps } from "@/framework/mod.ts";
import { requirePermission, userCan } from "@/plugins/session.ts";
import { fmtNumber } from "@/components/IotFormat.ts";
import FarmLive from "@/islands/IotLive.tsx";
import type { State } from "@/state.ts";
import type { FarmLiveData } from "@/services/iot/mod.ts";
import { farmLiveStrings } from "@/components/IotLiveStrings.ts";

interface Data extends FarmLiveData {
  canManage: boolean;
}

/**
 * The live farm overview for farm staff: tank temperatures (with milk on hold), today's milk by
 * session and the open alarms, updated through /farm/live/events.
 */
export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    requirePermission(ctx, "iot.view");
    const m = ctx.state.t.iot;
    ctx.state.title = `${m.live.title} — ${ctx.state.t.site.name}`;
    const data = await ctx.state.deps.iot.loadFarmLive();
    return { data: { ...data, canManage: userCan(ctx, "admin.access") } };
  },
};

export default function LivePage({ data, state }: PageProps<Data, State>) {
  const m = state.t.iot;
  const lang = state.lang;
  const types = Object.entries(data.devices.byType);
  return (
    <>
      <div class="mb-4">
        <h1 class="text-2xl font-bold">{m.live.title}</h1>
        <p class="text-gray-700">{m.live.intro}</p>
      </div>
      <FarmLive
        stream="/farm/live/events"
        lang={lang}
        t={farmLiveStrings(m)}
        bands={data.bands}
        tanks={data.tanks}
        milk={data.milk}
        alarms={data.alarms}
        deviceHref="/farm/live/devices/"
        now={data.now}
      />
      <section aria-labelledby="live-devices" class="mt-6">
        <h2 id="live-devices" class="text-lg font-semibold">{m.live.devices}</h2>
        <p class="text-sm text-gray-700 mb-2">
          {m.live.online(
            fmtNumber(lang, data.devices.online, 0),
            fmtNumber(lang, data.devices.total, 0),
          )}
        </p>
        <ul class="flex flex-wrap gap-2 text-sm">
          {types.map(([type, n]) => (
            <li class="rounded border border-gray-200 bg-white px-2 py-1">
              {m.typesPlural[type] ?? type}: <strong>{fmtNumber(lang, n, 0)}</strong>
            </li>
          ))}
        </ul>
        {data.canManage && (
          <p class="mt-3 text-sm">
            <a href="/admin/iot/devices" class="text-brand-700 underline">{m.live.manage}</a>
          </p>
        )}
      </section>
    </>
  );
}
