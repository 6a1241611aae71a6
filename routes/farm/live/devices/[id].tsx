import type { Handlers, PageProps } from "@/framework/mod.ts";
import { HttpError } from "@/framework/mod.ts";
import { requirePermission, userCan } from "@/plugins/session.ts";
import { IotDeviceView } from "@/components/IotDeviceView.tsx";
import type { State } from "@/state.ts";
import { type DeviceView, parseRange } from "@/services/iot/mod.ts";

interface Data {
  view: DeviceView;
  canManage: boolean;
}

/** One device for farm staff: newest values and charts, updated live. */
export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    requirePermission(ctx, "iot.view");
    const view = await ctx.state.deps.iot.loadDeviceView(
      ctx.params.id,
      parseRange(ctx.url.searchParams.get("range")),
    );
    if (!view) throw new HttpError(404);
    ctx.state.title = `${view.device.name} — ${ctx.state.t.site.name}`;
    return { data: { view, canManage: userCan(ctx, "admin.access") && userCan(ctx, "iot.view") } };
  },
};

export default function LiveDevice({ data, state, url }: PageProps<Data, State>) {
  const m = state.t.iot;
  const d = data.view.device;
  return (
    <>
      <p class="text-sm mb-2">
        <a href="/farm/live" class="text-brand-700 underline">← {m.live.title}</a>
      </p>
      <h1 class="text-2xl font-bold mb-3">{d.name}</h1>
      <IotDeviceView
        view={data.view}
        m={m}
        lang={state.lang}
        stream={`/farm/live/events?device=${encodeURIComponent(d.id)}`}
        path={url.pathname}
      >
        {data.canManage && (
          <p class="mt-3 text-sm">
            <a
              href={`/admin/iot/devices/${encodeURIComponent(d.id)}`}
              class="text-brand-700 underline"
            >
              {m.live.manage}
            </a>
          </p>
        )}
      </IotDeviceView>
    </>
  );
}
