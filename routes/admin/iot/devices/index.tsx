import type { Handlers, PageProps } from "@/framework/mod.ts";
import { requirePermission, userCan } from "@/plugins/session.ts";
import { type Device, DEVICE_TYPES, ONLINE_WINDOW_MS } from "@/services/iot/mod.ts";
import { fmtNumber, fmtWhen } from "@/components/IotFormat.ts";
import { DeviceBadge, PageTitle } from "@/components/IotUi.tsx";
import { buttonClass, ListTable } from "@/components/ui.tsx";
import type { State } from "@/state.ts";
import { FilterForm, FilterSelect, FilterText, Pager } from "@/components/AdminFilters.tsx";
import { oneOf, pageParam } from "@/routes/admin/(_admin)/list_query.ts";

const PAGE = 50;

interface Data {
  devices: Device[];
  total: number;
  tanks: { id: string; name: string }[];
  filters: { type: string; q: string; tank: string; revoked: boolean; page: number };
  canManage: boolean;
  now: number;
}

/** Every registered device, filtered by type, text, tank; revoked ones on request. */
export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    requirePermission(ctx, "iot.view");
    const iot = ctx.state.deps.iot;
    const p = ctx.url.searchParams;
    const type = p.get("type") ?? "";
    const q = (p.get("q") ?? "").trim().slice(0, 100);
    const tank = (p.get("tank") ?? "").slice(0, 64);
    const revoked = p.get("revoked") === "1";
    const page = pageParam(p);
    const [{ devices, total }, tanks] = await Promise.all([
      iot.listDevices({
        type: oneOf(DEVICE_TYPES, type),
        q: q || undefined,
        tankId: tank || undefined,
        includeRevoked: revoked,
        limit: PAGE,
        offset: (page - 1) * PAGE,
      }),
      iot.listTanks(),
    ]);
    ctx.state.title = `${ctx.state.t.iot.devices.title} — ${ctx.state.t.site.name}`;
    return {
      data: {
        devices,
        total,
        tanks: tanks.map((t) => ({ id: t.id, name: t.name })),
        filters: { type, q, tank, revoked, page },
        canManage: userCan(ctx, "iot.manage"),
        now: Date.now(),
      },
    };
  },
};

export default function Devices({ data, state, url }: PageProps<Data, State>) {
  const m = state.t.iot;
  const d = m.devices;
  const lang = state.lang;
  const f = data.filters;
  const pages = { prev: "←", next: `→ ${fmtNumber(lang, f.page + 1, 0)}` };
  return (
    <>
      <PageTitle title={d.title} intro={d.intro}>
        {data.canManage && <a href="/admin/iot/devices/new" class={buttonClass()}>{d.new}</a>}
      </PageTitle>
      <FilterForm action="/admin/iot/devices" submit={m.common.filter}>
        <FilterText label={m.common.search} name="q" value={f.q} placeholder={d.searchHint} />
        <FilterSelect
          label={d.type}
          name="type"
          value={f.type}
          any={d.anyType}
          options={DEVICE_TYPES.map((t) => [t, m.types[t]])}
        />
        <FilterSelect
          label={d.tank}
          name="tank"
          value={f.tank}
          any={d.anyTank}
          options={data.tanks.map((t) => [t.id, t.name])}
        />
        <label class="flex items-center gap-2 text-sm py-2">
          <input type="checkbox" name="revoked" value="1" checked={f.revoked} />
          {d.includeRevoked}
        </label>
      </FilterForm>
      <p class="text-sm text-gray-700 mb-2">{d.count(data.total)}</p>
      {data.devices.length === 0 ? <p class="text-gray-700">{d.none}</p> : (
        <ListTable
          heads={[
            d.name,
            { label: d.type, class: "hidden md:table-cell" },
            { label: d.location, class: "hidden lg:table-cell" },
            { label: d.assignment, class: "hidden sm:table-cell" },
            d.status,
            { label: d.lastSeen, class: "hidden sm:table-cell" },
          ]}
        >
          {data.devices.map((x) => {
            const online = !!x.lastSeenAt &&
              data.now - x.lastSeenAt.getTime() < ONLINE_WINDOW_MS;
            return (
              <tr class="border-t border-gray-100" data-device={x.id}>
                <td class="px-3 py-2">
                  <a
                    href={`/admin/iot/devices/${encodeURIComponent(x.id)}`}
                    class="text-brand-700 underline font-medium"
                  >
                    {x.name}
                  </a>
                  <div class="text-xs text-gray-600">
                    <code>{x.id}</code>
                    <span class="md:hidden">{` · ${m.types[x.type]}`}</span>
                  </div>
                </td>
                <td class="px-3 py-2 hidden md:table-cell">{m.types[x.type]}</td>
                <td class="px-3 py-2 hidden lg:table-cell">{x.location ?? "—"}</td>
                <td class="px-3 py-2 hidden sm:table-cell">
                  {x.tankId ?? x.animalTag ?? "—"}
                </td>
                <td class="px-3 py-2">
                  <DeviceBadge online={online} revoked={!!x.revokedAt} m={m} />
                </td>
                <td class="px-3 py-2 hidden sm:table-cell whitespace-nowrap">
                  {fmtWhen(lang, x.lastSeenAt?.getTime() ?? null, m.common.never, data.now)}
                </td>
              </tr>
            );
          })}
        </ListTable>
      )}
      <Pager url={url} page={f.page} hasNext={f.page * PAGE < data.total} labels={pages} />
    </>
  );
}
