/**
 * Staff moving orders along: packing, dispatch, delivery (with the cash the rider collected for
 * cash-on-delivery orders) and cancellation (with refunds). The rules live in order_status.ts;
 * this module adds what staff supply at each step.
 */
import { toMinor } from "@/services/platform/db.ts";
import { type CodCollector, orderPayments, type PaymentContext } from "@/services/payments/mod.ts";
import { cancelOrder } from "./cancel.ts";
import { ShopError } from "./errors.ts";
import { type OrderStatus, transitionOrder } from "./order_status.ts";
import { dhakaDate } from "@/services/platform/dhaka.ts";
import type { OrderDeps } from "./stock.ts";

export interface StaffStatusInput {
  orderId: string;
  to: OrderStatus;
  actorId: string;
  note?: string;
  /** For delivered cash-on-delivery orders: who collected how much (a rider user or a courier). */
  cod?: CodCollector & { amountMinor: number };
  /** Cancelling an order on its way whose goods came back (a courier's return): restocked. */
  goodsBack?: boolean;
}

export async function staffSetStatus(
  ctx: PaymentContext & OrderDeps,
  input: StaffStatusInput,
): Promise<void> {
  if (input.to === "cancelled") {
    await cancelOrder(ctx, {
      orderId: input.orderId,
      actorId: input.actorId,
      reason: input.note || "cancelled by staff",
      goodsBack: input.goodsBack,
    });
    return;
  }
  if (input.to === "refunded") {
    throw new ShopError("transition_not_allowed", "Refund the payments instead");
  }
  await ctx.sql.begin(async (tx) => {
    const [o] = await tx`
      select payment_method, total_minor, paid_minor from shop_orders where id = ${input.orderId}`;
    if (!o) throw new ShopError("not_found");
    await transitionOrder(tx, ctx, {
      orderId: input.orderId,
      to: input.to,
      actorId: input.actorId,
      note: input.note,
    });
    const due = toMinor(o.total_minor) - toMinor(o.paid_minor);
    if (input.to === "delivered" && o.payment_method === "cod" && due > 0) {
      if (!input.cod) {
        throw new ShopError("nothing_to_pay", "Enter the rider and the cash collected");
      }
      await orderPayments.codCollected(tx, ctx.orders, {
        ...input.cod,
        orderId: input.orderId,
        collectedOn: dhakaDate(ctx.now?.() ?? new Date()),
        actorId: input.actorId,
      }, ctx.ledger);
    }
  });
}
