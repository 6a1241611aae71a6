/**
 * THE order state machine. Every status change of a shop order goes through transitionOrder, which
 * checks the transition, records it (order event + audit entry), and does its side effects in
 * the caller's transaction: the order's lot reservations (inventory) are released on a
 * cancellation before the goods left and become sales when the goods leave (out for delivery,
 * delivered), open payment attempts are closed, and the customer gets the message for the new
 * state.
 *
 *   pending_payment → confirmed → packed → out_for_delivery → delivered → refunded
 *          └──────────────┴──────────┴──────────┴─→ cancelled → refunded
 */
import { emitWebhookEvent } from "@/services/webhooks/mod.ts";
import type { Tx } from "@/services/platform/db.ts";
import { appendAudit } from "@/services/audit/mod.ts";
import { toMinor } from "@/services/platform/db.ts";
import { ShopError } from "./errors.ts";
import { orderPayments } from "@/services/payments/mod.ts";
import { decryptPhone, decryptRecipient } from "./pii.ts";
import { notifyOrder, type OrderEvent } from "./notifications.ts";
import { type OrderDeps, orderRef } from "./stock.ts";
import type { SaleEvent } from "@/services/accounting/port.ts";

export const ORDER_STATUSES = [
  "pending_payment",
  "confirmed",
  "packed",
  "out_for_delivery",
  "delivered",
  "cancelled",
  "refunded",
] as const;
export type OrderStatus = typeof ORDER_STATUSES[number];

export const TRANSITIONS: Record<OrderStatus, readonly OrderStatus[]> = {
  pending_payment: ["confirmed", "cancelled"],
  confirmed: ["packed", "cancelled"],
  packed: ["out_for_delivery", "cancelled"],
  out_for_delivery: ["delivered", "cancelled"],
  delivered: ["refunded"],
  cancelled: ["refunded"],
  refunded: [],
};

/** Statuses whose goods are still in our hands: cancelling releases their reservations. */
const RESTOCK_FROM: ReadonlySet<OrderStatus> = new Set(["pending_payment", "confirmed", "packed"]);

const MESSAGE_FOR: Partial<Record<OrderStatus, OrderEvent>> = {
  out_for_delivery: "out_for_delivery",
  delivered: "delivered",
  cancelled: "order_cancelled",
};

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** The statuses staff may move an order to from `from` (for the admin buttons). */
export function nextStatuses(from: OrderStatus): readonly OrderStatus[] {
  return TRANSITIONS[from];
}

export interface TransitionInput {
  orderId: string;
  to: OrderStatus;
  actorId: string | null;
  note?: string;
  /** Refuse unless the order is currently in one of these (optimistic checks by callers). */
  from?: readonly OrderStatus[];
  /**
   * Cancelling an order that was on its way: the goods came back (a courier returned the
   * parcel), so what it sold goes back into its lots.
   */
  goodsBack?: boolean;
}

/**
 * Moves an order to `to`. Idempotent: an order already in `to` is left alone (changed: false).
 * Throws ShopError("transition_not_allowed") for anything the machine does not allow.
 */
export async function transitionOrder(
  tx: Tx,
  deps: OrderDeps,
  input: TransitionInput,
): Promise<{ from: OrderStatus; to: OrderStatus; changed: boolean }> {
  const [o] = await tx`
    select id, number, status, locale, phone_enc, total_minor, delivery_date, user_id
    from shop_orders where id = ${input.orderId} for update`;
  if (!o) throw new ShopError("not_found");
  const from = o.status as OrderStatus;
  if (from === input.to) return { from, to: input.to, changed: false };
  if (input.from && !input.from.includes(from)) {
    throw new ShopError("transition_not_allowed", undefined, { from, to: input.to });
  }
  if (!canTransition(from, input.to)) {
    throw new ShopError("transition_not_allowed", undefined, { from, to: input.to });
  }
  await tx`update shop_orders set status = ${input.to}, updated_at = now() where id = ${o.id}`;
  await tx`
    insert into shop_order_events (order_id, from_status, to_status, actor_id, note)
    values (${o.id}, ${from}, ${input.to}, ${input.actorId}, ${input.note ?? null})`;
  // Partners' webhooks (services/webhooks): order.status_changed, in this transaction.
  await emitWebhookEvent(tx, {
    type: "order.status_changed",
    data: { number: o.number, from, to: input.to },
  });

  if (input.to === "cancelled") {
    if (RESTOCK_FROM.has(from)) await deps.stock.releaseReservation(tx, orderRef(o.id));
    else if (from === "out_for_delivery" && input.goodsBack) {
      await deps.stock.returnAll(tx, orderRef(o.id), {
        id: input.actorId,
        name: input.actorId ? "shop staff" : "shop",
      }, input.note);
    }
    await orderPayments.cancelOpen(tx, o.id);
  }
  if (input.to === "out_for_delivery" || input.to === "delivered") {
    // The goods left: the reserved lots are sold (a no-op when already done).
    await deps.stock.fulfil(tx, orderRef(o.id), {
      id: input.actorId,
      name: input.actorId ? "shop staff" : "shop",
    });
  }
  if (input.to === "delivered" && deps.books) {
    await deps.books.shopSale(tx, await saleOf(tx, o.id, deps.keyring));
  }
  if (input.to === "refunded" && from === "delivered" && deps.books) {
    await deps.books.shopReturn(tx, await saleOf(tx, o.id, deps.keyring));
  }
  const event = MESSAGE_FOR[input.to];
  if (event) {
    await notifyOrder(tx, event, {
      id: o.id,
      phone: await decryptPhone(deps.keyring, o.phone_enc),
      locale: o.locale,
      number: o.number,
      totalMinor: toMinor(o.total_minor),
      why: input.to === "cancelled" && input.note ? input.note : undefined,
      track: deps.track ? await deps.track(o.number) : undefined,
      userId: o.user_id,
    });
  }
  await appendAudit(tx, {
    actorId: input.actorId,
    action: "shop.order.status",
    entity: "shop_order",
    entityId: o.number,
    data: { from, to: input.to, note: input.note ?? null },
  });
  return { from, to: input.to, changed: true };
}

/** A delivered order as the books see it: its own totals and lines (pricing.ts made them). */
async function saleOf(tx: Tx, orderId: string, keyring: OrderDeps["keyring"]): Promise<SaleEvent> {
  const [o] = await tx`
    select o.id, o.number, o.total_minor, o.discount_minor, o.delivery_fee_minor, o.vat_minor,
           o.user_id, o.locale, o.recipient_enc, u.name_en as area_en, u.name_bn as area_bn,
           d.name_en as district_en, d.name_bn as district_bn
    from shop_orders o
    join geo_upazilas u on u.id = o.upazila_id
    join geo_districts d on d.id = o.district_id
    where o.id = ${orderId}`;
  const lines = await tx`
    select vat_rate_bp, line_total_minor, discount_minor, vat_minor, name_en, name_bn, pack_qty,
           unit, qty, unit_price_minor
    from shop_order_lines
    where order_id = ${orderId} order by line_no`;
  const pack = (q: unknown) => String(Number(q));
  return {
    orderId: o.id,
    orderNumber: o.number,
    totalMinor: toMinor(o.total_minor),
    discountMinor: toMinor(o.discount_minor),
    deliveryFeeMinor: toMinor(o.delivery_fee_minor),
    vatMinor: toMinor(o.vat_minor),
    lines: lines.map((l) => ({
      vatRateBp: l.vat_rate_bp,
      lineTotalMinor: toMinor(l.line_total_minor),
      discountMinor: toMinor(l.discount_minor),
      vatMinor: toMinor(l.vat_minor),
      description: {
        en: `${l.name_en} ${pack(l.pack_qty)} ${l.unit}`,
        bn: `${l.name_bn} ${pack(l.pack_qty)} ${l.unit}`,
      },
      quantity: Number(l.qty),
      unitPriceMinor: toMinor(l.unit_price_minor),
    })),
    buyer: {
      userId: o.user_id ?? null,
      name: await decryptRecipient(keyring, o.recipient_enc),
      destinationEn: `${o.area_en}, ${o.district_en}`,
      destinationBn: `${o.area_bn}, ${o.district_bn}`,
      lang: o.locale === "bn" ? "bn" : "en",
    },
  };
}
