/**
 * Placing and reading shop orders.
 *
 * placeOrder does everything in ONE transaction: checks the address, slot and cut-off, prices
 * the cart from current prices, takes a discount use, reserves stock by lot through inventory
 * (FEFO for the delivery date, lots locked: concurrent checkouts can never oversell), numbers the
 * order from a sequence, writes lines, the first payment attempt and the "order placed" message.
 * Any refusal rolls all of it back.
 */
import { emitWebhookEvent } from "@/services/webhooks/mod.ts";
import { z } from "@/services/platform/schema.ts";
import { addressFields } from "./address.ts";
import type { Queryable, Sql, Tx } from "@/services/platform/db.ts";
import { toMinor } from "@/services/platform/db.ts";
import type { Keyring } from "@/services/crypto/field_crypto.ts";
import { appendAudit } from "@/services/audit/mod.ts";
import { orderPayments, type Payment } from "@/services/payments/mod.ts";
import { isOnlineMethod, PAYMENT_METHODS, type PaymentMethod } from "@/services/payments/types.ts";
import { type VariantInfo, variantsByIds } from "./catalog.ts";
import type { CartItem } from "./cart.ts";
import {
  type AddressGeo,
  assertBookable,
  checkAddressGeo,
  cutoffFor,
  getSlot,
} from "./delivery.ts";
import { checkCode, type DiscountCode, redeemCode } from "./discounts.ts";
import { ShopError } from "./errors.ts";
import { type Contact, decryptContact, encryptContact } from "./pii.ts";
import { priceOrder } from "./pricing.ts";
import { dhakaYear, isDate } from "@/services/platform/dhaka.ts";
import { notifyOrder } from "./notifications.ts";
import type { OrderStatus } from "./order_status.ts";
import { type OrderDeps, orderRef } from "./stock.ts";

// ---- checkout input ------------------------------------------------------------------------

/** The checkout form's fields (address, delivery, payment), as a page posts them. */
export const checkoutSchema = z.object({
  ...addressFields,
  deliveryDate: z.string().refine(isDate, "date_required"),
  slotCode: z.string().regex(/^[a-z0-9_]{2,20}$/, "slot_required"),
  paymentMethod: z.enum(PAYMENT_METHODS, "method_required"),
  discountCode: z.string().trim().max(30).optional().transform((v) => v || undefined),
  note: z.string().trim().max(300, "note_too_long").optional().transform((v) => v || undefined),
});
export type CheckoutInput = z.output<typeof checkoutSchema>;

export interface PlaceOrderInput {
  userId: string | null;
  locale: "en" | "bn";
  items: CartItem[];
  checkout: CheckoutInput;
  /** Methods offered right now (payment settings); anything else is refused. */
  allowedMethods: readonly PaymentMethod[];
  now?: Date;
  /** Subscription deliveries: created after the cut-off by design, no minimum, no fee. */
  subscriptionId?: string;
}

export interface PlacedOrder {
  id: string;
  number: string;
  status: OrderStatus;
  totalMinor: number;
  paymentMethod: PaymentMethod;
  /** The payment attempt to start (online/bank), or null when none is needed now. */
  paymentId: string | null;
}

/** Places an order in its own transaction (see placeOrderTx). */
export function placeOrder(
  sql: Sql,
  deps: OrderDeps,
  input: PlaceOrderInput,
): Promise<PlacedOrder> {
  return sql.begin((tx) => placeOrderTx(tx, deps, input)) as Promise<PlacedOrder>;
}

function mergeItems(items: CartItem[]): CartItem[] {
  const m = new Map<number, number>();
  for (const i of items) {
    if (!Number.isInteger(i.variantId) || !Number.isInteger(i.qty) || i.qty < 1) continue;
    m.set(i.variantId, (m.get(i.variantId) ?? 0) + i.qty);
  }
  for (const qty of m.values()) if (qty > 999) throw new ShopError("too_many");
  // Sorted by id: concurrent orders lock variant rows in the same order (no deadlocks).
  return [...m].map(([variantId, qty]) => ({ variantId, qty })).sort((a, b) =>
    a.variantId - b.variantId
  );
}

export async function placeOrderTx(
  tx: Tx,
  deps: OrderDeps,
  input: PlaceOrderInput,
): Promise<PlacedOrder> {
  const { keyring } = deps;
  const now = input.now ?? deps.now?.() ?? new Date();
  const c = input.checkout;
  const items = mergeItems(input.items);
  if (items.length === 0) throw new ShopError("cart_empty");
  if (!input.allowedMethods.includes(c.paymentMethod)) {
    throw new ShopError("payment_method_unavailable");
  }
  if (c.paymentMethod === "balance" && !input.userId) {
    throw new ShopError("payment_method_unavailable");
  }

  const slot = await getSlot(tx, c.slotCode);
  if (!slot || !slot.active) throw new ShopError("slot_unavailable");
  const cutoffAt = input.subscriptionId
    ? cutoffFor(slot, c.deliveryDate)
    : assertBookable(slot, c.deliveryDate, now);
  const geo: AddressGeo = {
    divisionId: c.divisionId,
    districtId: c.districtId,
    upazilaId: c.upazilaId,
    zoneId: c.zoneId,
  };
  const zone = await checkAddressGeo(tx, geo);

  const variants = await variantsByIds(tx, items.map((i) => i.variantId));
  const unavailable = items.filter((i) => !variants.get(i.variantId)?.sellable);
  if (unavailable.length) {
    throw new ShopError("variant_unavailable", undefined, {
      variantIds: unavailable.map((i) => i.variantId),
    });
  }
  const lines = items.map((i) => {
    const v = variants.get(i.variantId)!;
    return { ...i, v, unitPriceMinor: v.priceMinor, vatRateBp: v.vatRateBp };
  });
  const subtotal = lines.reduce((a, l) => a + l.qty * l.unitPriceMinor, 0);
  let code: DiscountCode | null = null;
  if (c.discountCode) {
    code = (await checkCode(tx, c.discountCode, subtotal, input.userId, now)).code;
  }
  const fee = input.subscriptionId ? 0 : zone.feeMinor + slot.extraFeeMinor;
  const priced = priceOrder(lines, { discount: code, deliveryFeeMinor: fee });
  if (!input.subscriptionId && priced.subtotalMinor - priced.discountMinor < zone.minOrderMinor) {
    throw new ShopError("min_order", undefined, { minMinor: zone.minOrderMinor });
  }

  // Reserve stock by lot (FEFO for the delivery date), all lines or none. Line i is line_no i+1.
  const orderId = crypto.randomUUID();
  const ids = items.map((i) => String(i.variantId));
  const qtys = items.map((i) => i.qty);
  const reserved = await deps.stock.reserve(tx, {
    ref: orderRef(orderId),
    lines: lines.map((l) => ({ shopSku: l.v.sku, qty: l.qty })),
    on: c.deliveryDate,
  });
  if (!reserved.ok) {
    throw new ShopError("out_of_stock", undefined, {
      variantIds: reserved.short.map((s) => items[s.lineIndex].variantId),
    });
  }

  const [{ n }] = await tx`select nextval('shop_order_number_seq')::text as n`;
  const number = `SD-${dhakaYear(now)}-${String(n).padStart(6, "0")}`;
  const method = c.paymentMethod;
  const total = priced.totalMinor;
  // Cash on delivery is confirmed at once; the balance is charged below; online and bank
  // transfer orders wait for the money.
  const paidNow = total === 0 || method === "balance";
  const status: OrderStatus = paidNow || method === "cod" ? "confirmed" : "pending_payment";
  const enc = await encryptContact(keyring, c);
  await tx`
    insert into shop_orders (id, number, user_id, status, locale, payment_method, subtotal_minor,
      discount_minor, delivery_fee_minor, vat_minor, total_minor, paid_minor, discount_code_id,
      zone_id, delivery_date, slot_code, cutoff_at, recipient_enc, phone_enc, line_enc,
      division_id, district_id, upazila_id, note, subscription_id, placed_at)
    values (${orderId}, ${number}, ${input.userId}, ${status}, ${input.locale}, ${method},
      ${priced.subtotalMinor}, ${priced.discountMinor}, ${fee}, ${priced.vatMinor}, ${total},
      ${paidNow ? total : 0}, ${code?.id ?? null}, ${zone.zoneId}, ${c.deliveryDate},
      ${slot.code}, ${cutoffAt}, ${enc.recipient_enc}, ${enc.phone_enc}, ${enc.line_enc},
      ${c.divisionId}, ${c.districtId}, ${c.upazilaId}, ${c.note ?? null},
      ${input.subscriptionId ?? null}, ${now})`;

  const pl = priced.lines;
  await tx`
    insert into shop_order_lines (order_id, line_no, variant_id, sku, name_en, name_bn, pack_qty,
      unit, qty, unit_price_minor, discount_minor, vat_rate_bp, vat_minor, line_total_minor)
    select ${orderId}, x.line_no, x.variant_id, x.sku, x.name_en, x.name_bn, x.pack_qty, x.unit,
      x.qty, x.unit_price_minor, x.discount_minor, x.vat_rate_bp, x.vat_minor, x.line_total_minor
    from unnest(${pl.map((_, i) => i + 1)}::int[], ${ids}::bigint[],
      ${pl.map((l) => l.v.sku)}::text[], ${pl.map((l) => l.v.nameEn)}::text[],
      ${pl.map((l) => l.v.nameBn)}::text[], ${pl.map((l) => l.v.packQty)}::numeric[],
      ${pl.map((l) => l.v.unit)}::text[], ${qtys}::int[],
      ${pl.map((l) => String(l.unitPriceMinor))}::bigint[],
      ${pl.map((l) => String(l.discountMinor))}::bigint[], ${pl.map((l) => l.vatRateBp)}::int[],
      ${pl.map((l) => String(l.vatMinor))}::bigint[],
      ${pl.map((l) => String(l.lineTotalMinor))}::bigint[])
      as x (line_no, variant_id, sku, name_en, name_bn, pack_qty, unit, qty, unit_price_minor,
            discount_minor, vat_rate_bp, vat_minor, line_total_minor)`;
  if (code) await redeemCode(tx, code, orderId, input.userId, priced.discountMinor);
  await tx`
    insert into shop_order_events (order_id, from_status, to_status, actor_id, note)
    values (${orderId}, null, ${status}, ${input.userId},
      ${input.subscriptionId ? "subscription delivery" : null})`;
  // Partners' webhooks (services/webhooks): order.created, in this transaction.
  await emitWebhookEvent(tx, {
    type: "order.created",
    data: {
      number,
      status,
      paymentMethod: method,
      totalMinor: total,
      currency: "BDT",
      deliveryDate: c.deliveryDate,
      lines: pl.map((l, i) => ({ sku: l.v.sku, qty: qtys[i] })),
    },
    dedupeKey: `order.created:${orderId}`,
    at: now,
  });

  let paymentId: string | null = null;
  if (total > 0) {
    const merchantRef = orderPayments.newRef(number);
    const payment = {
      purpose: "order",
      orderId,
      orderNumber: number,
      userId: input.userId,
      method,
      amountMinor: total,
      merchantRef,
    } as const;
    if (method === "balance") {
      await orderPayments.chargeBalance(tx, input.userId!, total, `order:${orderId}`);
      const pid = await orderPayments.open(tx, {
        ...payment,
        status: "succeeded",
        providerRef: `balance:${orderId}`,
      });
      await deps.books?.payment(tx, { ...payment, paymentId: pid, purpose: "order" });
    } else {
      const pid = await orderPayments.open(tx, {
        ...payment,
        // Cash and bank transfers wait for the money; online attempts start after commit.
        status: isOnlineMethod(method) ? "initiated" : "pending",
        providerRef: method === "bank_transfer" ? number : null,
      });
      if (isOnlineMethod(method) || method === "bank_transfer") paymentId = pid;
    }
  }

  await notifyOrder(tx, "order_placed", {
    id: orderId,
    phone: c.phone,
    locale: input.locale,
    number,
    totalMinor: total,
    date: c.deliveryDate,
    track: deps.track ? await deps.track(number) : undefined,
  });
  if (input.userId) {
    await tx`
      insert into shop_customer_prefs (user_id, payment_method) values (${input.userId}, ${method})
      on conflict (user_id) do update set payment_method = excluded.payment_method,
        updated_at = now()`;
    if (!input.subscriptionId) await saveAddress(tx, input.userId, enc, geo);
  }
  await appendAudit(tx, {
    actorId: input.userId,
    action: "shop.order.placed",
    entity: "shop_order",
    entityId: number,
    data: { status, method, totalMinor: total, lines: items.length },
  });
  return { id: orderId, number, status, totalMinor: total, paymentMethod: method, paymentId };
}

/** Keeps the customer's last address (encrypted) to fill in the next checkout. */
async function saveAddress(
  tx: Tx,
  userId: string,
  enc: { recipient_enc: string; phone_enc: string; line_enc: string },
  geo: AddressGeo,
): Promise<void> {
  await tx`delete from shop_addresses where user_id = ${userId}`;
  await tx`
    insert into shop_addresses (user_id, recipient_enc, phone_enc, line_enc, division_id,
      district_id, upazila_id, zone_id)
    values (${userId}, ${enc.recipient_enc}, ${enc.phone_enc}, ${enc.line_enc}, ${geo.divisionId},
      ${geo.districtId}, ${geo.upazilaId}, ${geo.zoneId})`;
}

/** The customer's remembered address and payment method, to prefill checkout. */
export async function checkoutDefaults(
  sql: Queryable,
  keyring: Keyring,
  userId: string,
): Promise<
  { contact: Contact | null; geo: AddressGeo | null; paymentMethod: PaymentMethod | null }
> {
  const [a] = await sql`
    select * from shop_addresses where user_id = ${userId} order by last_used_at desc limit 1`;
  const [p] = await sql`select payment_method from shop_customer_prefs where user_id = ${userId}`;
  return {
    contact: a ? await decryptContact(keyring, a) : null,
    geo: a
      ? {
        divisionId: a.division_id,
        districtId: a.district_id,
        upazilaId: a.upazila_id,
        zoneId: Number(a.zone_id),
      }
      : null,
    paymentMethod: p?.payment_method ?? null,
  };
}

// ---- reading orders --------------------------------------------------------------------------

export interface OrderLine {
  lineNo: number;
  variantId: number;
  sku: string;
  nameEn: string;
  nameBn: string;
  packQty: string;
  unit: VariantInfo["unit"];
  qty: number;
  unitPriceMinor: number;
  discountMinor: number;
  vatRateBp: number;
  vatMinor: number;
  lineTotalMinor: number;
}

export interface OrderSummary {
  id: string;
  number: string;
  userId: string | null;
  status: OrderStatus;
  locale: "en" | "bn";
  paymentMethod: PaymentMethod;
  subtotalMinor: number;
  discountMinor: number;
  deliveryFeeMinor: number;
  vatMinor: number;
  totalMinor: number;
  paidMinor: number;
  refundedMinor: number;
  zoneId: number;
  zoneNameEn: string;
  zoneNameBn: string;
  deliveryDate: string;
  slotCode: string;
  cutoffAt: Date;
  placedAt: Date;
  subscriptionId: string | null;
}

export interface OrderDetail extends OrderSummary {
  contact: Contact;
  geo: AddressGeo;
  geoNames: {
    division: string;
    divisionBn: string;
    district: string;
    districtBn: string;
    upazila: string;
    upazilaBn: string;
  };
  note: string | null;
  lines: OrderLine[];
  events: {
    fromStatus: string | null;
    toStatus: string;
    actorId: string | null;
    note: string | null;
    at: Date;
  }[];
  payments: Payment[];
}

const SUMMARY_COLS = (sql: Queryable) =>
  sql`o.id, o.number, o.user_id, o.status, o.locale, o.payment_method, o.subtotal_minor,
  o.discount_minor, o.delivery_fee_minor, o.vat_minor, o.total_minor, o.paid_minor,
  o.refunded_minor, o.zone_id, z.name_en as zone_name_en, z.name_bn as zone_name_bn,
  o.delivery_date::text as delivery_date, o.slot_code, o.cutoff_at, o.placed_at,
  o.subscription_id`;

function toSummary(r: Record<string, any>): OrderSummary {
  return {
    id: r.id,
    number: r.number,
    userId: r.user_id,
    status: r.status,
    locale: r.locale,
    paymentMethod: r.payment_method,
    subtotalMinor: toMinor(r.subtotal_minor),
    discountMinor: toMinor(r.discount_minor),
    deliveryFeeMinor: toMinor(r.delivery_fee_minor),
    vatMinor: toMinor(r.vat_minor),
    totalMinor: toMinor(r.total_minor),
    paidMinor: toMinor(r.paid_minor),
    refundedMinor: toMinor(r.refunded_minor),
    zoneId: Number(r.zone_id),
    zoneNameEn: r.zone_name_en,
    zoneNameBn: r.zone_name_bn,
    deliveryDate: r.delivery_date,
    slotCode: r.slot_code,
    cutoffAt: r.cutoff_at,
    placedAt: r.placed_at,
    subscriptionId: r.subscription_id,
  };
}

export const ORDER_NUMBER = /^SD-\d{4}-\d{6,}$/;

/** An order with lines, history, payments and the decrypted address. */
export async function getOrder(
  sql: Queryable,
  keyring: Keyring,
  by: { number: string } | { id: string },
): Promise<OrderDetail | null> {
  if ("number" in by && !ORDER_NUMBER.test(by.number)) return null;
  if ("id" in by && !/^[0-9a-f-]{36}$/i.test(by.id)) return null;
  const where = "number" in by ? sql`o.number = ${by.number}` : sql`o.id = ${by.id}`;
  const [r] = await sql`
    select ${SUMMARY_COLS(sql)}, o.recipient_enc, o.phone_enc, o.line_enc, o.note,
      o.division_id, o.district_id, o.upazila_id,
      v.name_en as division_en, v.name_bn as division_bn, d.name_en as district_en,
      d.name_bn as district_bn, u.name_en as upazila_en, u.name_bn as upazila_bn
    from shop_orders o
    join delivery_zones z on z.id = o.zone_id
    join geo_divisions v on v.id = o.division_id
    join geo_districts d on d.id = o.district_id
    join geo_upazilas u on u.id = o.upazila_id
    where ${where}`;
  if (!r) return null;
  const lines = await sql`
    select * from shop_order_lines where order_id = ${r.id} order by line_no`;
  const events = await sql`
    select from_status, to_status, actor_id, note, at from shop_order_events
    where order_id = ${r.id} order by id`;
  return {
    ...toSummary(r),
    contact: await decryptContact(keyring, r),
    geo: {
      divisionId: r.division_id,
      districtId: r.district_id,
      upazilaId: r.upazila_id,
      zoneId: Number(r.zone_id),
    },
    geoNames: {
      division: r.division_en,
      divisionBn: r.division_bn,
      district: r.district_en,
      districtBn: r.district_bn,
      upazila: r.upazila_en,
      upazilaBn: r.upazila_bn,
    },
    note: r.note,
    lines: lines.map((l) => ({
      lineNo: l.line_no,
      variantId: Number(l.variant_id),
      sku: l.sku,
      nameEn: l.name_en,
      nameBn: l.name_bn,
      packQty: String(Number(l.pack_qty)),
      unit: l.unit,
      qty: l.qty,
      unitPriceMinor: toMinor(l.unit_price_minor),
      discountMinor: toMinor(l.discount_minor),
      vatRateBp: l.vat_rate_bp,
      vatMinor: toMinor(l.vat_minor),
      lineTotalMinor: toMinor(l.line_total_minor),
    })),
    events: events.map((e) => ({
      fromStatus: e.from_status,
      toStatus: e.to_status,
      actorId: e.actor_id,
      note: e.note,
      at: e.at,
    })),
    payments: await orderPayments.forOrder(sql, r.id),
  };
}

/** A customer's orders, newest first. */
/**
 * A customer's orders, newest first. Orders cancelled before anything was paid (a payment given
 * up, or never made in time) are left out unless asked for: they are noise in "My orders".
 */
export async function listOrdersForUser(
  sql: Queryable,
  userId: string,
  opts: { withUnpaidCancelled?: boolean; limit?: number } = {},
): Promise<(OrderSummary & { itemCount: number })[]> {
  const all = opts.withUnpaidCancelled ?? false;
  const rows = await sql`
    select ${SUMMARY_COLS(sql)},
      (select coalesce(sum(qty), 0)::int from shop_order_lines l where l.order_id = o.id) as items
    from shop_orders o join delivery_zones z on z.id = o.zone_id
    where o.user_id = ${userId}
      and (${all}::boolean or not (o.status = 'cancelled' and o.paid_minor = 0))
    order by o.placed_at desc limit ${opts.limit ?? 50}`;
  return rows.map((r) => ({ ...toSummary(r), itemCount: r.items }));
}

export interface AdminOrderQuery {
  status?: OrderStatus;
  date?: string;
  q?: string;
  limit?: number;
  offset?: number;
}

export async function listOrdersAdmin(
  sql: Queryable,
  q: AdminOrderQuery = {},
): Promise<{ rows: (OrderSummary & { itemCount: number })[]; total: number }> {
  const number = q.q?.trim().toUpperCase() || null;
  const rows = await sql`
    select ${SUMMARY_COLS(sql)},
      (select coalesce(sum(qty), 0)::int from shop_order_lines l where l.order_id = o.id) as items,
      count(*) over ()::int as total
    from shop_orders o join delivery_zones z on z.id = o.zone_id
    where (${q.status ?? null}::text is null or o.status = ${q.status ?? null})
      and (${q.date ?? null}::date is null or o.delivery_date = ${q.date ?? null}::date)
      and (${number}::text is null or o.number like ${"%" + (number ?? "") + "%"})
    order by o.placed_at desc
    limit ${q.limit ?? 50} offset ${q.offset ?? 0}`;
  return {
    rows: rows.map((r) => ({ ...toSummary(r), itemCount: r.items })),
    total: rows[0]?.total ?? 0,
  };
}

/** The variant quantities of an order, for "order again". */
export async function orderItems(sql: Queryable, orderId: string): Promise<CartItem[]> {
  const rows = await sql`
    select variant_id, qty from shop_order_lines where order_id = ${orderId} order by line_no`;
  return rows.map((r) => ({ variantId: Number(r.variant_id), qty: r.qty }));
}

/** Whether the customer may still cancel: before the cut-off and before packing. */
export function customerMayCancel(o: OrderSummary, now: Date): boolean {
  return (o.status === "pending_payment" || o.status === "confirmed") && now < o.cutoffAt;
}

// ---- picking and packing ---------------------------------------------------------------------

/** Where a line's packs come from: a lot at a location (inventory's FEFO reservation). */
export interface PickFrom {
  lotCode: string;
  locationCode: string;
  expiresOn: string | null;
  qty: number;
}

/** Packs of one SKU to pick, and the lots and locations to take them from. */
export interface PickLine {
  sku: string;
  nameEn: string;
  packQty: string;
  unit: string;
  qty: number;
  picks: PickFrom[];
}

export interface PickingSheet {
  date: string;
  slotCode: string | null;
  /** Per SKU, with the lots and locations to take them from. */
  totals: PickLine[];
  orders: {
    number: string;
    status: OrderStatus;
    zoneNameEn: string;
    slotCode: string;
    contact: Contact;
    address: string;
    note: string | null;
    paymentMethod: PaymentMethod;
    dueMinor: number;
    /** `picks` names the lot and location of each pack (empty: nothing reserved). */
    lines: PickLine[];
  }[];
}

/** What to pick (totals per SKU) and pack (per order) for a delivery date and slot. */
/** An order's lots per line (index i = line_no i + 1): where its packs come or came from. */
export async function orderPicks(
  sql: Queryable,
  deps: OrderDeps,
  orderId: string,
): Promise<PickFrom[][]> {
  const out: PickFrom[][] = [];
  for (const r of await deps.stock.picksOf(sql, [orderRef(orderId)])) {
    (out[r.lineIndex] ??= []).push({
      lotCode: r.lotCode,
      locationCode: r.locationCode,
      expiresOn: r.expiresOn,
      qty: r.qty,
    });
  }
  return out;
}

export async function pickingSheet(
  sql: Queryable,
  deps: OrderDeps,
  date: string,
  slotCode: string | null,
): Promise<PickingSheet> {
  const orders = await sql`
    select o.id, o.number, o.status, o.slot_code, o.recipient_enc, o.phone_enc, o.line_enc,
      o.note, o.payment_method, o.total_minor - o.paid_minor as due, z.name_en as zone_name_en,
      u.name_en as upazila_en, d.name_en as district_en,
      (select json_agg(json_build_object('lineNo', l.line_no, 'sku', l.sku, 'nameEn', l.name_en,
        'packQty', l.pack_qty, 'unit', l.unit, 'qty', l.qty) order by l.line_no)
       from shop_order_lines l where l.order_id = o.id) as lines
    from shop_orders o
    join delivery_zones z on z.id = o.zone_id
    join geo_upazilas u on u.id = o.upazila_id
    join geo_districts d on d.id = o.district_id
    where o.delivery_date = ${date} and o.status in ('confirmed', 'packed')
      and (${slotCode}::text is null or o.slot_code = ${slotCode})
    order by o.slot_code, z.sort_order, o.number`;
  const reservations = await deps.stock.picksOf(sql, orders.map((o) => orderRef(o.id)));
  const picksOf = (orderId: string, lineNo: number): PickFrom[] =>
    reservations.filter((r) => r.refId === orderId && r.lineIndex === lineNo - 1).map((r) => ({
      lotCode: r.lotCode,
      locationCode: r.locationCode,
      expiresOn: r.expiresOn,
      qty: r.qty,
    }));
  const totals = new Map<string, PickingSheet["totals"][number]>();
  const out: PickingSheet["orders"] = [];
  for (const o of orders) {
    const contact = await decryptContact(deps.keyring, o);
    const lines = (o.lines as Record<string, any>[]).map((l) => ({
      sku: l.sku,
      nameEn: l.nameEn,
      packQty: String(Number(l.packQty)),
      unit: l.unit,
      qty: l.qty,
      picks: picksOf(o.id, l.lineNo),
    }));
    for (const l of lines) {
      const t = totals.get(l.sku) ?? { ...l, qty: 0, picks: [] as PickFrom[] };
      t.qty += l.qty;
      for (const p of l.picks) {
        const same = t.picks.find((x) =>
          x.lotCode === p.lotCode && x.locationCode === p.locationCode
        );
        if (same) same.qty += p.qty;
        else t.picks.push({ ...p });
      }
      totals.set(l.sku, t);
    }
    out.push({
      number: o.number,
      status: o.status,
      zoneNameEn: o.zone_name_en,
      slotCode: o.slot_code,
      contact,
      address: `${contact.line}, ${o.upazila_en}, ${o.district_en}`,
      note: o.note,
      paymentMethod: o.payment_method,
      dueMinor: toMinor(o.due),
      lines,
    });
  }
  return {
    date,
    slotCode,
    totals: [...totals.values()].sort((a, b) => a.sku.localeCompare(b.sku)),
    orders: out,
  };
}
