/**
 * Daily-milk subscriptions: quantities per weekday, a start date, holiday pauses, skipped days.
 * Any change for a date is allowed until that date's cut-off (morning slot: 22:00 the evening
 * before); at the cut-off the worker (workers/subscriptions.ts → runSubscriptions) turns the date
 * into an order, once per (subscription, date) however often it runs. Billing is per delivery
 * (cash to the rider) or from the prepaid balance, charged when the order is created.
 */
import { z } from "@/services/platform/schema.ts";
import type { Queryable, Sql } from "@/services/platform/db.ts";
import type { Keyring } from "@/services/crypto/field_crypto.ts";
import { appendAudit } from "@/services/audit/mod.ts";
import { addressFields } from "./address.ts";
import { checkAddressGeo, cutoffFor, getSlot } from "./delivery.ts";
import { ShopError } from "./errors.ts";
import { type Contact, decryptContact, encryptContact } from "./pii.ts";
import { addDays, dhakaDate, isDate, isoWeekday } from "@/services/platform/dhaka.ts";
import { placeOrderTx } from "./orders.ts";
import type { OrderDeps } from "./stock.ts";
import { notifyOrder } from "./notifications.ts";
import { variantsByIds } from "./catalog.ts";

export const BILLINGS = ["per_delivery", "prepaid"] as const;
export type Billing = typeof BILLINGS[number];
/** Subscriptions deliver in this slot. */
export const SUBSCRIPTION_SLOT = "morning";

export interface SubItem {
  variantId: number;
  weekday: number;
  qty: number;
}

export interface Subscription {
  id: string;
  userId: string;
  status: "active" | "cancelled";
  startDate: string;
  endDate: string | null;
  billing: Billing;
  locale: "en" | "bn";
  slotCode: string;
  zoneId: number;
  contact: Contact;
  geo: { divisionId: number; districtId: number; upazilaId: number; zoneId: number };
  items: SubItem[];
  pauses: { id: number; from: string; to: string }[];
  skips: string[];
  runs: { date: string; outcome: string; orderNumber: string | null }[];
}

export const subscriptionSchema = z.object({
  ...addressFields,
  startDate: z.string().refine(isDate, "date_required"),
  billing: z.enum(BILLINGS, "method_required"),
  items: z.array(z.object({
    variantId: z.number().int().positive(),
    weekday: z.number().int().min(1).max(7),
    qty: z.number().int().min(1).max(50),
  })).min(1, "subscription_empty").max(70),
});
export type SubscriptionInput = z.output<typeof subscriptionSchema>;

/** The first date a new subscription or change can still affect. */
export async function firstChangeableDate(sql: Queryable, now: Date): Promise<string> {
  const slot = await getSlot(sql, SUBSCRIPTION_SLOT);
  if (!slot) throw new ShopError("slot_unavailable");
  let d = dhakaDate(now);
  while (cutoffFor(slot, d) <= now) d = addDays(d, 1);
  return d;
}

async function assertChangeable(sql: Queryable, date: string, now: Date) {
  const slot = await getSlot(sql, SUBSCRIPTION_SLOT);
  if (!slot || cutoffFor(slot, date) <= now) throw new ShopError("cutoff_passed");
}

async function checkItems(sql: Queryable, items: SubItem[]) {
  const variants = await variantsByIds(sql, [...new Set(items.map((i) => i.variantId))]);
  for (const i of items) {
    const v = variants.get(i.variantId);
    if (!v || !v.sellable || !v.subscribable) throw new ShopError("variant_unavailable");
  }
}

export async function createSubscription(
  sql: Sql,
  keyring: Keyring,
  userId: string,
  locale: "en" | "bn",
  input: SubscriptionInput,
  now = new Date(),
): Promise<string> {
  await assertChangeable(sql, input.startDate, now);
  await checkItems(sql, input.items);
  const enc = await encryptContact(keyring, input);
  return await sql.begin(async (tx) => {
    await checkAddressGeo(tx, input);
    const [s] = await tx`
      insert into shop_subscriptions (user_id, start_date, billing, locale, slot_code, zone_id,
        recipient_enc, phone_enc, line_enc, division_id, district_id, upazila_id)
      values (${userId}, ${input.startDate}, ${input.billing}, ${locale}, ${SUBSCRIPTION_SLOT},
        ${input.zoneId}, ${enc.recipient_enc}, ${enc.phone_enc}, ${enc.line_enc},
        ${input.divisionId}, ${input.districtId}, ${input.upazilaId})
      returning id`;
    await writeItems(tx, s.id, input.items);
    await appendAudit(tx, {
      actorId: userId,
      action: "shop.subscription.created",
      entity: "shop_subscription",
      entityId: s.id,
      data: { startDate: input.startDate, billing: input.billing, items: input.items.length },
    });
    return s.id as string;
  }) as string;
}

async function writeItems(tx: Queryable, subId: string, items: SubItem[]) {
  await tx`delete from shop_subscription_items where subscription_id = ${subId}`;
  if (!items.length) return;
  await tx`
    insert into shop_subscription_items (subscription_id, variant_id, weekday, qty)
    select ${subId}, x.v, x.w, x.q
    from unnest(${items.map((i) => String(i.variantId))}::bigint[], ${
    items.map((i) => i.weekday)
  }::int[],
      ${items.map((i) => i.qty)}::int[]) as x (v, w, q)`;
}

async function ownActive(sql: Queryable, subId: string, userId: string) {
  if (!/^[0-9a-f-]{36}$/i.test(subId)) throw new ShopError("not_found");
  const [s] = await sql`select * from shop_subscriptions where id = ${subId}`;
  if (!s || s.user_id !== userId) throw new ShopError("not_found");
  if (s.status !== "active") throw new ShopError("transition_not_allowed");
  return s;
}

/** New weekday quantities; they apply to every date whose cut-off has not passed. */
export async function updateItems(sql: Sql, userId: string, subId: string, items: SubItem[]) {
  if (!items.length) throw new ShopError("subscription_empty");
  await ownActive(sql, subId, userId);
  await checkItems(sql, items);
  await sql.begin(async (tx) => {
    await writeItems(tx, subId, items);
    await tx`update shop_subscriptions set updated_at = now() where id = ${subId}`;
  });
}

/** A day of the customer's own active subscription whose cut-off has not passed. */
async function changeableDay(sql: Sql, userId: string, subId: string, date: string, now: Date) {
  if (!isDate(date)) throw new ShopError("not_found");
  await ownActive(sql, subId, userId);
  await assertChangeable(sql, date, now);
}

export async function skipDate(
  sql: Sql,
  userId: string,
  subId: string,
  date: string,
  now = new Date(),
) {
  await changeableDay(sql, userId, subId, date, now);
  await sql`insert into shop_subscription_skips (subscription_id, skip_date)
    values (${subId}, ${date}) on conflict do nothing`;
}

export async function unskipDate(
  sql: Sql,
  userId: string,
  subId: string,
  date: string,
  now = new Date(),
) {
  await changeableDay(sql, userId, subId, date, now);
  await sql`delete from shop_subscription_skips where subscription_id = ${subId} and skip_date = ${date}`;
}

export async function addPause(
  sql: Sql,
  userId: string,
  subId: string,
  from: string,
  to: string,
  now = new Date(),
) {
  if (!isDate(from) || !isDate(to) || to < from) {
    throw new ShopError("date_too_far", "The pause must end on or after its first day");
  }
  await ownActive(sql, subId, userId);
  await assertChangeable(sql, from, now);
  await sql`insert into shop_subscription_pauses (subscription_id, from_date, to_date)
    values (${subId}, ${from}, ${to})`;
}

/** Ends a pause early: only its days whose cut-off has not passed come back. */
export async function removePause(
  sql: Sql,
  userId: string,
  subId: string,
  pauseId: number,
  now = new Date(),
) {
  await ownActive(sql, subId, userId);
  const [p] =
    await sql`select from_date::text as f, to_date::text as t from shop_subscription_pauses
    where id = ${pauseId} and subscription_id = ${subId}`;
  if (!p) throw new ShopError("not_found");
  const first = await firstChangeableDate(sql, now);
  if (p.f >= first) {
    await sql`delete from shop_subscription_pauses where id = ${pauseId}`;
  } else if (p.t >= first) {
    await sql`update shop_subscription_pauses set to_date = ${
      addDays(first, -1)
    } where id = ${pauseId}`;
  } else throw new ShopError("cutoff_passed");
}

export async function cancelSubscription(sql: Sql, userId: string, subId: string) {
  await ownActive(sql, subId, userId);
  await sql.begin(async (tx) => {
    await tx`update shop_subscriptions set status = 'cancelled', updated_at = now() where id = ${subId}`;
    await appendAudit(tx, {
      actorId: userId,
      action: "shop.subscription.cancelled",
      entity: "shop_subscription",
      entityId: subId,
      data: {},
    });
  });
}

export async function getSubscription(
  sql: Queryable,
  keyring: Keyring,
  subId: string,
): Promise<Subscription | null> {
  if (!/^[0-9a-f-]{36}$/i.test(subId)) return null;
  const [s] = await sql`
    select *, start_date::text as start, end_date::text as "end" from shop_subscriptions
    where id = ${subId}`;
  if (!s) return null;
  const items = await sql`select * from shop_subscription_items where subscription_id = ${subId}
    order by weekday, variant_id`;
  const pauses = await sql`select id, from_date::text as f, to_date::text as t
    from shop_subscription_pauses where subscription_id = ${subId} order by from_date`;
  const skips = await sql`select skip_date::text as d from shop_subscription_skips
    where subscription_id = ${subId} order by skip_date`;
  const runs = await sql`select r.delivery_date::text as d, r.outcome, o.number
    from shop_subscription_runs r left join shop_orders o on o.id = r.order_id
    where r.subscription_id = ${subId} order by r.delivery_date desc limit 60`;
  return {
    id: s.id,
    userId: s.user_id,
    status: s.status,
    startDate: s.start,
    endDate: s.end,
    billing: s.billing,
    locale: s.locale,
    slotCode: s.slot_code,
    zoneId: Number(s.zone_id),
    contact: await decryptContact(keyring, s),
    geo: {
      divisionId: s.division_id,
      districtId: s.district_id,
      upazilaId: s.upazila_id,
      zoneId: Number(s.zone_id),
    },
    items: items.map((i) => ({ variantId: Number(i.variant_id), weekday: i.weekday, qty: i.qty })),
    pauses: pauses.map((p) => ({ id: Number(p.id), from: p.f, to: p.t })),
    skips: skips.map((k) => k.d),
    runs: runs.map((r) => ({ date: r.d, outcome: r.outcome, orderNumber: r.number })),
  };
}

/**
 * Subscriptions newest first (one customer's, or everyone's for staff). The customer's name comes
 * from identity through `names` (the shop does not read identity's tables); without it, "".
 */
export async function listSubscriptions(
  sql: Queryable,
  userId: string | null,
  limit = 100,
  names?: (userIds: readonly string[]) => Promise<Map<string, string>>,
) {
  const rows = await sql`
    select s.id, s.user_id, s.status, s.start_date::text as start, s.billing,
      (select coalesce(sum(qty), 0)::int from shop_subscription_items i where i.subscription_id = s.id)
        as weekly_units
    from shop_subscriptions s
    where ${userId}::uuid is null or s.user_id = ${userId}
    order by s.created_at desc limit ${limit}`;
  const customers = names ? await names(rows.map((r) => r.user_id as string)) : new Map();
  return rows.map((r) => ({
    id: r.id as string,
    userId: r.user_id as string,
    customer: customers.get(r.user_id) ?? "",
    status: r.status as "active" | "cancelled",
    startDate: r.start as string,
    billing: r.billing as Billing,
    weeklyUnits: r.weekly_units as number,
  }));
}

// ---- the calendar ----------------------------------------------------------------------------

export type DayState = "delivery" | "none" | "paused" | "skipped" | "before_start" | "ended";

export interface CalendarDay {
  date: string;
  weekday: number;
  state: DayState;
  items: { variantId: number; qty: number }[];
  /** The cut-off passed: the day can no longer be changed (its order exists or is due now). */
  locked: boolean;
  /** What the worker did for this date, if it ran. */
  run: { outcome: string; orderNumber: string | null } | null;
}

/** What a subscription delivers on a date (pure). */
export function dayState(
  s: Pick<Subscription, "status" | "startDate" | "endDate" | "items" | "pauses" | "skips">,
  date: string,
): { state: DayState; items: { variantId: number; qty: number }[] } {
  const wd = isoWeekday(date);
  const items = s.items.filter((i) => i.weekday === wd).map((i) => ({
    variantId: i.variantId,
    qty: i.qty,
  }));
  if (date < s.startDate) return { state: "before_start", items: [] };
  if (s.status !== "active" || (s.endDate && date > s.endDate)) {
    return { state: "ended", items: [] };
  }
  if (s.pauses.some((p) => p.from <= date && date <= p.to)) return { state: "paused", items };
  if (s.skips.includes(date)) return { state: "skipped", items };
  if (!items.length) return { state: "none", items };
  return { state: "delivery", items };
}

/** The coming `days` days from today, with what each will bring. */
export async function calendar(
  sql: Queryable,
  s: Subscription,
  days: number,
  now = new Date(),
): Promise<CalendarDay[]> {
  const slot = await getSlot(sql, s.slotCode);
  const today = dhakaDate(now);
  const runs = new Map(s.runs.map((r) => [r.date, r]));
  return Array.from({ length: days }, (_, i) => {
    const date = addDays(today, i);
    const d = dayState(s, date);
    const run = runs.get(date);
    return {
      date,
      weekday: isoWeekday(date),
      ...d,
      locked: !slot || cutoffFor(slot, date) <= now,
      run: run ? { outcome: run.outcome, orderNumber: run.orderNumber } : null,
    };
  });
}

// ---- the worker's job ------------------------------------------------------------------------

export interface RunResult {
  ordered: number;
  nothingDue: number;
  failed: number;
}

/**
 * Creates the orders of every active subscription for the dates whose cut-off has passed (today
 * and tomorrow), at most once per (subscription, date): the run row is written in the same
 * transaction as the order.
 */
export async function runSubscriptions(
  sql: Sql,
  deps: OrderDeps, // the keyring and inventory's stock (orders reserve lots)
  now = new Date(),
): Promise<RunResult> {
  const result: RunResult = { ordered: 0, nothingDue: 0, failed: 0 };
  const slot = await getSlot(sql, SUBSCRIPTION_SLOT);
  if (!slot) return result;
  const today = dhakaDate(now);
  const dates = [today, addDays(today, 1)].filter((d) => cutoffFor(slot, d) <= now);
  if (!dates.length) return result;
  const subs = await sql`
    select s.id from shop_subscriptions s
    where s.status = 'active' and s.start_date <= ${dates.at(-1)!}
      and (s.end_date is null or s.end_date >= ${dates[0]})
    order by s.created_at`;
  for (const { id: subId } of subs) {
    for (const date of dates) {
      const outcome = await runOne(sql, deps, subId, date, now);
      if (outcome === null) continue; // handled by an earlier run
      if (outcome === "ordered") result.ordered++;
      else if (outcome === "nothing_due") result.nothingDue++;
      else result.failed++;
    }
  }
  return result;
}

async function runOne(
  sql: Sql,
  deps: OrderDeps,
  subId: string,
  date: string,
  now: Date,
): Promise<string | null> {
  return await sql.begin(async (tx) => {
    const claimed = await tx`
      insert into shop_subscription_runs (subscription_id, delivery_date, outcome)
      values (${subId}, ${date}, 'nothing_due')
      on conflict do nothing returning subscription_id`;
    if (!claimed.length) return null; // handled before
    const s = (await getSubscription(tx, deps.keyring, subId))!;
    const d = dayState(s, date);
    if (d.state !== "delivery") return "nothing_due";
    const attempt = async () =>
      await placeOrderTx(tx, deps, {
        userId: s.userId,
        locale: s.locale,
        items: d.items,
        checkout: {
          ...s.contact,
          ...s.geo,
          deliveryDate: date,
          slotCode: s.slotCode,
          paymentMethod: s.billing === "prepaid" ? "balance" : "cod",
          discountCode: undefined,
          note: undefined,
        },
        allowedMethods: ["balance", "cod"],
        subscriptionId: s.id,
        now,
      });
    try {
      const placed = await tx.savepoint(attempt);
      await tx`update shop_subscription_runs set outcome = 'ordered', order_id = ${placed.id}
        where subscription_id = ${subId} and delivery_date = ${date}`;
      return "ordered";
    } catch (e) {
      if (!(e instanceof ShopError)) throw e;
      const outcome = e.code === "insufficient_balance" ? "insufficient_balance" : "out_of_stock";
      await tx`update shop_subscription_runs set outcome = ${outcome}, detail = ${e.code}
        where subscription_id = ${subId} and delivery_date = ${date}`;
      await notifyOrder(tx, "subscription_not_delivered", {
        id: subId,
        key: date,
        phone: s.contact.phone,
        locale: s.locale,
        number: "",
        totalMinor: 0,
        date,
        why: s.locale === "bn"
          ? (outcome === "insufficient_balance" ? "প্রিপেইড ব্যালেন্স কম" : "পণ্য মজুদ নেই")
          : (outcome === "insufficient_balance"
            ? "your prepaid balance is too low"
            : "out of stock"),
      });
      return outcome;
    }
  }) as string | null;
}
