/** One delivery route: its stops in order (move up/down, map link per stop) and dispatch. */
import { type Handlers, HttpError, type PageProps } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import { requirePermission } from "@/plugins/session.ts";
import { type Delivery, deliveryMessages } from "@/services/delivery/mod.ts";
import { formatTaka } from "@/services/i18n/mod.ts";
import { buttonClass, linkClass, ListTable } from "@/components/ui.tsx";

type RouteView = NonNullable<Awaited<ReturnType<Delivery["route"]>>>;

interface Data {
  route: RouteView;
  csrf: string;
  error: string | null;
}

export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    requirePermission(ctx, "sales.manage");
    const route = await ctx.state.deps.delivery.route(ctx.params.id);
    if (!route) throw new HttpError(404);
    ctx.state.title = deliveryMessages(ctx.state.lang).admin.title;
    return { data: { route, csrf: await ctx.csrfToken(), error: null } };
  },
  async POST(ctx) {
    const user = requirePermission(ctx, "sales.manage");
    const delivery = ctx.state.deps.delivery;
    const route = await delivery.route(ctx.params.id);
    if (!route) throw new HttpError(404);
    const f = ctx.form!;
    const action = String(f.get("action") ?? "");
    try {
      if (action === "up" || action === "down") {
        await delivery.moveStop(route.id, Number(f.get("stopId")), action);
      } else if (action === "dispatch") {
        await delivery.dispatch(route.id, user.id);
      } else {
        throw new HttpError(400, "Unknown action");
      }
    } catch (e) {
      const status = (e as { status?: number }).status;
      if (!status || status >= 500 || e instanceof HttpError) throw e;
      return {
        status,
        data: {
          route: (await delivery.route(route.id))!,
          csrf: await ctx.csrfToken(),
          error: (e as Error).message,
        },
      };
    }
    return ctx.redirect(`/admin/delivery/${route.id}`);
  },
};

export default function RoutePage({ data, state }: PageProps<Data, State>) {
  const m = deliveryMessages(state.lang).admin;
  const r = data.route;
  const hidden = <input type="hidden" name="_csrf" value={data.csrf} />;
  return (
    <>
      <p class="mb-2">
        <a class={linkClass} href={`/admin/delivery?date=${r.deliveryDate}`}>← {m.title}</a>
      </p>
      <h1 class="text-2xl font-bold mb-2">
        {r.deliveryDate} · {r.slotCode} · {r.riderName}
      </h1>
      <p class="mb-3" data-route-status={r.status}>
        {m.status}: {r.status === "planned" ? m.planned : m.dispatched}
      </p>
      {data.error && <p class="text-red-700 mb-2" role="alert">{data.error}</p>}
      <ListTable
        heads={["#", m.order, m.rider, m.map, m.status, ""]}
        empty={m.noStops}
        class="mb-4"
      >
        {r.stops.map((s) => (
          <tr class="border-t" data-stop={s.orderNumber}>
            <td class="px-3 py-2">{s.seq}</td>
            <td class="px-3 py-2">
              <a class={linkClass} href={`/admin/shop/orders/${s.orderNumber}`}>{s.orderNumber}</a>
              {s.codDueMinor > 0 && ` · COD ${formatTaka(s.codDueMinor, state.lang)}`}
            </td>
            <td class="px-3 py-2">{s.recipient} · {s.address}</td>
            <td class="px-3 py-2">
              <a class={linkClass} href={s.mapUrl} target="_blank" rel="noopener">{m.map}</a>
            </td>
            <td class="px-3 py-2" data-stop-status={s.status}>
              {s.status}
              {s.failReason ? `: ${s.failReason}` : ""}
              {s.proof && ` · ${m.proof}: ${m.proofs[s.proof] ?? s.proof}`}
              {(s.proof === "photo" || s.proof === "signature") && (
                <a class={`${linkClass} block`} href={`/admin/delivery/proof/${s.id}`} data-proof>
                  <img
                    src={`/admin/delivery/proof/${s.id}`}
                    alt={m.proofs[s.proof]}
                    class="h-16 border"
                    loading="lazy"
                  />
                </a>
              )}
            </td>
            <td class="px-3 py-2 whitespace-nowrap">
              {(["up", "down"] as const).map((dir) => (
                <form method="post" class="inline">
                  {hidden}
                  <input type="hidden" name="stopId" value={s.id} />
                  <button class={linkClass} name="action" value={dir} type="submit">
                    {dir === "up" ? m.up : m.down}
                  </button>
                  {" "}
                </form>
              ))}
            </td>
          </tr>
        ))}
      </ListTable>
      {r.status === "planned" && (
        <form method="post">
          {hidden}
          <button class={buttonClass()} name="action" value="dispatch" type="submit">
            {m.dispatch}
          </button>
        </form>
      )}
    </>
  );
}
