/**
 * Couriers: each delivery zone's courier (our riders or Pathao with Pathao's city and zone ids),
 * the day's orders waiting in Pathao zones with Pathao's price, booking, and the parcels booked
 * with their consignment numbers.
 */
import type { Handlers, PageProps } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import { requirePermission } from "@/plugins/session.ts";
import {
  courierName,
  type Delivery,
  deliveryMessages,
  dhakaDate,
  isDate,
  PARCEL_COURIERS,
  type ZoneCourier,
} from "@/services/delivery/mod.ts";
import { formatTaka } from "@/services/i18n/mod.ts";
import { buttonClass, inputClass, ListTable, selectClass } from "@/components/ui.tsx";

type Day = Awaited<ReturnType<Delivery["couriers"]["day"]>>;

interface Data {
  date: string;
  configured: boolean;
  zones: { id: number; name: string; courier: ZoneCourier }[];
  day: Day;
  csrf: string;
  error: string | null;
}

type Ctx = Parameters<NonNullable<Handlers<Data, State>["GET"]>>[0];

async function render(ctx: Ctx, date: string, error: string | null = null, status = 200) {
  const { delivery, shop } = ctx.state.deps;
  const bn = ctx.state.lang === "bn";
  ctx.state.title = deliveryMessages(ctx.state.lang).couriers.title;
  const zones = [];
  for (const z of await shop.activeZones()) {
    zones.push({
      id: z.id,
      name: bn ? z.nameBn : z.nameEn,
      courier: await delivery.couriers.zoneCourier(z.id),
    });
  }
  return {
    status,
    data: {
      date,
      configured: delivery.couriers.pathaoConfigured(),
      zones,
      day: await delivery.couriers.day(date),
      csrf: await ctx.csrfToken(),
      error,
    },
  };
}

const dayOf = (ctx: Ctx, v: unknown) =>
  isDate(String(v ?? "")) ? String(v) : dhakaDate(ctx.state.deps.clock.now());

export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    requirePermission(ctx, "sales.manage");
    return await render(ctx, dayOf(ctx, ctx.url.searchParams.get("date")));
  },
  async POST(ctx) {
    const user = requirePermission(ctx, "sales.manage");
    const f = ctx.form!;
    const date = dayOf(ctx, f.get("date"));
    const couriers = ctx.state.deps.delivery.couriers;
    const num = (k: string) => f.get(k) ? Number(f.get(k)) : null;
    try {
      if (f.get("action") === "zone") {
        await couriers.setZoneCourier({
          zoneId: Number(f.get("zoneId")),
          courier: (["pathao", "steadfast", "paperfly"] as const).find((c) =>
            c === f.get("courier")
          ) ?? "own",
          pathaoCity: num("pathaoCity"),
          pathaoZone: num("pathaoZone"),
        });
      } else if (f.get("action") === "book") {
        // The courier staff chose for this parcel (its zone's when none is sent).
        const via = PARCEL_COURIERS.find((c) => c === f.get("courier"));
        await couriers.book(String(f.get("number") ?? ""), user.id, 1, via);
      } else {
        return await render(ctx, date, "Unknown action", 400);
      }
    } catch (e) {
      const status = (e as { status?: number }).status;
      if (!status) throw e;
      const fields = (e as { fieldErrors?: Record<string, string> }).fieldErrors;
      const message = fields ? Object.values(fields).join("; ") : (e as Error).message;
      return await render(ctx, date, message, status >= 500 ? 502 : status);
    }
    return ctx.redirect(`/admin/delivery/couriers?date=${date}`);
  },
};

export default function Couriers({ data, state }: PageProps<Data, State>) {
  const m = deliveryMessages(state.lang).couriers;
  const zone = new Map(data.zones.map((z) => [z.id, z.name]));
  const hidden = (
    <>
      <input type="hidden" name="_csrf" value={data.csrf} />
      <input type="hidden" name="date" value={data.date} />
    </>
  );
  return (
    <>
      <h1 class="text-2xl font-bold mb-2">{m.title}</h1>
      <p class="mb-3 text-gray-700">{m.intro}</p>
      {!data.configured && <p class="mb-3" data-not-configured>{m.notConfigured}</p>}
      {data.error && <p class="text-red-700 mb-3" role="alert">{data.error}</p>}
      <form method="get" class="mb-4">
        <input type="date" name="date" value={data.date} class={inputClass()} aria-label="date" />
        {" "}
        <button class={buttonClass("secondary")} type="submit">OK</button>
      </form>

      <h2 class="text-xl font-semibold mb-2">{m.waiting}</h2>
      <ListTable heads={["#", m.zones, m.price, ""]} empty={m.noWaiting} class="mb-6">
        {data.day.waiting.map((o) => (
          <tr class="border-t" data-waiting={o.number}>
            <td class="px-3 py-2">{o.number}</td>
            <td class="px-3 py-2">{zone.get(o.zoneId) ?? o.zoneId}</td>
            <td class="px-3 py-2" data-price={o.priceMinor ?? ""}>
              {o.priceMinor === null ? "—" : formatTaka(o.priceMinor, state.lang)}
            </td>
            <td class="px-3 py-2">
              <form method="post" class="flex flex-wrap gap-2 items-center">
                {hidden}
                <input type="hidden" name="number" value={o.number} />
                <select name="courier" class={selectClass} aria-label={m.sendWith}>
                  {Object.entries(o.prices).map(([c, price]) => (
                    <option value={c} selected={c === o.courier} data-price={price ?? ""}>
                      {courierName(c)} —{" "}
                      {price === null || price === undefined ? "—" : formatTaka(price, state.lang)}
                    </option>
                  ))}
                </select>
                <button class={buttonClass()} name="action" value="book" type="submit">
                  {m.book}
                </button>
              </form>
            </td>
          </tr>
        ))}
      </ListTable>

      <h2 class="text-xl font-semibold mb-2">{m.parcels}</h2>
      <ListTable heads={["#", m.consignment, m.fee, m.cod]} empty={m.noParcels} class="mb-6">
        {data.day.parcels.map((p) => (
          <tr class="border-t" data-parcel={p.orderNumber}>
            <td class="px-3 py-2">{p.orderNumber}</td>
            <td class="px-3 py-2" data-consignment>
              {courierName(p.courier)} {p.consignmentId} · {p.status}
            </td>
            <td class="px-3 py-2">{formatTaka(p.feeMinor, state.lang)}</td>
            <td class="px-3 py-2">{formatTaka(p.codMinor, state.lang)}</td>
          </tr>
        ))}
      </ListTable>

      <h2 class="text-xl font-semibold mb-2">{m.zones}</h2>
      <ListTable heads={[m.zones, m.courier, ""]} empty={m.noWaiting}>
        {data.zones.map((z) => (
          <tr class="border-t" data-zone={z.id}>
            <td class="px-3 py-2">{z.name}</td>
            <td class="px-3 py-2">
              {z.courier.courier === "pathao"
                ? `Pathao ${z.courier.pathaoCity}/${z.courier.pathaoZone}`
                : z.courier.courier === "own"
                ? m.own
                : courierName(z.courier.courier)}
            </td>
            <td class="px-3 py-2">
              <form method="post" class="flex flex-wrap gap-1 items-center">
                {hidden}
                <input type="hidden" name="zoneId" value={z.id} />
                <select name="courier" class={selectClass} aria-label={m.courier}>
                  <option value="own" selected={z.courier.courier === "own"}>{m.own}</option>
                  <option value="pathao" selected={z.courier.courier === "pathao"}>Pathao</option>
                  <option value="steadfast" selected={z.courier.courier === "steadfast"}>
                    Steadfast
                  </option>
                  <option value="paperfly" selected={z.courier.courier === "paperfly"}>
                    Paperfly
                  </option>
                </select>
                {(["pathaoCity", "pathaoZone"] as const).map((k) => (
                  <input
                    name={k}
                    inputMode="numeric"
                    class={inputClass()}
                    aria-label={m[k]}
                    placeholder={m[k]}
                    value={z.courier[k] ?? ""}
                  />
                ))}
                <button class={buttonClass("secondary")} name="action" value="zone" type="submit">
                  {m.save}
                </button>
              </form>
            </td>
          </tr>
        ))}
      </ListTable>
    </>
  );
}
