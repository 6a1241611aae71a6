import type { Handlers, PageProps } from "@/framework/mod.ts";
import { requirePermission } from "@/plugins/session.ts";
import type { State } from "@/state.ts";
import { formatTaka } from "@/services/i18n/mod.ts";
import {
  addDays,
  type DeliverySlot,
  dhakaDate,
  isDate,
  packLabel,
  type PickFrom,
  type PickingSheet,
  type Unit,
} from "@/services/shop/mod.ts";
import { adminButton, adminInput, ShopAdminHeader } from "@/components/ShopAdmin.tsx";
import { courierName } from "@/services/delivery/mod.ts";

interface Data {
  sheet: PickingSheet;
  slots: DeliverySlot[];
  /** Consignment numbers of orders booked with a courier (delivery's door), by order number. */
  consignments?: Record<string, string>;
}

/** What to take from the cold room (totals per SKU) and how to pack each order; prints cleanly. */
export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    requirePermission(ctx, "sales.manage");
    const shop = ctx.state.deps.shop;
    const p = ctx.url.searchParams;
    const date = isDate(p.get("date") ?? "") ? p.get("date")! : addDays(dhakaDate(shop.now()), 1);
    const slots = await shop.slots(false);
    const slot = slots.find((s) => s.code === p.get("slot"))?.code ?? null;
    ctx.state.title = `Picking ${date} — Smart Dairy admin`;
    const sheet = await shop.pickingSheet(date, slot);
    const parcels = await ctx.state.deps.delivery.couriers.parcels(
      sheet.orders.map((o) => o.number),
    );
    const consignments = Object.fromEntries(
      [...parcels].map((
        [n, p],
      ) => [n, `${courierName(p.courier)} ${p.consignmentId}`]),
    );
    return { data: { sheet, slots, consignments } };
  },
};

/** Where to take a line's packs: lot, location and expiry (inventory's FEFO reservation). */
function PickList({ picks }: { picks: PickFrom[] }) {
  if (picks.length === 0) return <span class="block text-red-700">No lot reserved</span>;
  return (
    <span class="block text-xs text-gray-700" data-testid="pick-lots">
      {picks.map((p) => (
        <span class="block">
          {p.qty} × lot <span class="font-mono">{p.lotCode}</span> · {p.locationCode}
          {p.expiresOn ? ` (exp. ${p.expiresOn})` : ""}
        </span>
      ))}
    </span>
  );
}

export default function Picking({ data, url }: PageProps<Data, State>) {
  const s = data.sheet;
  return (
    <>
      <div class="print:hidden">
        <ShopAdminHeader title="Picking and packing" path={url.pathname} />
        <form method="get" class="flex flex-wrap gap-2 items-end mb-4 text-sm">
          <label class="flex flex-col">
            Delivery date<input type="date" name="date" value={s.date} class={adminInput} />
          </label>
          <label class="flex flex-col">
            Slot
            <select name="slot" class={adminInput}>
              <option value="">All slots</option>
              {data.slots.map((x) => (
                <option value={x.code} selected={s.slotCode === x.code}>{x.nameEn}</option>
              ))}
            </select>
          </label>
          <button type="submit" class={adminButton}>Show</button>
          <span class="text-gray-600">Use your browser's Print for paper.</span>
        </form>
      </div>
      <h2 class="text-xl font-bold mb-2">Picking list — {s.date} {s.slotCode ?? "all slots"}</h2>
      {s.orders.length === 0 && <p>No confirmed or packed orders for this delivery.</p>}
      {s.totals.length > 0 && (
        <table class="bg-white border text-sm mb-6 text-left" data-testid="picking-totals">
          <thead class="bg-gray-100">
            <tr>
              <th class="p-2">SKU</th>
              <th class="p-2">Product</th>
              <th class="p-2 text-right">Units</th>
              <th class="p-2">From lot · location (expiry)</th>
              <th class="p-2">Picked</th>
            </tr>
          </thead>
          <tbody>
            {s.totals.map((l) => (
              <tr class="border-t">
                <td class="p-2">{l.sku}</td>
                <td class="p-2">{l.nameEn} ({packLabel(l.packQty, l.unit as Unit, "en")})</td>
                <td class="p-2 text-right font-semibold">{l.qty}</td>
                <td class="p-2">
                  <PickList picks={l.picks} />
                </td>
                <td class="p-2">☐</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2 class="text-xl font-bold mb-2">Packing slips</h2>
      <div class="grid gap-3 md:grid-cols-2 print:grid-cols-2">
        {s.orders.map((o) => (
          <section class="bg-white border border-gray-400 rounded p-3 text-sm break-inside-avoid">
            <p class="font-bold text-base">{o.number} · {o.zoneNameEn} · {o.slotCode}</p>
            {data.consignments?.[o.number] && (
              <p class="font-mono" data-consignment>{data.consignments[o.number]}</p>
            )}
            <p>{o.contact.recipient}, {o.contact.phone}</p>
            <p>{o.address}</p>
            {o.note && <p class="italic">“{o.note}”</p>}
            <ul class="my-2">
              {o.lines.map((l) => (
                <li>
                  ☐ {l.qty} × {l.nameEn} ({packLabel(l.packQty, l.unit as Unit, "en")}){" "}
                  <span class="text-gray-500">{l.sku}</span>
                  <PickList picks={l.picks} />
                </li>
              ))}
            </ul>
            <p class="font-semibold">
              {o.paymentMethod === "cod" && o.dueMinor > 0
                ? `Collect cash: ${formatTaka(o.dueMinor, "en")}`
                : "Paid"}
            </p>
          </section>
        ))}
      </div>
    </>
  );
}
