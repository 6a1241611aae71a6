/**
 * Demo lineage (issue 12 §9), so that the first start shows a cow's milk reaching customers. It
 * calls the other contexts' doors only, with a clock it moves through the days:
 *
 * - one day a week of the farm's two years of milk, and every day of the last two weeks but the
 *   last week (the intake demo's): one tank receipt of the day (all sessions) through the intake
 *   door, with the litres the farm recorded (a tank refused for withdrawal milk: the next tank);
 * - each accepted intake lot (and last week's) released through inventory's lot status;
 * - a production order through the production door (FEFO from those lots, output lot linked to
 *   them) every fourth week, rotating over four products, and every day of the last two weeks;
 * - a shop order of plain doi every second day of the last two weeks through the shop's checkout
 *   (cart → checkout, cash on delivery) by a seeded customer, which reserves the doi FEFO.
 *
 * Skips when tank receipts older than a week exist.
 */
import { addDays, dhakaDate } from "@/services/platform/dhaka.ts";
import type { createContexts } from "@/contexts.ts";
import type { Sql } from "@/services/platform/db.ts";

type Contexts = ReturnType<typeof createContexts>;

export interface SeedLineageOptions {
  sql: Sql;
  /** Moved through the days; the contexts were built with it. */
  clock: { set(at: Date): void };
  now: Date;
  /** Days of milk history to receive (default 730). */
  days?: number;
  log?: (msg: string) => void;
}

export interface SeedLineageResult {
  skipped: boolean;
  intakeLots: number;
  refused: number;
  productionOrders: number;
  shopOrders: number;
  /** Of those, delivered (their day has passed) with the rider's cash handed in. */
  deliveredOrders: number;
  /** A cow whose milk reached the shop orders (for the log and the recall page). */
  cowTag: string | null;
}

const ACTOR = { id: null, name: "Demo data" };
const INTAKE_ACTOR = { ...ACTOR, roles: ["admin" as const] };
/** Before the last two weeks: a tank receipt every RECEIPT_EVERY days, an order every PRODUCE_EVERY. */
const RECEIPT_EVERY = 7;
const PRODUCE_EVERY = 28;
/** Rotated over the earlier production orders: products with only packaging and culture. */
const EARLIER = ["FG-MILK-1000", "FG-MILK-500", "FG-PDOI-500", "FG-GYOG-200"];
const SOLD = "FG-PDOI-500";
const SOLD_SKU = "PDOI-500";
const SESSIONS = ["am", "noon", "pm"];
const RECENT = 14;

/** 10:00 in Dhaka on `day`. */
const morningOf = (day: string) => new Date(`${day}T04:00:00Z`);

export async function seedLineage(
  c: Contexts,
  opts: SeedLineageOptions,
): Promise<SeedLineageResult> {
  const result: SeedLineageResult = {
    skipped: true,
    intakeLots: 0,
    refused: 0,
    productionOrders: 0,
    shopOrders: 0,
    deliveredOrders: 0,
    cowTag: null,
  };
  const today = dhakaDate(opts.now);
  const weekAgo = addDays(today, -7);
  const old = await c.intake.listTankReceipts({ to: addDays(weekAgo, -1), limit: 1 });
  const tanks = await c.iot.listTanks();
  if (old.length || !tanks.length) return result;
  result.skipped = false;
  const started = performance.now();
  const farm = c.farm.forIntake();
  const release = (lotId: number) =>
    c.inventory.setLotStatus({
      lotId,
      status: "released",
      reason: "Demo: intake tests passed",
      actor: ACTOR,
    });

  // Last week's tank lots (the intake demo's) are released.
  for (const r of await c.intake.listTankReceipts({ from: weekAgo, to: today, limit: 500 })) {
    if (r.status === "accepted" && r.lotId) await release(r.lotId);
  }

  const first = addDays(today, -(opts.days ?? 730));
  const recent = addDays(today, -RECENT);
  let made = 0;
  for (let day = first, n = 0; day < today; day = addDays(day, 1), n++) {
    const isRecent = day >= recent;
    if (!isRecent && n % RECEIPT_EVERY !== 0) continue;
    opts.clock.set(morningOf(day));
    if (day < weekAgo) {
      for (const tank of tanks) {
        const litres = (await farm.tankCheck(opts.sql, tank.id, day, SESSIONS)).recordedL ?? 0;
        if (litres <= 0) break;
        const got = await c.intake.receiveTank({
          tankId: tank.id,
          day,
          sessions: SESSIONS,
          litres: Math.round(litres * 10) / 10,
          fatPct: 4.1,
          snfPct: 8.6,
          tempC: 4,
        }, INTAKE_ACTOR);
        if (got.status === "accepted") {
          await release(got.lotId);
          result.intakeLots++;
          break;
        }
        result.refused++;
      }
    }
    const item = isRecent
      ? SOLD
      : n % PRODUCE_EVERY === 0
      ? EARLIER[made++ % EARLIER.length]
      : null;
    if (item && await produce(c, item, day)) result.productionOrders++;
  }

  // Shop orders of the last two weeks, each by one of the seeded customers.
  const customers = (await c.identity.listUsers({ role: "customer", status: "active", limit: 7 }))
    .rows;
  const variant = await soldVariant(c);
  if (customers.length && variant) {
    const where = await c.shop.coverage();
    const zone = [...where.zones].sort((a, b) => a.minOrderMinor - b.minOrderMinor)[0];
    const upazila = where.upazilas.find((u) => u.zoneIds.includes(zone.id))!;
    const district = where.districts.find((d) => d.id === upazila.districtId)!;
    const slots = await c.shop.slots();
    const numbers: string[] = [];
    for (let i = 0, day = addDays(recent, 1); day < today; i++, day = addDays(day, 2)) {
      opts.clock.set(new Date(`${day}T06:00:00Z`));
      const open = c.shop.openDeliveries(slots, 3)[0];
      const user = customers[i % customers.length];
      const owner = c.shop.ownerOfUser(user.id);
      await c.shop.addToCart(owner, variant.id, 4 + (i % 3));
      const placed = await c.shop.checkout(owner, {
        userId: user.id,
        lang: "en",
        form: {
          recipient: user.displayName ?? "Demo customer",
          phone: `+88017110003${String(i).padStart(2, "0")}`,
          line: `House ${10 + i}, Road 5, ${upazila.nameEn}`,
          divisionId: district.divisionId,
          districtId: district.id,
          upazilaId: upazila.id,
          zoneId: zone.id,
          deliveryDate: open.date,
          slotCode: open.slot.code,
          paymentMethod: "cod",
          discountCode: undefined,
          note: undefined,
        },
      }, `demo-lineage-${day}`);
      if (placed.ok) {
        result.shopOrders++;
        if (placed.number) numbers.push(placed.number);
      } else {
        opts.log?.(`demo lineage: an order of ${day} was refused (${placed.code})`);
        await c.shop.setQty(owner, variant.id, 0);
      }
    }
    result.deliveredOrders = await deliverPast(c, numbers, today, opts.clock);
    const cows = await farm.cowsInTank(opts.sql, tanks[0].id, addDays(today, -3), SESSIONS);
    result.cowTag = cows[0]?.tag ?? null;
  }
  opts.clock.set(opts.now);
  opts.log?.(
    `demo lineage: ${result.intakeLots} tank intake lots released (${result.refused} refused), ` +
      `${result.productionOrders} production orders, ${result.shopOrders} shop orders ` +
      `(${result.deliveredOrders} delivered) ` +
      `(${((performance.now() - started) / 1000).toFixed(1)} s)` +
      (result.cowTag ? `; try /admin/recall?kind=cow&value=${result.cowTag}` : ""),
  );
  return result;
}

/**
 * The demo's orders whose delivery day has passed were delivered: the rider collected the cash
 * and handed it in that day. Through the shop's and payments' doors, so the books have the sales,
 * their VAT, the cost of the goods and the cash, as the live system would have posted them.
 */
async function deliverPast(
  c: Contexts,
  numbers: string[],
  today: string,
  clock: { set(d: Date): void },
): Promise<number> {
  const staff = (await c.identity.listUsers({ role: "admin", status: "active", limit: 1 })).rows[0];
  if (!staff) return 0;
  // The seeded rider (rider@…) carried them; the admin when there is none.
  const riderUser =
    (await c.identity.listUsers({ role: "rider", status: "active", limit: 1 })).rows[0] ?? staff;
  const name = (riderUser.displayName ?? "").trim();
  const rider = { riderId: riderUser.id, rider: name.length >= 2 ? name.slice(0, 80) : "Rider" };
  let delivered = 0;
  const handed = new Map<string, number>(); // the rider's cash per day so far
  for (const number of numbers) {
    const o = await c.shop.order(number);
    if (!o || o.deliveryDate >= today || o.status !== "confirmed") continue;
    clock.set(new Date(`${o.deliveryDate}T03:00:00Z`)); // 09:00 in Dhaka
    for (const to of ["packed", "out_for_delivery"] as const) {
      await c.shop.setOrderStatus({ orderId: o.id, to, actorId: staff.id });
    }
    await c.shop.setOrderStatus({
      orderId: o.id,
      to: "delivered",
      actorId: staff.id,
      cod: { ...rider, amountMinor: o.totalMinor },
    });
    const day = (handed.get(o.deliveryDate) ?? 0) + o.totalMinor;
    handed.set(o.deliveryDate, day);
    await c.payments.recordHandin({
      ...rider,
      handedOn: o.deliveryDate,
      amountMinor: day,
      actorId: staff.id,
    });
    delivered++;
  }
  return delivered;
}

/** One production order of `item` on `day`: planned, started (FEFO), finished as planned. */
async function produce(c: Contexts, item: string, day: string): Promise<boolean> {
  const qty = item === SOLD ? 120 : 200;
  const order = await c.production.createOrder(
    { outputItemCode: item, plannedQty: qty, plannedOn: day },
    ACTOR,
  );
  try {
    await c.production.startOrder(order.id, { mode: "fefo", on: day }, ACTOR);
  } catch {
    await c.production.cancelOrder(order.id, ACTOR); // no released milk that day
    return false;
  }
  const done = await c.production.finishOrder(order.id, { actualQty: qty, producedOn: day }, ACTOR);
  // The finished goods come out in quarantine; the demo's quality check passed.
  for (const out of done.outputs) {
    await c.inventory.setLotStatus({
      lotId: out.lotId,
      status: "released",
      reason: "Demo: finished-goods tests passed",
      actor: ACTOR,
    });
  }
  return true;
}

/** The shop's pack of the product the demo sells. */
async function soldVariant(c: Contexts) {
  for (const { slug } of await c.shop.productSlugs()) {
    if (!slug.includes("doi")) continue;
    const v = (await c.shop.product(slug))?.variants.find((v) => v.sku === SOLD_SKU);
    if (v) return v;
  }
  return null;
}
