import type { PageProps } from "@/framework/mod.ts";
import type { StaffLocation } from "@/services/inventory/mod.ts";
import { formatBin } from "@/services/inventory/mod.ts";
import { Badge, Notice, StockTitle, Table, td, tdNum } from "@/components/InventoryUi.tsx";
import { buttonClass, linkClass } from "@/components/ui.tsx";
import type { State } from "@/state.ts";
import { type PageBase, stockPage, title } from "@/routes/admin/inventory/(_inv)/inv.ts";

interface Data {
  locations: StaffLocation[];
}

/** Every location: kind, temperature class, the device watching it, VAT registration, lots held. */
export const handler = stockPage<Data>(async (ctx) => {
  title(ctx, ctx.state.t.stock.locations.title);
  return { locations: await ctx.state.deps.inventory.staffLocations() };
});

export default function Locations({ data, state, url }: PageProps<Data & PageBase, State>) {
  const m = state.t.stock;
  const L = m.locations;
  const bn = state.lang === "bn";
  return (
    <>
      <StockTitle m={m} path={url.pathname} title={L.title} intro={L.intro}>
        <a href="/admin/inventory/locations/new" class={buttonClass()}>{L.new}</a>
      </StockTitle>
      {data.done === "saved" && <Notice>{L.saved}</Notice>}
      {data.locations.length === 0
        ? <p>{L.none}</p>
        : (
          <Table head={[L.code, L.nameEn, L.kind, L.temp, L.device, L.vat, `#${L.lots}`]}>
            {data.locations.map((l) => (
              <tr data-location={l.code} class={l.active ? "" : "text-gray-500"}>
                <td class={td}>
                  <a href={`/admin/inventory/locations/${l.code}`} class={linkClass}>
                    <code>{l.code}</code>
                  </a>
                  {!l.active && <span class="ml-2 text-xs">({L.inactive})</span>}
                </td>
                <td class={td}>{bn ? l.nameBn : l.nameEn}</td>
                <td class={td}>{m.kinds[l.kind] ?? l.kind}</td>
                <td class={td}>
                  <Badge status={l.tempClass} text={m.temps[l.tempClass] ?? l.tempClass} />
                </td>
                <td class={td}>{l.deviceId ? <code>{l.deviceId}</code> : m.common.none}</td>
                <td class={td}>
                  {l.vatRegistered ? `${m.common.yes} · ${formatBin(l.bin)}` : m.common.no}
                </td>
                <td class={tdNum}>
                  <a href={`/admin/inventory/stock?view=lots&location=${l.code}`} class={linkClass}>
                    {l.lots}
                  </a>
                </td>
              </tr>
            ))}
          </Table>
        )}
    </>
  );
}
