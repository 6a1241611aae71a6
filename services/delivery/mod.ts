/**
 * The delivery context's door (issue 15 §4–§5): the customer's tracking page (an unguessable
 * signed link per order), our own fleet's routes per zone, slot and day with ordered stops, and
 * the riders' phone page with its offline sync. It owns the delivery_* tables; orders are the
 * shop's and change only through the shop's door (setOrderStatus, with the COD collected).
 */
import { emitWebhookEvent } from "@/services/webhooks/mod.ts";
import type { Sql } from "@/services/platform/db.ts";
import { inTx } from "@/services/platform/tx.ts";
import { deriveSecret } from "@/services/platform/secrets.ts";
import { ConflictError, NotFoundError, ValidationError } from "@/services/platform/errors.ts";
import { dhakaDate, isDate } from "@/services/platform/dhaka.ts";
import { z } from "@/services/platform/schema.ts";
import type { OrderDetail, Shop } from "@/services/shop/mod.ts";
import { decodeProof, parseSyncEntry, type RiderSyncResult } from "./sync.ts";
import { courierName, createCouriers } from "./courier.ts";
import { remittances } from "./remittances.ts";
import type { Paperfly } from "./couriers/paperfly.ts";
import type { Pathao } from "./couriers/pathao.ts";
import type { Steadfast } from "./couriers/steadfast.ts";

export { deliveryMessages } from "./messages.ts";
export type { DeliveryMessages } from "./messages.ts";
export { MAX_PROOF_CHARS, MAX_RIDER_SYNC_ENTRIES, riderSyncRequestSchema } from "./sync.ts";
export type { RiderSyncResult } from "./sync.ts";
export { dhakaDate, dhakaTime, isDate } from "@/services/platform/dhaka.ts";
export { ValidationError } from "@/services/platform/errors.ts";
export { createPathao } from "./couriers/pathao.ts";
export { createSteadfast } from "./couriers/steadfast.ts";
export { createPaperfly } from "./couriers/paperfly.ts";
export { needsFakeCouriers, startFakeCouriers } from "./couriers/fakes.ts";
export type { FakeCouriers } from "./couriers/fakes.ts";
export type { Pathao, PathaoSettings } from "./couriers/pathao.ts";
export type { Parcel, ZoneCourier } from "./courier.ts";
export { courierName, PARCEL_COURIERS, type ParcelCourier, POLL_EVERY_MS } from "./courier.ts";
export { REMITTING_COURIERS } from "./remittances.ts";
export type { Remittance, RemittanceLine } from "./remittances.ts";

/** What delivery uses of the shop's door. */
export type DeliveryShop = Pick<
  Shop,
  "order" | "setOrderStatus" | "adminOrders" | "slots" | "activeZones" | "notifyDeliveryStep"
>;

export interface DeliveryDeps {
  sql: Sql;
  clock: { now(): Date };
  appSecret: string;
  /** The site's public origin (https://…): tracking links go into SMS. */
  origin: () => string;
  shop: DeliveryShop;
  /** Identity's door: the active riders, and people's names. */
  people: {
    riders(): Promise<{ id: string; name: string }[]>;
    displayName(id: string): Promise<string | null>;
  };
  /** Pathao's merchant API (null: not configured). */
  pathao?: Pathao | null;
  /** Steadfast's merchant API (null: not configured). */
  steadfast?: Steadfast | null;
  /** Paperfly's merchant API (null: not configured); polled, it has no webhooks. */
  paperfly?: Paperfly | null;
}

export interface TrackingView {
  number: string;
  status: OrderDetail["status"];
  deliveryDate: string;
  slot: { nameEn: string; nameBn: string; startsAt: string; endsAt: string } | null;
  zone: { nameEn: string; nameBn: string };
  events: { toStatus: string; at: Date }[];
  rider: string | null;
  /** The recipient's one-time code, while the order is on its way. */
  handoverCode: string | null;
  failed: { reason: string; at: Date } | null;
  /** The courier carrying the parcel, with its consignment number. */
  courier: { name: string; consignmentId: string; status: string } | null;
}

export interface RouteRow {
  id: string;
  deliveryDate: string;
  zoneId: number;
  slotCode: string;
  riderId: string;
  riderName: string;
  status: "planned" | "dispatched";
  stops: number;
  done: number;
}

export interface StopView {
  id: number;
  seq: number;
  orderNumber: string;
  status: "pending" | "delivered" | "failed";
  recipient: string;
  phone: string;
  address: string;
  mapUrl: string;
  codDueMinor: number;
  failReason: string | null;
  /** How delivery was proven: code, note, photo or signature (photo/signature: an image). */
  proof: string | null;
}

const TRACK_SEP = ".";
const SIG_HEX = 32; // 128 bits

export const routeInputSchema = z.object({
  date: z.string().refine(isDate, "Enter a date"),
  zoneId: z.coerce.number().int().positive("Choose a zone"),
  slotCode: z.string().regex(/^[a-z0-9_]{2,20}$/, "Choose a slot"),
  riderId: z.uuid("Choose a rider"),
});
export type RouteInput = z.infer<typeof routeInputSchema>;

function fourDigits(): string {
  const [n] = crypto.getRandomValues(new Uint32Array(1));
  return String(n % 10000).padStart(4, "0");
}

function equalText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return d === 0;
}

export function createDelivery(deps: DeliveryDeps) {
  const { sql, shop } = deps;
  const now = () => deps.clock.now();
  const couriers = createCouriers({
    sql,
    shop,
    pathao: deps.pathao ?? null,
    steadfast: deps.steadfast ?? null,
    paperfly: deps.paperfly ?? null,
    clock: deps.clock,
  });

  async function signature(number: string): Promise<string> {
    return (await deriveSecret(deps.appSecret, `delivery.track:${number}`)).slice(0, SIG_HEX);
  }

  /** The order number a tracking token names, or null when the token was not made by us. */
  async function verifyToken(token: string): Promise<string | null> {
    const at = token.lastIndexOf(TRACK_SEP);
    if (at <= 0 || token.length > 80) return null;
    const number = token.slice(0, at);
    const sig = token.slice(at + 1);
    if (!/^[0-9a-f]+$/.test(sig)) return null;
    return equalText(sig, await signature(number)) ? number : null;
  }

  async function trackingToken(number: string): Promise<string> {
    return `${number}${TRACK_SEP}${await signature(number)}`;
  }

  async function stopViews(
    rows: Record<string, any>[],
  ): Promise<StopView[]> {
    const out: StopView[] = [];
    for (const r of rows) {
      const o = await shop.order(r.order_number);
      if (!o) continue;
      const address = [o.contact.line, o.geoNames.upazila, o.geoNames.district].join(", ");
      out.push({
        id: Number(r.id),
        seq: r.seq,
        orderNumber: r.order_number,
        status: r.status,
        recipient: o.contact.recipient,
        phone: o.contact.phone,
        address,
        mapUrl: `https://www.google.com/maps/search/?api=1&query=${encodeURIComponent(address)}`,
        codDueMinor: o.paymentMethod === "cod" ? Math.max(0, o.totalMinor - o.paidMinor) : 0,
        failReason: r.fail_reason ?? null,
        proof: r.proof ?? null,
      });
    }
    return out;
  }

  async function routeRows(where: { date?: string; riderId?: string }): Promise<RouteRow[]> {
    const rows = await sql`
      select r.id, r.delivery_date::text as delivery_date, r.zone_id, r.slot_code, r.rider_id,
             r.status,
             (select count(*)::int from delivery_stops s where s.route_id = r.id) as stops,
             (select count(*)::int from delivery_stops s
               where s.route_id = r.id and s.status <> 'pending') as done
      from delivery_routes r
      where (${where.date ?? null}::date is null or r.delivery_date = ${where.date ?? null}::date)
        and (${where.riderId ?? null}::uuid is null or r.rider_id = ${where.riderId ?? null}::uuid)
      order by r.delivery_date, r.slot_code, r.zone_id, r.created_at`;
    const names = new Map<string, string>();
    for (const r of rows) {
      if (!names.has(r.rider_id)) {
        names.set(r.rider_id, (await deps.people.displayName(r.rider_id)) ?? "—");
      }
    }
    return rows.map((r) => ({
      id: r.id,
      deliveryDate: r.delivery_date,
      zoneId: Number(r.zone_id),
      slotCode: r.slot_code,
      riderId: r.rider_id,
      riderName: names.get(r.rider_id)!,
      status: r.status,
      stops: r.stops,
      done: r.done,
    }));
  }

  return {
    /** Couriers (Pathao): zone choice, quotes, parcels, status webhooks (courier.ts). */
    couriers,
    /** Couriers' COD remittances matched against our delivered parcels (remittances.ts). */
    remittances: remittances(sql),
    trackingToken,
    verifyToken,
    /** The customer's tracking page of an order (absolute: it goes into SMS). */
    async trackingUrl(number: string): Promise<string> {
      return `${deps.origin()}/track/${await trackingToken(number)}`;
    },

    /** What the tracking page shows; null for a forged or unknown token. */
    async tracking(token: string): Promise<TrackingView | null> {
      const number = await verifyToken(token);
      if (!number) return null;
      return await this.trackingOf(number);
    },

    /** The same view by order number (the public API's partners; the tracking page by token). */
    async trackingOf(number: string): Promise<TrackingView | null> {
      const o = await shop.order(number);
      if (!o) return null;
      const slot = (await shop.slots(false)).find((s) => s.code === o.slotCode) ?? null;
      const [stop] = await sql`
        select s.status, s.handover_code, s.fail_reason, s.done_at, r.rider_id, r.status as route_status
        from delivery_stops s join delivery_routes r on r.id = s.route_id
        where s.order_id = ${o.id}`;
      const rider = stop ? await deps.people.displayName(stop.rider_id) : null;
      const parcel = await couriers.parcel(o.number);
      return {
        number: o.number,
        status: o.status,
        deliveryDate: o.deliveryDate,
        slot: slot &&
          {
            nameEn: slot.nameEn,
            nameBn: slot.nameBn,
            startsAt: slot.startsAt,
            endsAt: slot.endsAt,
          },
        zone: { nameEn: o.zoneNameEn, nameBn: o.zoneNameBn },
        events: o.events.map((e) => ({ toStatus: e.toStatus, at: e.at })),
        rider,
        handoverCode: stop && stop.status === "pending" && o.status === "out_for_delivery"
          ? stop.handover_code
          : null,
        failed: stop?.status === "failed" ? { reason: stop.fail_reason, at: stop.done_at } : null,
        courier: parcel && {
          name: courierName(parcel.courier),
          consignmentId: parcel.consignmentId,
          status: parcel.status,
        },
      };
    },

    /** How an order's delivery was proven (code, note, photo, signature), for staff. */
    async proofOf(orderNumber: string): Promise<
      {
        stopId: number;
        proof: string | null;
        note: string | null;
        image: { kind: string; bytes: number } | null;
        at: Date | null;
      } | null
    > {
      const [r] = await sql`
        select s.id, s.proof, s.note, s.done_at, p.kind, p.bytes
        from delivery_stops s left join delivery_proofs p on p.stop_id = s.id
        where s.order_number = ${orderNumber} and s.status = 'delivered'`;
      if (!r) return null;
      return {
        stopId: Number(r.id),
        proof: r.proof,
        note: r.note,
        image: r.kind ? { kind: r.kind, bytes: r.bytes } : null,
        at: r.done_at,
      };
    },
    /** A stop's proof image (staff only: the route checks). */
    async proofImage(
      stopId: number,
    ): Promise<{ mime: string; data: Uint8Array<ArrayBuffer> } | null> {
      if (!Number.isSafeInteger(stopId) || stopId <= 0) return null;
      const [r] = await sql`select mime, data from delivery_proofs where stop_id = ${stopId}`;
      return r ? { mime: r.mime, data: new Uint8Array(r.data) } : null;
    },

    // ---- own fleet (staff) ----
    riders: () => deps.people.riders(),
    routes: (date: string) => routeRows({ date }),
    async route(id: string) {
      if (!z.uuid().safeParse(id).success) return null;
      const [r] = await routeRows({}).then((all) => all.filter((x) => x.id === id));
      if (!r) return null;
      const stops = await sql`
        select id, seq, order_number, status, fail_reason, proof from delivery_stops
        where route_id = ${id} order by seq, id`;
      return { ...r, stops: await stopViews(stops) };
    },

    /**
     * Makes a route for a day, zone and slot with a rider, its stops the orders of that day, zone
     * and slot that are confirmed or packed and on no route yet. Refuses an empty route.
     */
    async createRoute(input: unknown, actorId: string): Promise<string> {
      const parsed = routeInputSchema.safeParse(input);
      if (!parsed.success) throw ValidationError.fromZod(parsed.error);
      const v = parsed.data;
      if (!(await shop.activeZones()).some((zn) => zn.id === v.zoneId)) {
        throw new ValidationError({ zoneId: "Choose a zone" });
      }
      if (!(await shop.slots(false)).some((s) => s.code === v.slotCode)) {
        throw new ValidationError({ slotCode: "Choose a slot" });
      }
      if (!(await deps.people.riders()).some((r) => r.id === v.riderId)) {
        throw new ValidationError({ riderId: "Choose a rider" });
      }
      const { rows } = await shop.adminOrders({ date: v.date, limit: 500 });
      // Oldest first: the order they were placed in, until staff move them.
      const wanted = rows.filter((o) =>
        o.zoneId === v.zoneId && o.slotCode === v.slotCode &&
        (o.status === "confirmed" || o.status === "packed")
      ).sort((a, b) =>
        a.placedAt.getTime() - b.placedAt.getTime() || a.number.localeCompare(b.number)
      );
      return await inTx(sql, async (tx) => {
        const ids = wanted.map((o) => o.id);
        // Orders already on a route, or booked with a courier, are not ours to carry.
        const taken = new Set(
          (await tx`
            select order_id from delivery_stops where order_id = any(${ids}::uuid[])
            union select order_id from delivery_parcels where order_id = any(${ids}::uuid[])`)
            .map((r) => r.order_id as string),
        );
        const free = wanted.filter((o) => !taken.has(o.id));
        if (free.length === 0) {
          throw new ValidationError({
            form: "No confirmed or packed order waits in this zone and slot",
          });
        }
        const [dup] = await tx`
          select id from delivery_routes where delivery_date = ${v.date} and zone_id = ${v.zoneId}
            and slot_code = ${v.slotCode} and rider_id = ${v.riderId}`;
        const routeId: string = dup?.id ?? (await tx`
          insert into delivery_routes (delivery_date, zone_id, slot_code, rider_id, created_by)
          values (${v.date}, ${v.zoneId}, ${v.slotCode}, ${v.riderId}, ${actorId})
          returning id`)[0].id;
        const [{ last }] = await tx`
          select coalesce(max(seq), 0)::int as last from delivery_stops where route_id = ${routeId}`;
        let seq = last;
        for (const o of free) {
          await tx`
            insert into delivery_stops (route_id, order_id, order_number, seq, handover_code)
            values (${routeId}, ${o.id}, ${o.number}, ${++seq}, ${fourDigits()})`;
        }
        return routeId;
      });
    },

    /** Moves a stop one place up or down the route (stop order is the rider's order). */
    async moveStop(routeId: string, stopId: number, dir: "up" | "down"): Promise<void> {
      await inTx(sql, async (tx) => {
        const stops = await tx`
          select id, seq from delivery_stops where route_id = ${routeId} order by seq, id for update`;
        const i = stops.findIndex((s) => Number(s.id) === stopId);
        if (i < 0) throw new NotFoundError("No such stop on this route");
        const j = dir === "up" ? i - 1 : i + 1;
        if (j < 0 || j >= stops.length) return;
        const order = stops.map((s) => Number(s.id));
        [order[i], order[j]] = [order[j], order[i]];
        for (let k = 0; k < order.length; k++) {
          await tx`update delivery_stops set seq = ${k + 1} where id = ${order[k]}`;
        }
      });
    },

    /** Sends a route out: each pending stop's order becomes out for delivery (shop's door). */
    async dispatch(routeId: string, actorId: string): Promise<void> {
      const [r] = await sql`select id, status from delivery_routes where id = ${routeId}`;
      if (!r) throw new NotFoundError("No such route");
      const stops = await sql`
        select order_id, order_number from delivery_stops
        where route_id = ${routeId} and status = 'pending' order by seq`;
      for (const s of stops) {
        const o = await shop.order(s.order_number);
        if (!o) continue;
        if (o.status === "confirmed") {
          await shop.setOrderStatus({ orderId: o.id, to: "packed", actorId });
        }
        if (o.status === "confirmed" || o.status === "packed") {
          await shop.setOrderStatus({ orderId: o.id, to: "out_for_delivery", actorId });
        } else if (o.status !== "out_for_delivery") {
          throw new ConflictError(`Order ${o.number} is ${o.status}: take it off the route first`);
        }
      }
      await sql`update delivery_routes set status = 'dispatched' where id = ${routeId}`;
    },

    // ---- the rider's phone ----
    /** A rider's stops of today (Dhaka), in route order, with call and map details. */
    async riderDay(riderId: string) {
      const routes = await routeRows({ date: dhakaDate(now()), riderId });
      const out = [];
      for (const r of routes) {
        const stops = await sql`
          select id, seq, order_number, status, fail_reason, proof from delivery_stops
          where route_id = ${r.id} order by seq, id`;
        out.push({ ...r, stops: await stopViews(stops) });
      }
      return out;
    },

    /**
     * The rider's phone's offline steps, each once (client UUID): delivered (with the
     * recipient's code or a note, and the COD collected) or failed (with a reason). Delivered
     * goes to the shop through its door; a repeated entry gets its first answer again and a stop
     * already done is never done twice.
     */
    async syncRider(
      entries: unknown[],
      rider: { id: string },
    ): Promise<RiderSyncResult[]> {
      const out: RiderSyncResult[] = [];
      const name = (await deps.people.displayName(rider.id)) ?? "rider";
      for (const raw of entries) {
        const p = parseSyncEntry(raw);
        if (!p.ok) {
          out.push(p.result);
          continue;
        }
        const e = p.entry;
        const [seen] = await sql`
          select result from delivery_sync_entries where id = ${e.id}`;
        if (seen) {
          out.push({ ...(seen.result as RiderSyncResult), status: "duplicate" });
          continue;
        }
        const [stop] = await sql`
          select s.id, s.order_id, s.order_number, s.status, s.handover_code, r.rider_id
          from delivery_stops s join delivery_routes r on r.id = s.route_id
          where s.id = ${e.stopId}`;
        const reject = async (code: string, message: string) => {
          const result: RiderSyncResult = { id: e.id, status: "rejected", code, message };
          // A refused step is remembered only when it can never succeed (not someone else's
          // code typo: the rider may enter the right code and send the step again).
          if (code !== "wrong_code") await remember(e.id, rider.id, stop?.id ?? null, result);
          out.push(result);
        };
        if (!stop || stop.rider_id !== rider.id) {
          await reject("not_your_stop", "This stop is not on your route");
          continue;
        }
        if (stop.status !== "pending") {
          const result: RiderSyncResult = {
            id: e.id,
            status: "duplicate",
            stopStatus: stop.status,
          };
          await remember(e.id, rider.id, stop.id, result);
          out.push(result);
          continue;
        }
        const proof = e.action === "delivered" && e.proof ? decodeProof(e.proof.dataUrl) : null;
        if (proof && !proof.ok) {
          await reject("invalid", proof.message);
          continue;
        }
        try {
          if (e.action === "delivered") {
            if (e.code && !equalText(e.code, stop.handover_code)) {
              await reject("wrong_code", "The recipient's code does not match");
              continue;
            }
            await shop.setOrderStatus({
              orderId: stop.order_id,
              to: "delivered",
              actorId: rider.id,
              note: e.note ?? undefined,
              cod: e.codMinor !== undefined
                ? { riderId: rider.id, rider: name, amountMinor: e.codMinor }
                : undefined,
            });
          }
          const result: RiderSyncResult = { id: e.id, status: "applied", stopStatus: e.action };
          const applied = await inTx(sql, async (tx) => {
            const done = await tx`
              update delivery_stops set status = ${e.action},
                proof = ${
              e.action === "delivered" ? (e.code ? "code" : e.proof ? e.proof.kind : "note") : null
            },
                note = ${e.note ?? null}, fail_reason = ${e.reason ?? null},
                cod_minor = ${e.codMinor ?? null}, done_at = ${new Date(
              e.at,
            )}, done_by = ${rider.id}
              where id = ${stop.id} and status = 'pending' returning id`;
            if (done.length && proof?.ok) {
              await tx`
                insert into delivery_proofs (stop_id, kind, mime, data, bytes)
                values (${stop.id}, ${e.proof!.kind}, ${proof.mime}, ${proof.bytes},
                  ${proof.bytes.length})
                on conflict (stop_id) do nothing`;
            }
            await tx`
              insert into delivery_sync_entries (id, user_id, stop_id, status, result)
              values (${e.id}, ${rider.id}, ${stop.id}, ${done.length ? "applied" : "duplicate"},
                ${tx.json(result as never)})
              on conflict (id) do nothing`;
            if (done.length) {
              // Partners' webhooks (services/webhooks): delivery.updated, in this transaction.
              await emitWebhookEvent(tx, {
                type: "delivery.updated",
                data: {
                  orderNumber: stop.order_number ?? null,
                  carrier: "own",
                  status: e.action,
                  reason: e.reason ?? null,
                  at: new Date(e.at).toISOString(),
                },
                dedupeKey: `delivery.updated:stop:${stop.id}:${e.action}`,
              });
            }
            return done.length > 0;
          });
          if (applied && e.action === "failed") {
            await shop.notifyDeliveryStep(stop.order_id, {
              event: "delivery_failed",
              why: e.reason,
              key: `stop${stop.id}`,
            });
          }
          out.push(applied ? result : { id: e.id, status: "duplicate", stopStatus: e.action });
        } catch (err) {
          const status = (err as { status?: number }).status;
          if (status && status < 500) {
            await reject("refused", (err as Error).message);
          } else {
            out.push({ id: e.id, status: "error", message: "Try again later" });
          }
        }
      }
      return out;
    },
  };

  async function remember(
    id: string,
    userId: string,
    stopId: number | null,
    result: RiderSyncResult,
  ): Promise<void> {
    await sql`
      insert into delivery_sync_entries (id, user_id, stop_id, status, result)
      values (${id}, ${userId}, ${stopId}, ${result.status}, ${sql.json(result as never)})
      on conflict (id) do nothing`;
  }
}

export type Delivery = ReturnType<typeof createDelivery>;
