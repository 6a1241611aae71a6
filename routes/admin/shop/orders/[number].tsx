import { type Handlers, HttpError, type PageProps } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import { formatTaka, messages } from "@/services/i18n/mod.ts";
import {
  nextStatuses,
  ORDER_STATUSES,
  type OrderDetail,
  packLabel,
  type PickFrom,
  takaSchema,
  z,
} from "@/services/shop/mod.ts";
import { ShopStatusBadge } from "@/components/ShopStatusBadge.tsx";
import {
  adminButton,
  adminButtonQuiet,
  adminInput,
  ShopAdminHeader,
} from "@/components/ShopAdmin.tsx";
import { refusal, staffScreen, stamp } from "../(_lib)/admin.ts";

interface Data {
  order: OrderDetail;
  /** Per line: the lots and locations its packs are reserved from (or were sold from). */
  picks: PickFrom[][];
  /** Our riders (rider users): who collected a cash-on-delivery order's cash. */
  riders: { id: string; name: string }[];
  /** How our rider proved the delivery (code, note, photo, signature). */
  proof: Awaited<ReturnType<State["deps"]["delivery"]["proofOf"]>>;
  csrf: string;
  error: string | null;
  done: boolean;
}

async function load(
  ctx: Parameters<NonNullable<Handlers<Data, State>["GET"]>>[0],
  error: string | null,
  status = 200,
) {
  const order = await ctx.state.deps.shop.order(ctx.params.number);
  if (!order) throw new HttpError(404);
  ctx.state.title = `${order.number} — Smart Dairy admin`;
  return {
    status,
    data: {
      order,
      picks: await ctx.state.deps.shop.orderPicks(order.id),
      riders: await ctx.state.deps.delivery.riders(),
      proof: await ctx.state.deps.delivery.proofOf(order.number),
      csrf: await ctx.csrfToken(),
      error,
      done: ctx.url.searchParams.has("done"),
    },
  };
}

const statusSchema = z.object({
  to: z.enum(ORDER_STATUSES),
  note: z.string().trim().max(300).optional(),
  riderId: z.string().trim().max(80).optional(),
  collected: z.string().optional(),
});

export const handler = staffScreen<Data>(
  "sales.manage",
  (ctx) => load(ctx, null),
  async (ctx, user) => {
    const f = ctx.form!;
    const parsed = statusSchema.safeParse({
      to: f.get("to"),
      note: f.get("note") ?? undefined,
      riderId: f.get("riderId") ?? undefined,
      collected: f.get("collected") ?? undefined,
    });
    if (!parsed.success) return await load(ctx, "Choose a status", 422);
    const order = await ctx.state.deps.shop.order(ctx.params.number);
    if (!order) throw new HttpError(404);
    let cod: { riderId: string; rider: string; amountMinor: number } | undefined;
    if (
      parsed.data.to === "delivered" && order.paymentMethod === "cod" &&
      order.totalMinor > order.paidMinor
    ) {
      const amount = takaSchema.safeParse(parsed.data.collected ?? "");
      const rider = (await ctx.state.deps.delivery.riders()).find((r) =>
        r.id === parsed.data.riderId
      );
      if (!rider || !amount.success) {
        return await load(
          ctx,
          "For a cash-on-delivery order, choose the rider and enter the cash collected.",
          422,
        );
      }
      const name = rider.name.trim();
      cod = {
        riderId: rider.id,
        rider: name.length >= 2 ? name.slice(0, 80) : "Rider",
        amountMinor: amount.data,
      };
    }
    try {
      await ctx.state.deps.shop.setOrderStatus({
        orderId: order.id,
        to: parsed.data.to,
        actorId: user.id,
        note: parsed.data.note || undefined,
        cod,
      });
    } catch (e) {
      const text = refusal(e);
      if (text === null) throw e;
      return await load(ctx, text, 409);
    }
    return ctx.redirect(`/admin/shop/orders/${order.number}?done=1`);
  },
);

export default function AdminOrder({ data, url }: PageProps<Data, State>) {
  const t = messages("en").shop;
  const o = data.order;
  const csrf = <input type="hidden" name="_csrf" value={data.csrf} />;
  const next = nextStatuses(o.status).filter((s) => s !== "refunded");
  const due = o.totalMinor - o.paidMinor;
  return (
    <>
      <ShopAdminHeader
        title={`Order ${o.number}`}
        path="/admin/shop/orders"
        screen={{ saved: data.done, error: data.error }}
      />
      <div class="flex flex-wrap gap-3 items-center mb-4">
        <span data-testid="admin-order-status">
          <ShopStatusBadge status={o.status} label={t.orders.statuses[o.status]} />
        </span>
        <span>Delivery {o.deliveryDate} ({o.slotCode}), {o.zoneNameEn}</span>
        <span>Placed {stamp(o.placedAt)}</span>
        <span>Cut-off {stamp(o.cutoffAt)}</span>
      </div>
      {data.proof && (
        <section class="bg-white border rounded p-4 mb-4 text-sm" data-proof={data.proof.proof}>
          <h2 class="font-semibold mb-1">Proof of delivery</h2>
          <p>
            {data.proof.proof === "code"
              ? "The recipient's one-time code"
              : data.proof.proof === "photo"
              ? "Photo of the hand-over"
              : data.proof.proof === "signature"
              ? "The recipient's signature"
              : "Rider's note"}
            {data.proof.note ? ` — ${data.proof.note}` : ""}
            {data.proof.at ? ` · ${stamp(data.proof.at)}` : ""}
          </p>
          {data.proof.image && (
            <img
              src={`/admin/delivery/proof/${data.proof.stopId}`}
              alt={data.proof.image.kind}
              class="mt-2 max-h-64 border"
              loading="lazy"
            />
          )}
        </section>
      )}
      <div class="grid gap-4 lg:grid-cols-3">
        <section class="lg:col-span-2 bg-white border rounded p-4">
          <h2 class="font-semibold mb-2">Items</h2>
          <table class="w-full text-sm text-left">
            <thead>
              <tr>
                <th>SKU</th>
                <th>Product</th>
                <th class="text-right">Qty</th>
                <th>Lot · location</th>
                <th class="text-right">Price</th>
                <th class="text-right">VAT</th>
                <th class="text-right">Line</th>
              </tr>
            </thead>
            <tbody>
              {o.lines.map((l, i) => (
                <tr class="border-t">
                  <td class="py-1">{l.sku}</td>
                  <td>{l.nameEn} ({packLabel(l.packQty, l.unit, "en")})</td>
                  <td class="text-right">{l.qty}</td>
                  <td class="text-xs" data-testid="line-lots">
                    {(data.picks[i] ?? []).map((p) => (
                      <span class="block">
                        {p.qty} × <span class="font-mono">{p.lotCode}</span> · {p.locationCode}
                      </span>
                    ))}
                  </td>
                  <td class="text-right">{formatTaka(l.unitPriceMinor, "en")}</td>
                  <td class="text-right">{formatTaka(l.vatMinor, "en")}</td>
                  <td class="text-right">{formatTaka(l.lineTotalMinor, "en")}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <dl class="grid grid-cols-2 max-w-xs ml-auto text-sm mt-3">
            <dt>Subtotal</dt>
            <dd class="text-right">{formatTaka(o.subtotalMinor, "en")}</dd>
            <dt>Discount</dt>
            <dd class="text-right">−{formatTaka(o.discountMinor, "en")}</dd>
            <dt>Delivery</dt>
            <dd class="text-right">{formatTaka(o.deliveryFeeMinor, "en")}</dd>
            <dt class="font-semibold">Total</dt>
            <dd class="text-right font-semibold">{formatTaka(o.totalMinor, "en")}</dd>
            <dt>VAT included</dt>
            <dd class="text-right">{formatTaka(o.vatMinor, "en")}</dd>
            <dt>Paid</dt>
            <dd class="text-right">{formatTaka(o.paidMinor, "en")}</dd>
            <dt>Refunded</dt>
            <dd class="text-right">{formatTaka(o.refundedMinor, "en")}</dd>
          </dl>
        </section>
        <section class="bg-white border rounded p-4 text-sm">
          <h2 class="font-semibold mb-2">Customer and address</h2>
          <p>{o.contact.recipient}</p>
          <p>{o.contact.phone}</p>
          <p>{o.contact.line}</p>
          <p>{o.zoneNameEn}, {o.geoNames.upazila}, {o.geoNames.district}, {o.geoNames.division}</p>
          {o.note && <p class="mt-1 text-gray-700">Note: {o.note}</p>}
        </section>
      </div>
      {next.length > 0 && (
        <section class="bg-white border rounded p-4 mt-4">
          <h2 class="font-semibold mb-2">Change status</h2>
          <div class="flex flex-wrap gap-3">
            {next.map((s) => (
              <form method="post" class="flex flex-wrap gap-2 items-end border rounded p-2 text-sm">
                {csrf}
                <input type="hidden" name="to" value={s} />
                {s === "delivered" && o.paymentMethod === "cod" && due > 0 && (
                  <>
                    <label class="flex flex-col">
                      Rider
                      <select name="riderId" required class={adminInput}>
                        {data.riders.length === 0 && <option value="">No rider user yet</option>}
                        {data.riders.map((r) => <option value={r.id}>{r.name}</option>)}
                      </select>
                    </label>
                    <label class="flex flex-col">
                      Cash collected (৳)<input
                        name="collected"
                        required
                        value={(due / 100).toFixed(2)}
                        class={`${adminInput} w-28`}
                      />
                    </label>
                  </>
                )}
                {s === "cancelled" && (
                  <label class="flex flex-col">
                    Reason<input name="note" required minLength={3} class={adminInput} />
                  </label>
                )}
                <button
                  type="submit"
                  class={s === "cancelled"
                    ? "rounded bg-red-700 text-white px-3 py-1"
                    : adminButton}
                  data-testid={`to-${s}`}
                >
                  {s === "cancelled"
                    ? "Cancel order"
                    : `Mark ${t.orders.statuses[s].toLowerCase()}`}
                </button>
              </form>
            ))}
          </div>
        </section>
      )}
      <div class="grid gap-4 md:grid-cols-2 mt-4">
        <section class="bg-white border rounded p-4 text-sm">
          <h2 class="font-semibold mb-2">Payments</h2>
          <ul>
            {o.payments.map((p) => (
              <li class="border-t py-1 flex justify-between gap-2">
                <a class="text-brand-700 underline" href={`/admin/shop/payments/${p.id}`}>
                  {p.merchantRef}
                </a>
                <span>{t.checkout.methods[p.method]}</span>
                <span>{formatTaka(p.amountMinor, "en")}</span>
                <span>
                  {p.status}
                  {p.refundedMinor ? `, refunded ${formatTaka(p.refundedMinor, "en")}` : ""}
                </span>
              </li>
            ))}
          </ul>
        </section>
        <section class="bg-white border rounded p-4 text-sm">
          <h2 class="font-semibold mb-2">History</h2>
          <ul>
            {o.events.map((e) => (
              <li class="border-t py-1">
                {stamp(e.at)} · {e.fromStatus ?? "—"} → {e.toStatus}
                {e.note ? ` (${e.note})` : ""}
              </li>
            ))}
          </ul>
        </section>
      </div>
      <p class="mt-4 text-sm">
        <a
          class={adminButtonQuiet}
          href={`/admin/shop/picking?date=${o.deliveryDate}&slot=${o.slotCode}`}
        >
          Picking sheet for this delivery
        </a>
      </p>
      <p class="hidden">{url.pathname}</p>
    </>
  );
}
