/**
 * A customer's own shop data (export) and its erasure: saved addresses and remembered choices
 * go, the cart in KV goes, and the orders and subscriptions keep everything the VAT and audit
 * rules need (numbers, dates, lines, amounts, VAT, the delivery area) while their recipient's
 * name, phone, street address and note are replaced by an erased marker (still encrypted, so
 * every page that shows an order keeps working).
 */
import type { Sql } from "@/services/platform/db.ts";
import type { Keyring } from "@/services/crypto/field_crypto.ts";
import { keys } from "@/services/platform/kv.ts";
import { decryptContact, encryptContact } from "./pii.ts";
import { getCart } from "./cart.ts";

/** What an erased order's recipient, phone and address line read. */
export const ERASED = "[erased]";

export async function exportCustomer(sql: Sql, kv: Deno.Kv, keyring: Keyring, userId: string) {
  const addressRows = await sql`
    select a.*, u.name_en as upazila from shop_addresses a
    join geo_upazilas u on u.id = a.upazila_id
    where a.user_id = ${userId} order by a.id`;
  const addresses = await Promise.all(addressRows.map(async (r) => ({
    ...await decryptContact(keyring, r),
    upazila: r.upazila,
    lastUsedAt: r.last_used_at,
  })));
  const orderRows = await sql`
    select o.*, u.name_en as upazila from shop_orders o
    join geo_upazilas u on u.id = o.upazila_id
    where o.user_id = ${userId} order by o.placed_at`;
  const lineRows = orderRows.length
    ? await sql`
      select order_id, line_no, sku, name_en, qty, unit_price_minor, discount_minor, vat_rate_bp,
        vat_minor, line_total_minor
      from shop_order_lines where order_id = any(${orderRows.map((o) => o.id)}::uuid[])
      order by order_id, line_no`
    : [];
  const orders = await Promise.all(orderRows.map(async (o) => ({
    number: o.number,
    status: o.status,
    placedAt: o.placed_at,
    deliveryDate: o.delivery_date,
    paymentMethod: o.payment_method,
    subtotalMinor: Number(o.subtotal_minor),
    discountMinor: Number(o.discount_minor),
    deliveryFeeMinor: Number(o.delivery_fee_minor),
    vatMinor: Number(o.vat_minor),
    totalMinor: Number(o.total_minor),
    ...await decryptContact(keyring, o),
    upazila: o.upazila,
    note: o.note,
    lines: lineRows.filter((l) => l.order_id === o.id).map((l) => ({
      sku: l.sku,
      name: l.name_en,
      qty: l.qty,
      unitPriceMinor: Number(l.unit_price_minor),
      discountMinor: Number(l.discount_minor),
      vatRateBp: l.vat_rate_bp,
      vatMinor: Number(l.vat_minor),
      lineTotalMinor: Number(l.line_total_minor),
    })),
  })));
  const subRows = await sql`
    select * from shop_subscriptions where user_id = ${userId} order by created_at`;
  const subscriptions = await Promise.all(subRows.map(async (s) => ({
    status: s.status,
    startDate: s.start_date,
    endDate: s.end_date,
    billing: s.billing,
    ...await decryptContact(keyring, s),
  })));
  const cart = await getCart(kv, `u:${userId}`);
  return { addresses, orders, subscriptions, cart };
}

export async function anonymiseCustomer(
  sql: Sql,
  kv: Deno.Kv,
  keyring: Keyring,
  userId: string,
  now: Date,
): Promise<Record<string, number>> {
  const erased = await encryptContact(keyring, { recipient: ERASED, phone: ERASED, line: ERASED });
  const out = await sql.begin(async (tx) => {
    const addresses = await tx`delete from shop_addresses where user_id = ${userId} returning id`;
    await tx`delete from shop_customer_prefs where user_id = ${userId}`;
    const orders = await tx`
      update shop_orders set recipient_enc = ${erased.recipient_enc},
        phone_enc = ${erased.phone_enc}, line_enc = ${erased.line_enc}, note = null,
        updated_at = ${now}
      where user_id = ${userId} returning id`;
    const subs = await tx`
      update shop_subscriptions set recipient_enc = ${erased.recipient_enc},
        phone_enc = ${erased.phone_enc}, line_enc = ${erased.line_enc}, status = 'cancelled',
        updated_at = ${now}
      where user_id = ${userId} returning id`;
    return { addresses: addresses.length, orders: orders.length, subscriptions: subs.length };
  });
  await kv.delete(keys.cart(`u:${userId}`));
  return out;
}

/**
 * Retention (services/privacy/retention.ts): orders placed in [from, to) with their lines, as the
 * VAT rules need them (numbers, dates, amounts, VAT, the delivery area): no recipient fields.
 */
export async function archiveOrders(
  sql: Sql,
  from: Date,
  to: Date,
  after: string | null,
  limit: number,
) {
  const orders = await sql`
    select id::text, number, user_id, status, payment_method, subtotal_minor, discount_minor,
      delivery_fee_minor, vat_minor, total_minor, paid_minor, refunded_minor, currency,
      zone_id, delivery_date::text, division_id, district_id, upazila_id, placed_at
    from shop_orders
    where placed_at >= ${from} and placed_at < ${to}
      and id > ${after ?? "00000000-0000-0000-0000-000000000000"}::uuid
    order by id limit ${limit}`;
  const lines = orders.length
    ? await sql`
      select order_id::text, line_no, sku, name_en, qty, unit_price_minor, discount_minor,
        vat_rate_bp, vat_minor, line_total_minor
      from shop_order_lines where order_id = any(${orders.map((o) => o.id)}::uuid[])
      order by order_id, line_no`
    : [];
  const rows = orders.map((o) => ({
    ...o,
    lines: lines.filter((l) => l.order_id === o.id).map(({ order_id: _o, ...l }) => l),
  }));
  return { rows, last: orders.at(-1)?.id ?? null };
}
