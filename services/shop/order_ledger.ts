/**
 * What the shop lets payments know and do of orders, inside payments' own transactions: the only
 * writes to shop_orders that a payment causes (paid, refunded, method switched, unpaid and
 * cancelled), and the few reads payments needs (an order's contact for a provider's page, the
 * orders its sweeps look at). Payments gets this object at construction
 * (createPayments({ orders })) and never reads or writes shop_orders itself.
 */
import type { Queryable, Tx } from "@/services/platform/db.ts";
import { toMinor } from "@/services/platform/db.ts";
import type { Keyring } from "@/services/crypto/field_crypto.ts";
import type { PaymentMethod } from "@/services/payments/types.ts";
import { transitionOrder } from "./order_status.ts";
import { notifyOrder } from "./notifications.ts";
import { decryptContact, decryptPhone } from "./pii.ts";
import type { OrderStatus } from "./order_status.ts";
import type { ShopStock } from "./stock.ts";
import type { ShopLedger } from "@/services/accounting/port.ts";
import { addToCart, userOwner } from "./cart.ts";
import { orderItems } from "./orders.ts";

/** An order as a payment sees it. */
export interface PayableOrder {
  id: string;
  number: string;
  status: OrderStatus;
  userId: string | null;
  totalMinor: number;
  paidMinor: number;
  paymentMethod: PaymentMethod | null;
}

/** Whom an order is for, as a payment provider's page wants it (decrypted). */
export interface OrderContact {
  recipient: string;
  /** E.164 */
  phone: string;
  /** House, road, flat. */
  line: string;
  /** The thana (upazila) in English. */
  thana: string;
  /** The customer's account, if any (their e-mail is identity's to give). */
  userId: string | null;
}

/** An order waiting for its payment, as the payments sweep weighs it. */
export interface WaitingOrder {
  id: string;
  cutoffAt: Date;
  placedAt: Date;
}

/** A delivered cash-on-delivery order that still owes money. */
export interface OwingOrder {
  id: string;
  number: string;
  dueMinor: number;
}

export interface OrderLedger {
  /** Locks an order for a payment step (orders are locked before payments); null if none. */
  lock(tx: Tx, orderId: string): Promise<PayableOrder | null>;
  /** Counts a payment on the order, confirms it if it waited, and tells the customer. */
  markPaid(
    tx: Tx,
    order: PayableOrder,
    p: {
      amountMinor: number;
      method: PaymentMethod;
      note: string;
      actorId: string | null;
      key: string;
    },
  ): Promise<void>;
  /** Counts cash collected on delivery (no message: the rider was there). */
  addCash(tx: Tx, orderId: string, amountMinor: number): Promise<void>;
  /** The customer chose another method for what is still due (cash on delivery confirms). */
  switchMethod(
    tx: Tx,
    order: PayableOrder,
    method: PaymentMethod,
    actorId: string | null,
  ): Promise<void>;
  /** Counts a refund; a cancelled or delivered order refunded in full becomes refunded. */
  markRefunded(
    tx: Tx,
    orderId: string,
    p: { amountMinor: number; actorId: string | null; key: string },
  ): Promise<void>;
  /** Cancels an order whose payment did not come in time; false when it no longer waits. */
  cancelUnpaid(tx: Tx, orderId: string, why?: string): Promise<boolean>;
  /**
   * Puts a cancelled unpaid order's items back into its customer's cart (after the cancelling
   * transaction committed; once per order). False when there is no cart to fill: a guest's order,
   * or no cart store was handed over.
   */
  restoreToCart(db: Queryable, orderId: string): Promise<boolean>;
  /** The order's recipient and address, or null when there is no such order. */
  contact(db: Queryable, orderId: string): Promise<OrderContact | null>;
  /**
   * Orders still waiting for payment whose cut-off is at or before `cutoffBy`, or that were
   * placed before `placedBefore` (oldest first, at most `limit`).
   */
  awaitingPayment(
    db: Queryable,
    q: { cutoffBy: Date; placedBefore: Date; limit: number },
  ): Promise<WaitingOrder[]>;
  /** Delivered cash-on-delivery orders that still owe money, last changed before `before`. */
  owingCod(db: Queryable, before: Date): Promise<OwingOrder[]>;
}

export function orderLedger(
  keyring: Keyring,
  stock: ShopStock,
  books?: ShopLedger,
  carts?: Deno.Kv,
): OrderLedger {
  // Status changes release or fulfil the order's lot reservations (inventory); a delivered order
  // refunded in full posts its sales return (accounting).
  const orderDeps = { keyring, stock, books };
  const lock = async (tx: Tx, orderId: string): Promise<PayableOrder | null> => {
    const [o] = await tx`
      select id, number, status, user_id, total_minor, paid_minor, payment_method
      from shop_orders where id = ${orderId} for update`;
    return o
      ? {
        id: o.id,
        number: o.number,
        status: o.status,
        userId: o.user_id,
        totalMinor: toMinor(o.total_minor),
        paidMinor: toMinor(o.paid_minor),
        paymentMethod: o.payment_method,
      }
      : null;
  };
  return {
    lock,
    async markPaid(tx, order, p) {
      const [o] = await tx`
        update shop_orders set paid_minor = paid_minor + ${p.amountMinor},
          payment_method = ${p.method}, updated_at = now()
        where id = ${order.id}
        returning locale, phone_enc`;
      if (order.status === "pending_payment") {
        await transitionOrder(tx, orderDeps, {
          orderId: order.id,
          to: "confirmed",
          actorId: p.actorId,
          note: p.note,
        });
      }
      await notifyOrder(tx, "payment_received", {
        id: order.id,
        phone: await decryptPhone(keyring, o.phone_enc),
        locale: o.locale,
        number: order.number,
        totalMinor: order.totalMinor,
        amountMinor: p.amountMinor,
        key: p.key,
      });
    },
    async addCash(tx, orderId, amountMinor) {
      await tx`update shop_orders set paid_minor = paid_minor + ${amountMinor}, updated_at = now()
        where id = ${orderId}`;
    },
    async switchMethod(tx, order, method, actorId) {
      if (method === "cod") {
        await transitionOrder(tx, orderDeps, {
          orderId: order.id,
          to: "confirmed",
          actorId,
          note: "switched to cash on delivery",
        });
      }
      await tx`
        update shop_orders set payment_method = ${method}, updated_at = now()
        where id = ${order.id}`;
      if (order.userId) {
        await tx`
          insert into shop_customer_prefs (user_id, payment_method)
          values (${order.userId}, ${method})
          on conflict (user_id) do update set payment_method = excluded.payment_method,
            updated_at = now()`;
      }
    },
    async markRefunded(tx, orderId, p) {
      const [o] = await tx`
        update shop_orders set refunded_minor = refunded_minor + ${p.amountMinor},
          updated_at = now()
        where id = ${orderId}
        returning id, number, status, locale, phone_enc, total_minor, paid_minor, refunded_minor`;
      await notifyOrder(tx, "refund_issued", {
        id: o.id,
        phone: await decryptPhone(keyring, o.phone_enc),
        locale: o.locale,
        number: o.number,
        totalMinor: toMinor(o.total_minor),
        amountMinor: p.amountMinor,
        key: p.key,
      });
      const fullyRefunded = toMinor(o.refunded_minor) >= toMinor(o.paid_minor);
      if (fullyRefunded && (o.status === "cancelled" || o.status === "delivered")) {
        await transitionOrder(tx, orderDeps, {
          orderId: o.id,
          to: "refunded",
          actorId: p.actorId,
          note: "fully refunded",
        });
      }
    },
    async cancelUnpaid(tx, orderId, why = "payment not received in time") {
      const o = await lock(tx, orderId);
      if (o?.status !== "pending_payment") return false;
      await transitionOrder(tx, orderDeps, {
        orderId,
        to: "cancelled",
        actorId: null,
        note: why,
      });
      return true;
    },
    async restoreToCart(db, orderId) {
      if (!carts) return false;
      const [o] = await db`select user_id, status from shop_orders where id = ${orderId}`;
      if (!o?.user_id || o.status !== "cancelled") return false;
      // Once per order, even when a sweep and a customer's return race.
      const mark = ["cart_restored", orderId];
      const claimed = await carts.atomic().check({ key: mark, versionstamp: null })
        .set(mark, true, { expireIn: 7 * 86_400_000 }).commit();
      if (!claimed.ok) return false;
      for (const item of await orderItems(db, orderId)) {
        await addToCart(carts, userOwner(o.user_id), item.variantId, item.qty);
      }
      return true;
    },
    async contact(db, orderId) {
      const [o] = await db`
        select o.user_id, o.recipient_enc, o.phone_enc, o.line_enc, up.name_en as thana
        from shop_orders o join geo_upazilas up on up.id = o.upazila_id
        where o.id = ${orderId}`;
      if (!o) return null;
      return { ...await decryptContact(keyring, o), thana: o.thana, userId: o.user_id };
    },
    async awaitingPayment(db, q) {
      const rows = await db`
        select id, cutoff_at, placed_at from shop_orders
        where status = 'pending_payment'
          and (cutoff_at <= ${q.cutoffBy} or placed_at < ${q.placedBefore})
        order by placed_at limit ${q.limit}`;
      return rows.map((r) => ({ id: r.id, cutoffAt: r.cutoff_at, placedAt: r.placed_at }));
    },
    async owingCod(db, before) {
      const rows = await db`
        select id, number, total_minor - paid_minor as due from shop_orders
        where status = 'delivered' and payment_method = 'cod' and total_minor > paid_minor
          and updated_at < ${before}`;
      return rows.map((r) => ({ id: r.id, number: r.number, dueMinor: toMinor(r.due) }));
    },
  };
}
