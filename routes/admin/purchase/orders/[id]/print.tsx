import type { Handlers, PageProps, RouteConfig } from "@/framework/mod.ts";
import { HttpError } from "@/framework/mod.ts";
import { pathId } from "@/services/purchase/mod.ts";
import type { Order } from "@/services/purchase/mod.ts";
import type { State } from "@/state.ts";
import { qty, taka } from "../../(_purchase)/ui.tsx";

/** The purchase order as the supplier gets it: a page of its own, without the back office. */
export const config: RouteConfig = { skipInheritedLayouts: true };

export const handler: Handlers<Order, State> = {
  async GET(ctx) {
    const order = await ctx.state.deps.purchase.getOrder(pathId(ctx.params.id));
    if (!order) throw new HttpError(404, "No such purchase order");
    ctx.state.title = order.number;
    return { data: order };
  },
};

export default function PrintOrder({ data: o, state }: PageProps<Order, State>) {
  const m = state.t.purchase;
  const t = m.orders;
  const lang = state.lang;
  const cell = "border border-gray-400 px-2 py-1";
  return (
    <main class="max-w-3xl mx-auto p-6 text-sm bg-white">
      <header class="flex justify-between mb-6">
        <div>
          <h1 class="text-2xl font-bold">{t.printable}</h1>
          <p class="text-lg font-mono" data-po-number>{o.number}</p>
        </div>
        <div class="text-right">
          <p class="font-semibold">{t.buyer}</p>
          <p>{t.deliverTo}: {o.deliverTo}</p>
          <p>{t.orderedOn}: {o.orderedOn}</p>
          {o.expectedOn && <p>{t.expectedOn}: {o.expectedOn}</p>}
        </div>
      </header>
      <section class="mb-4">
        <p class="font-semibold">{m.common.supplier}: {o.supplierName}</p>
        {o.supplierBin && <p>{m.suppliers.bin}: {o.supplierBin}</p>}
        {o.supplierAddress && <p>{o.supplierAddress}</p>}
        {o.supplierPhone && <p>{o.supplierPhone}</p>}
      </section>
      <table class="w-full border-collapse mb-4">
        <thead>
          <tr>
            <th class={cell}>#</th>
            <th class={cell}>{m.common.item}</th>
            <th class={cell}>{m.common.qty}</th>
            <th class={cell}>{m.common.price}</th>
            <th class={cell}>{m.common.net}</th>
            <th class={cell}>{m.common.vat}</th>
            <th class={cell}>{m.common.total}</th>
          </tr>
        </thead>
        <tbody>
          {o.lines.map((l) => (
            <tr>
              <td class={cell}>{l.lineNo}</td>
              <td class={cell}>{l.itemName} ({l.itemCode})</td>
              <td class={cell}>{qty(m, l.qtyBase, l.unit)}</td>
              <td class={cell}>{taka(l.unitPriceMinor, lang)}</td>
              <td class={cell}>{taka(l.netMinor, lang)}</td>
              <td class={cell}>{(l.vatRateBp / 100).toFixed(2)} % {taka(l.vatMinor, lang)}</td>
              <td class={cell}>{taka(l.netMinor + l.vatMinor, lang)}</td>
            </tr>
          ))}
          <tr class="font-semibold">
            <td class={cell} colSpan={4}>{m.common.total}</td>
            <td class={cell}>{taka(o.netMinor, lang)}</td>
            <td class={cell}>{taka(o.vatMinor, lang)}</td>
            <td class={cell} data-po-total>{taka(o.totalMinor, lang)}</td>
          </tr>
        </tbody>
      </table>
      <p class="text-xs mb-10">{t.prices}</p>
      {o.note && <p class="mb-6">{m.common.note}: {o.note}</p>}
      <p class="mt-12 border-t border-gray-500 w-64 pt-1">{t.signature} ({o.createdByName})</p>
    </main>
  );
}
