/**
 * What the shop tells the recall context (createShop(...).forRecall()): the orders a recall
 * reaches (number, customer, what they bought) and, on one click, an SMS to each customer through
 * the outbox, once per order and recall.
 */
import type { Keyring } from "@/services/crypto/field_crypto.ts";
import type { Db, Tx } from "@/services/platform/tx.ts";
import { decryptContact } from "./pii.ts";
import { notifyOrder } from "./notifications.ts";

export interface RecalledOrder {
  id: string;
  number: string;
  status: string;
  placedAt: Date;
  deliveryDate: string;
  locale: "en" | "bn";
  customer: string;
  /** Shown to staff as the last four digits only. */
  phoneEnd: string;
  lines: { sku: string; nameEn: string; nameBn: string; qty: number }[];
}

export interface ShopForRecall {
  /** The orders with their customers, newest first, at most `limit` (contacts are decrypted). */
  ordersOf(db: Db, orderIds: string[], limit?: number): Promise<RecalledOrder[]>;
  /** Order numbers by id, for many orders at once (nothing decrypted). */
  orderNumbers(db: Db, orderIds: string[]): Promise<Map<string, string>>;
  orderIdByNumber(db: Db, number: string): Promise<string | null>;
  /** Queues the recall SMS to each order's phone; returns how many were new. */
  notifyRecall(
    tx: Tx,
    orderIds: string[],
    recall: { code: string; skus: string[] },
  ): Promise<number>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function shopForRecall(keyring: Keyring): ShopForRecall {
  async function load(db: Db, orderIds: string[], limit = 100_000) {
    const wanted = orderIds.filter((id) => UUID.test(id));
    if (wanted.length === 0) return [];
    const orders = await db`
      select id, number, status, placed_at, delivery_date::text as delivery_date, locale,
        recipient_enc, phone_enc, line_enc
      from shop_orders where id = any(${wanted}::uuid[]) order by placed_at desc limit ${limit}`;
    const ids = orders.map((o) => o.id as string);
    const lines = await db`
      select order_id, sku, name_en, name_bn, qty from shop_order_lines
      where order_id = any(${ids}::uuid[]) order by order_id, line_no`;
    return await Promise.all(orders.map(async (o) => {
      const c = await decryptContact(keyring, o);
      return {
        order: {
          id: o.id,
          number: o.number,
          status: o.status,
          placedAt: o.placed_at,
          deliveryDate: o.delivery_date,
          locale: o.locale,
          customer: c.recipient,
          phoneEnd: c.phone.slice(-4),
          lines: lines.filter((l) => l.order_id === o.id).map((l) => ({
            sku: l.sku,
            nameEn: l.name_en,
            nameBn: l.name_bn,
            qty: l.qty,
          })),
        } satisfies RecalledOrder,
        phone: c.phone,
      };
    }));
  }
  return {
    ordersOf: async (db, orderIds, limit) => (await load(db, orderIds, limit)).map((x) => x.order),
    async orderNumbers(db, orderIds) {
      const ids = orderIds.filter((id) => UUID.test(id));
      if (ids.length === 0) return new Map();
      const rows = await db`select id, number from shop_orders where id = any(${ids}::uuid[])`;
      return new Map(rows.map((r) => [r.id as string, r.number as string]));
    },
    async orderIdByNumber(db, number) {
      const [o] =
        await db`select id from shop_orders where number = ${number.trim().toUpperCase()}`;
      return o?.id ?? null;
    },
    async notifyRecall(tx, orderIds, recall) {
      let queued = 0;
      for (const { order, phone } of await load(tx, orderIds)) {
        const recalled = order.lines.filter((l) => recall.skus.includes(l.sku));
        const names = (recalled.length ? recalled : order.lines)
          .map((l) => (order.locale === "bn" ? l.nameBn : l.nameEn)).join(", ");
        const fresh = await notifyOrder(tx, "product_recall", {
          id: order.id,
          phone,
          locale: order.locale,
          key: recall.code,
          number: order.number,
          totalMinor: 0,
          recall: recall.code,
          products: names,
        });
        if (fresh) queued++;
      }
      return queued;
    },
  };
}
