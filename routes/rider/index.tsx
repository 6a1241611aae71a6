/**
 * The rider's phone page (installable like /farm, kept by the service worker for offline use):
 * today's stops in route order with call and navigate links; delivered / failed steps are kept
 * on the phone and sent to /rider/sync (islands/RiderRoute.tsx).
 */
import type { Handlers, PageProps } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import { requirePermission } from "@/plugins/session.ts";
import { ServiceWorker } from "@/components/ServiceWorker.tsx";
import { StaffAppLayout } from "@/components/StaffAppLayout.tsx";
import { deliveryMessages } from "@/services/delivery/mod.ts";
import RiderRoute, { type RiderProps } from "@/islands/RiderRoute.tsx";

interface Data {
  rider: RiderProps;
}

export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    const user = requirePermission(ctx, "delivery.ride");
    const m = deliveryMessages(ctx.state.lang);
    ctx.state.title = m.rider.title;
    const routes = await ctx.state.deps.delivery.riderDay(user.id);
    return {
      data: {
        rider: {
          csrf: await ctx.csrfToken(),
          userId: user.id,
          stops: routes.flatMap((r) => r.stops),
          t: m.rider,
        },
      },
      headers: { "cache-control": "private, no-cache" },
    };
  },
};

export default function Rider({ data, state, url }: PageProps<Data, State>) {
  return (
    <StaffAppLayout
      state={state}
      path={url.pathname}
      csrf={data.rider.csrf}
      app={{ href: "/rider", label: data.rider.t.title }}
    >
      <h1 class="text-2xl font-bold mb-3">{data.rider.t.title}</h1>
      <RiderRoute {...data.rider} />
      <ServiceWorker />
    </StaffAppLayout>
  );
}
