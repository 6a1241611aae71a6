/**
 * Cancelling an order: by the customer before its cut-off (and before packing), or by staff at
 * any point the state machine allows. Whatever was paid is refunded to where it came from (the
 * provider, the prepaid balance, or recorded for staff to pay back for cash and bank transfers).
 */
import { orderPayments, type PaymentContext } from "@/services/payments/mod.ts";
import { transitionOrder } from "./order_status.ts";
import { ShopError } from "./errors.ts";
import type { OrderDeps } from "./stock.ts";

export interface CancelResult {
  refunds: { paymentId: string; status: string }[];
}

export async function cancelOrder(
  ctx: PaymentContext & OrderDeps,
  input: {
    orderId: string;
    /** Set for a customer cancelling their own order: owner, cut-off and status are checked. */
    customerId?: string;
    actorId: string | null;
    reason: string;
    now?: Date;
    /** The goods of an order on its way came back (order_status.ts TransitionInput.goodsBack). */
    goodsBack?: boolean;
  },
): Promise<CancelResult> {
  const now = input.now ?? new Date();
  await ctx.sql.begin(async (tx) => {
    const [o] = await tx`
      select id, user_id, status, cutoff_at from shop_orders where id = ${input.orderId} for update`;
    if (!o) throw new ShopError("not_found");
    if (input.customerId) {
      if (o.user_id !== input.customerId) throw new ShopError("not_found");
      if (o.status !== "pending_payment" && o.status !== "confirmed") {
        throw new ShopError("transition_not_allowed");
      }
      if (now >= o.cutoff_at) throw new ShopError("cutoff_passed");
    }
    await transitionOrder(tx, ctx, {
      orderId: o.id,
      to: "cancelled",
      actorId: input.actorId,
      note: input.reason,
      goodsBack: input.goodsBack,
    });
  });
  const refunds: CancelResult["refunds"] = [];
  for (const p of await orderPayments.refundable(ctx.sql, input.orderId)) {
    if (p.leftMinor <= 0) continue;
    const r = await orderPayments.refund(ctx, {
      paymentId: p.paymentId,
      amountMinor: p.leftMinor,
      reason: input.reason,
      actorId: input.actorId,
    });
    refunds.push({ paymentId: p.paymentId, status: r.status });
  }
  return { refunds };
}
