/**
 * Parcels with a courier (Pathao): the zone's courier choice, a price quote shown to staff, the
 * parcel booked from an order (its consignment number kept), and the courier's status webhooks
 * (secret checked, forged ones refused) moving the order through the shop's door: picked up →
 * out for delivery, delivered → delivered with the cash the courier collected.
 */
import { emitWebhookEvent } from "@/services/webhooks/mod.ts";
import type { Sql } from "@/services/platform/db.ts";
import { toMinor } from "@/services/platform/db.ts";
import { ConflictError, NotFoundError, ValidationError } from "@/services/platform/errors.ts";
import type { DeliveryShop } from "./mod.ts";
import type { CodCourier } from "@/services/payments/mod.ts";
import { localPhone, type Pathao } from "./couriers/pathao.ts";
import type { Steadfast } from "./couriers/steadfast.ts";
import type { Paperfly } from "./couriers/paperfly.ts";

/** Couriers without status webhooks: their open parcels are polled. */
export const POLLED_COURIERS = ["paperfly"] as const;
/** A polled parcel is asked again after this long. */
export const POLL_EVERY_MS = 10 * 60_000;
/** The couriers a parcel can be booked with. */
export const PARCEL_COURIERS = ["pathao", "steadfast", "paperfly"] as const;
export type ParcelCourier = typeof PARCEL_COURIERS[number];

const FINAL = ["delivered", "returned", "cancelled"];
const NAMES: Record<string, string> = {
  pathao: "Pathao",
  steadfast: "Steadfast",
  paperfly: "Paperfly",
};
/** The courier's name as people read it. */
export const courierName = (code: string): string => NAMES[code] ?? code;

export interface ZoneCourier {
  zoneId: number;
  courier: "own" | "pathao" | "steadfast" | "paperfly";
  pathaoCity: number | null;
  pathaoZone: number | null;
}

export interface Parcel {
  orderNumber: string;
  courier: string;
  consignmentId: string;
  status: string;
  feeMinor: number;
  codMinor: number;
}

const toParcel = (r: Record<string, any>): Parcel => ({
  orderNumber: r.order_number,
  courier: r.courier,
  consignmentId: r.consignment_id,
  status: r.status,
  feeMinor: toMinor(r.fee_minor),
  codMinor: toMinor(r.cod_minor),
});

/** Pathao's event names ("order.delivered", "Delivered", "in-transit") as one word. */
export function pathaoStatus(event: unknown): string {
  return String(event ?? "").toLowerCase().replace(/^order\./, "").replace(/[-\s]/g, "_");
}

function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return d === 0;
}

export function createCouriers(deps: {
  sql: Sql;
  shop: DeliveryShop;
  pathao: Pathao | null;
  steadfast?: Steadfast | null;
  paperfly?: Paperfly | null;
  clock?: { now(): Date };
}) {
  const { sql, shop, pathao } = deps;
  const steadfast = deps.steadfast ?? null;
  const paperfly = deps.paperfly ?? null;
  const now = () => deps.clock?.now() ?? new Date();

  /**
   * A courier's status for a parcel, whoever told us (webhook or polling): recorded as an event
   * and on the parcel; on its way → the order out for delivery; delivered → the order delivered
   * once, with the cash the courier collected (`collectedMinor`, else the parcel's COD).
   */
  async function applyStatus(
    p: Record<string, any>,
    status: string,
    body: unknown,
    collectedMinor?: number,
  ): Promise<void> {
    await sql`
      insert into delivery_courier_events (courier, consignment_id, status, body)
      values (${p.courier}, ${p.consignment_id}, ${status}, ${sql.json(body as never)})`;
    await sql`
      update delivery_parcels set status = ${status}, updated_at = now()
      where consignment_id = ${p.consignment_id}`;
    // Partners' webhooks (services/webhooks): delivery.updated, by webhook or by polling alike.
    await emitWebhookEvent(sql, {
      type: "delivery.updated",
      data: {
        orderNumber: p.order_number,
        carrier: p.courier,
        consignmentId: p.consignment_id,
        status,
      },
      dedupeKey: `delivery.updated:${p.courier}:${p.consignment_id}:${status}`,
    });
    const o = await shop.order(p.order_number);
    if (!o) return;
    const actorId = p.created_by;
    const out = async () => {
      if (o.status === "confirmed") {
        await shop.setOrderStatus({ orderId: o.id, to: "packed", actorId });
      }
      if (o.status === "confirmed" || o.status === "packed") {
        await shop.setOrderStatus({ orderId: o.id, to: "out_for_delivery", actorId });
      }
    };
    // The words each courier uses for a parcel on its way to the customer.
    const moving: Record<string, string[]> = {
      pathao: ["picked", "in_transit", "assigned_for_delivery"],
      steadfast: ["pending", "hold"],
      paperfly: ["picked", "in_transit", "received_at_hub", "assigned_for_delivery", "on_hold"],
    };
    if (moving[p.courier]?.includes(status)) await out();
    if (status === "returned" && p.status !== "returned") {
      await shop.notifyDeliveryStep(o.id, {
        event: "parcel_returned",
        key: `${p.courier}:${p.consignment_id}`,
      });
      // The parcel is back with us: the order is cancelled, its goods go back into their lots
      // and what was paid online is refunded (the shop's cancellation).
      if (["confirmed", "packed", "out_for_delivery"].includes(o.status)) {
        await shop.setOrderStatus({
          orderId: o.id,
          to: "cancelled",
          actorId,
          note: `Returned by ${courierName(p.courier)} ${p.consignment_id}`,
          goodsBack: true,
        });
      }
    }
    if (
      ["delivered", "partial_delivered"].includes(status) && o.status !== "delivered"
    ) {
      await out();
      await shop.setOrderStatus({
        orderId: o.id,
        to: "delivered",
        actorId,
        note: `${courierName(p.courier)} ${p.consignment_id}`,
        cod: {
          courier: p.courier as CodCourier,
          rider: courierName(p.courier),
          amountMinor: collectedMinor ?? toMinor(p.cod_minor),
        },
      });
    }
  }

  async function zoneCourier(zoneId: number): Promise<ZoneCourier> {
    const [r] = await sql`select * from delivery_zone_couriers where zone_id = ${zoneId}`;
    return r
      ? { zoneId, courier: r.courier, pathaoCity: r.pathao_city, pathaoZone: r.pathao_zone }
      : { zoneId, courier: "own", pathaoCity: null, pathaoZone: null };
  }

  /** Couriers a parcel may go with: those configured here. */
  const configured = (): ParcelCourier[] =>
    PARCEL_COURIERS.filter((c) =>
      c === "pathao" ? pathao !== null : c === "steadfast" ? steadfast !== null : paperfly !== null
    );

  /** An order and the courier it goes with: `via` when staff chose one, else its zone's. */
  async function orderFor(number: string, via?: ParcelCourier) {
    const o = await shop.order(number);
    if (!o) throw new NotFoundError("No such order");
    const zone = await zoneCourier(o.zoneId);
    if (via !== undefined && !PARCEL_COURIERS.includes(via)) {
      throw new ValidationError({ courier: "Choose a courier" });
    }
    const z = via ? { ...zone, courier: via } : zone;
    if (z.courier === "paperfly") {
      if (!paperfly) throw new ValidationError({ courier: "Paperfly is not configured" });
      return { o, z: z as ZoneCourier & { pathaoCity: number; pathaoZone: number } };
    }
    if (z.courier === "steadfast") {
      if (!steadfast) throw new ValidationError({ courier: "Steadfast is not configured" });
      return { o, z: z as ZoneCourier & { pathaoCity: number; pathaoZone: number } };
    }
    if (!pathao) throw new ValidationError({ courier: "Pathao is not configured" });
    if (!z.pathaoCity || !z.pathaoZone) {
      throw new ValidationError({ courier: "Set Pathao's city and zone for this delivery zone" });
    }
    return { o, z: z as ZoneCourier & { pathaoCity: number; pathaoZone: number } };
  }

  return {
    configured,
    pathaoConfigured: () => pathao !== null,
    steadfastConfigured: () => steadfast !== null,
    paperflyConfigured: () => paperfly !== null,
    zoneCourier,
    zoneCouriers: async (): Promise<ZoneCourier[]> =>
      (await sql`select * from delivery_zone_couriers order by zone_id`).map((r) => ({
        zoneId: r.zone_id,
        courier: r.courier,
        pathaoCity: r.pathao_city,
        pathaoZone: r.pathao_zone,
      })),
    /** The courier of a zone (own riders, or Pathao with its city and zone ids). */
    async setZoneCourier(input: ZoneCourier): Promise<void> {
      if (!(await shop.activeZones()).some((z) => z.id === input.zoneId)) {
        throw new ValidationError({ zoneId: "Choose a zone" });
      }
      if (!["own", "pathao", "steadfast", "paperfly"].includes(input.courier)) {
        throw new ValidationError({ courier: "Choose a courier" });
      }
      const pathaoIds = input.courier === "pathao";
      if (pathaoIds && !(Number.isInteger(input.pathaoCity) && Number(input.pathaoCity) > 0)) {
        throw new ValidationError({ pathaoCity: "Enter Pathao's city id" });
      }
      if (pathaoIds && !(Number.isInteger(input.pathaoZone) && Number(input.pathaoZone) > 0)) {
        throw new ValidationError({ pathaoZone: "Enter Pathao's zone id" });
      }
      await sql`
        insert into delivery_zone_couriers (zone_id, courier, pathao_city, pathao_zone)
        values (${input.zoneId}, ${input.courier}, ${input.pathaoCity ?? null},
          ${input.pathaoZone ?? null})
        on conflict (zone_id) do update set courier = excluded.courier,
          pathao_city = excluded.pathao_city, pathao_zone = excluded.pathao_zone,
          updated_at = now()`;
    },
    /** Pathao's price for an order's parcel (poisha), shown to staff before booking. */
    async quote(number: string, weightKg = 1, via?: ParcelCourier) {
      const { z } = await orderFor(number, via);
      if (z.courier === "steadfast") return steadfast!.quote();
      if (z.courier === "paperfly") return paperfly!.quote();
      return await pathao!.quote({
        recipientCity: z.pathaoCity,
        recipientZone: z.pathaoZone,
        weightKg,
      });
    },
    parcel: async (number: string): Promise<Parcel | null> => {
      const [r] = await sql`select * from delivery_parcels where order_number = ${number}`;
      return r ? toParcel(r) : null;
    },
    /** Parcels by order number (the picking sheet's consignment numbers). */
    async parcels(numbers: string[]): Promise<Map<string, Parcel>> {
      const rows = await sql`
        select * from delivery_parcels where order_number = any(${numbers}::text[])`;
      return new Map(rows.map((r) => [r.order_number as string, toParcel(r)]));
    },
    /**
     * A day's orders in Pathao zones: those waiting (confirmed or packed, on no route and not
     * booked) with Pathao's price, and the parcels booked.
     */
    async day(date: string) {
      const pathaoZones = new Set(
        (await sql`select zone_id from delivery_zone_couriers where courier <> 'own'`)
          .map((r) => Number(r.zone_id)),
      );
      const { rows } = await shop.adminOrders({ date, limit: 500 });
      const ids = rows.map((o) => o.id);
      const booked = new Map(
        (await sql`select * from delivery_parcels where order_id = any(${ids}::uuid[])`)
          .map((r) => [r.order_id as string, toParcel(r)]),
      );
      const onRoute = new Set(
        (await sql`select order_id from delivery_stops where order_id = any(${ids}::uuid[])`)
          .map((r) => r.order_id as string),
      );
      const waiting = [];
      for (const o of rows) {
        if (!pathaoZones.has(o.zoneId) || booked.has(o.id) || onRoute.has(o.id)) continue;
        if (o.status !== "confirmed" && o.status !== "packed") continue;
        const priceMinor = await this.quote(o.number).then((q) => q.finalPriceMinor, () => null);
        // Each configured courier's price, for staff who send this one parcel another way.
        const prices: Partial<Record<ParcelCourier, number | null>> = {};
        for (const c of configured()) {
          prices[c] = await this.quote(o.number, 1, c).then((q) => q.finalPriceMinor, () => null);
        }
        const courier = (await zoneCourier(o.zoneId)).courier;
        waiting.push({
          number: o.number,
          zoneId: o.zoneId,
          status: o.status,
          courier,
          priceMinor,
          prices,
        });
      }
      return { waiting, parcels: [...booked.values()] };
    },
    /** Books an order's parcel with Pathao (once: a booked order answers its parcel). */
    async book(
      number: string,
      actorId: string,
      weightKg = 1,
      via?: ParcelCourier,
    ): Promise<Parcel> {
      const [had] = await sql`select * from delivery_parcels where order_number = ${number}`;
      if (had) return toParcel(had);
      const { o, z } = await orderFor(number, via);
      if (!["confirmed", "packed"].includes(o.status)) {
        throw new ConflictError(
          `Order ${o.number} is ${o.status}: only confirmed or packed orders`,
        );
      }
      const [onRoute] = await sql`select 1 from delivery_stops where order_id = ${o.id}`;
      if (onRoute) throw new ConflictError("This order is on one of our riders' routes");
      const cod = o.paymentMethod === "cod" ? Math.max(0, o.totalMinor - o.paidMinor) : 0;
      const address = [o.contact.line, o.geoNames.upazila, o.geoNames.district].join(", ");
      // The booking, recorded once (a booking racing this one keeps its own); a confirmed order
      // is packed once its parcel is booked.
      const record = async (
        courier: ParcelCourier,
        label: string,
        r: { consignmentId: string; status: string; feeMinor: number },
        polledAt: Date | null,
      ) => {
        await sql`
          insert into delivery_parcels (order_id, order_number, courier, consignment_id, status,
            fee_minor, cod_minor, created_by, polled_at)
          values (${o.id}, ${o.number}, ${courier}, ${r.consignmentId}, ${r.status},
            ${r.feeMinor}, ${cod}, ${actorId}, ${polledAt})
          on conflict (order_id) do nothing`;
        if (o.status === "confirmed") {
          await shop.setOrderStatus({ orderId: o.id, to: "packed", actorId, note: label });
        }
        const [row] = await sql`select * from delivery_parcels where order_id = ${o.id}`;
        return toParcel(row);
      };
      if (z.courier === "paperfly") {
        const r = await paperfly!.createParcel({
          reference: o.number,
          name: o.contact.recipient,
          phone: localPhone(o.contact.phone),
          address: address.slice(0, 250),
          thana: o.geoNames.upazila,
          district: o.geoNames.district,
          codMinor: cod,
          weightKg,
        });
        return await record("paperfly", "Paperfly", r, now());
      }
      if (z.courier === "steadfast") {
        const r = await steadfast!.createParcel({
          invoice: o.number,
          recipientName: o.contact.recipient,
          recipientPhone: localPhone(o.contact.phone),
          recipientAddress: address.slice(0, 250),
          codMinor: cod,
        });
        return await record("steadfast", "Steadfast", r, null);
      }
      const r = await pathao!.createParcel({
        merchantOrderId: o.number,
        recipientName: o.contact.recipient,
        recipientPhone: localPhone(o.contact.phone),
        recipientAddress: address.slice(0, 220),
        recipientCity: z.pathaoCity,
        recipientZone: z.pathaoZone,
        weightKg,
        amountToCollectMinor: cod,
      });
      return await record("pathao", "Pathao", { ...r, status: pathaoStatus(r.status) }, null);
    },
    /**
     * Polls the couriers without webhooks (Paperfly) for their open parcels not asked in the last
     * POLL_EVERY_MS (by the injected clock) and applies what changed. A courier that does not
     * answer is asked again next time; the others go on. Returns how many were asked / changed.
     */
    async poll(): Promise<{ asked: number; changed: number; failed: number }> {
      const r = { asked: 0, changed: 0, failed: 0 };
      if (!paperfly) return r;
      const due = new Date(now().getTime() - POLL_EVERY_MS);
      const open = await sql`
        select * from delivery_parcels
        where courier = any(${[...POLLED_COURIERS]}::text[])
          and status <> all(${FINAL}::text[])
          and (polled_at is null or polled_at <= ${due})
        order by polled_at nulls first limit 200`;
      for (const p of open) {
        r.asked++;
        try {
          const t = await paperfly.track(p.order_number);
          await sql`update delivery_parcels set polled_at = ${now()} where order_id = ${p.order_id}`;
          if (t.status !== p.status) {
            await applyStatus(p, t.status, t.raw);
            r.changed++;
          }
        } catch (e) {
          r.failed++;
          if (!(e instanceof Error && e.name === "CourierError")) throw e;
        }
      }
      return r;
    },
    /**
     * Steadfast's status webhook: believed only with our token as `Authorization: Bearer`;
     * delivered (or partly) → the order delivered with the COD Steadfast collected.
     */
    async steadfastWebhook(headers: Headers, body: unknown): Promise<Response> {
      if (!steadfast) {
        return Response.json({ error: "Steadfast is not configured" }, { status: 404 });
      }
      const auth = (headers.get("authorization") ?? "").replace(/^Bearer\s+/i, "");
      if (!auth || !steadfast.webhookToken || !sameText(auth, steadfast.webhookToken)) {
        return Response.json({ status: "error", message: "Unauthorized" }, { status: 401 });
      }
      const ok = () =>
        Response.json({ status: "success", message: "Webhook received successfully." });
      const b = (body ?? {}) as Record<string, unknown>;
      if (!b.consignment_id) return ok();
      const id = String(b.consignment_id);
      const status = String(b.status ?? b.notification_type ?? "").toLowerCase();
      const [p] = await sql`
        select * from delivery_parcels where consignment_id = ${id} and courier = 'steadfast'`;
      if (!p) {
        return Response.json({ status: "error", message: "Unknown consignment" }, { status: 404 });
      }
      await applyStatus(
        p,
        status,
        b,
        b.cod_amount !== undefined ? Math.round(Number(b.cod_amount) * 100) : undefined,
      );
      return ok();
    },
    /**
     * Pathao's status webhook. Refused (401) unless X-PATHAO-Signature carries our integration
     * secret; answered 202 with the secret header, as Pathao asks.
     */
    async pathaoWebhook(headers: Headers, body: unknown): Promise<Response> {
      if (!pathao) return Response.json({ error: "Pathao is not configured" }, { status: 404 });
      const sig = headers.get("x-pathao-signature") ?? "";
      if (!sig || !sameText(sig, pathao.webhookSecret)) {
        return Response.json({ error: "bad signature" }, { status: 401 });
      }
      const reply = () =>
        new Response(null, {
          status: 202,
          headers: { "X-Pathao-Merchant-Webhook-Integration-Secret": pathao.webhookSecret },
        });
      const b = (body ?? {}) as Record<string, unknown>;
      const status = pathaoStatus(b.event ?? b.order_status);
      // Pathao's test call when the webhook is set up: no consignment.
      if (!b.consignment_id) return reply();
      const id = String(b.consignment_id);
      const [p] = await sql`
        select * from delivery_parcels where consignment_id = ${id} and courier = 'pathao'`;
      if (!p) return Response.json({ error: "unknown consignment" }, { status: 404 });
      await applyStatus(
        p,
        status,
        b,
        b.collected_amount !== undefined ? Math.round(Number(b.collected_amount) * 100) : undefined,
      );
      return reply();
    },
  };
}
