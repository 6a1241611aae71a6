/**
 * Delivery routes of a day (our own riders): each route's zone, slot, rider and progress, and
 * the form that makes a route from the day's confirmed and packed orders of a zone and slot.
 */
import type { Handlers, PageProps } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import { requirePermission } from "@/plugins/session.ts";
import {
  deliveryMessages,
  dhakaDate,
  isDate,
  type RouteRow,
  ValidationError,
} from "@/services/delivery/mod.ts";
import {
  buttonClass,
  Field,
  inputClass,
  linkClass,
  ListTable,
  PostForm,
  selectClass,
} from "@/components/ui.tsx";

interface Data {
  date: string;
  routes: RouteRow[];
  zones: { id: number; name: string }[];
  slots: { code: string; name: string }[];
  riders: { id: string; name: string }[];
  csrf: string;
  errors: Record<string, string>;
}

async function render(
  ctx: Parameters<NonNullable<Handlers<Data, State>["GET"]>>[0],
  date: string,
  errors: Record<string, string> = {},
  status = 200,
) {
  const { delivery, shop } = ctx.state.deps;
  const bn = ctx.state.lang === "bn";
  ctx.state.title = deliveryMessages(ctx.state.lang).admin.title;
  return {
    status,
    data: {
      date,
      routes: await delivery.routes(date),
      zones: (await shop.activeZones()).map((z) => ({ id: z.id, name: bn ? z.nameBn : z.nameEn })),
      slots: (await shop.slots(true)).map((s) => ({
        code: s.code,
        name: bn ? s.nameBn : s.nameEn,
      })),
      riders: await delivery.riders(),
      csrf: await ctx.csrfToken(),
      errors,
    },
  };
}

export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    requirePermission(ctx, "sales.manage");
    const q = ctx.url.searchParams.get("date") ?? "";
    return await render(ctx, isDate(q) ? q : dhakaDate(ctx.state.deps.clock.now()));
  },
  async POST(ctx) {
    const user = requirePermission(ctx, "sales.manage");
    const f = ctx.form!;
    const input = {
      date: String(f.get("date") ?? ""),
      zoneId: String(f.get("zoneId") ?? ""),
      slotCode: String(f.get("slotCode") ?? ""),
      riderId: String(f.get("riderId") ?? ""),
    };
    try {
      const id = await ctx.state.deps.delivery.createRoute(input, user.id);
      return ctx.redirect(`/admin/delivery/${id}`);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      const date = isDate(input.date) ? input.date : dhakaDate(ctx.state.deps.clock.now());
      return await render(ctx, date, e.fieldErrors, 422);
    }
  },
};

export default function DeliveryRoutes({ data, state }: PageProps<Data, State>) {
  const m = deliveryMessages(state.lang).admin;
  const zone = new Map(data.zones.map((z) => [z.id, z.name]));
  const slot = new Map(data.slots.map((s) => [s.code, s.name]));
  const e = data.errors;
  return (
    <>
      <h1 class="text-2xl font-bold mb-2">{m.title}</h1>
      <p class="mb-4 text-gray-700">{m.intro}</p>
      <form method="get" class="flex gap-2 items-end mb-4">
        <Field id="day" label={m.date}>
          <input id="day" type="date" name="date" value={data.date} class={inputClass()} />
        </Field>
        <button class={`${buttonClass("secondary")} mb-4`} type="submit">OK</button>
      </form>
      <ListTable
        heads={[m.zone, m.slot, m.rider, m.stops, m.status]}
        empty={m.empty}
        class="mb-6"
      >
        {data.routes.map((r) => (
          <tr class="border-t" data-route={r.id}>
            <td class="px-3 py-2">
              <a class={linkClass} href={`/admin/delivery/${r.id}`}>
                {zone.get(r.zoneId) ?? r.zoneId}
              </a>
            </td>
            <td class="px-3 py-2">{slot.get(r.slotCode) ?? r.slotCode}</td>
            <td class="px-3 py-2">{r.riderName}</td>
            <td class="px-3 py-2">{r.done}/{r.stops}</td>
            <td class="px-3 py-2">{r.status === "planned" ? m.planned : m.dispatched}</td>
          </tr>
        ))}
      </ListTable>
      <h2 class="text-xl font-semibold mb-2">{m.create}</h2>
      {data.riders.length === 0 && <p class="mb-2" data-no-riders>{m.noRiders}</p>}
      {e.form && <p class="text-red-700 mb-2" role="alert">{e.form}</p>}
      <PostForm csrf={data.csrf} class="max-w-md">
        <Field id="date" label={m.date} error={e.date}>
          <input id="date" type="date" name="date" value={data.date} class={inputClass(!!e.date)} />
        </Field>
        <Field id="zoneId" label={m.zone} error={e.zoneId}>
          <select id="zoneId" name="zoneId" class={selectClass}>
            {data.zones.map((z) => <option value={z.id}>{z.name}</option>)}
          </select>
        </Field>
        <Field id="slotCode" label={m.slot} error={e.slotCode}>
          <select id="slotCode" name="slotCode" class={selectClass}>
            {data.slots.map((s) => <option value={s.code}>{s.name}</option>)}
          </select>
        </Field>
        <Field id="riderId" label={m.rider} error={e.riderId}>
          <select id="riderId" name="riderId" class={selectClass}>
            {data.riders.map((r) => <option value={r.id}>{r.name}</option>)}
          </select>
        </Field>
        <button class={buttonClass()} type="submit">{m.create}</button>
      </PostForm>
    </>
  );
}
