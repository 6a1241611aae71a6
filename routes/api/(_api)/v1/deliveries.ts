/**
 * Deliveries (scope deliveries:read): the own fleet's routes of a day and an order's tracking
 * (status events, slot, zone, rider, courier parcel). Partner keys only: the recipients' names,
 * phones and addresses on the stops are for the courier companies the company works with.
 */
import { z } from "@/services/api/mod.ts";
import { endpoint, pageOf } from "../endpoint.ts";
import { bilingual, isoDate, isoDateTime, money, uuidParam } from "./schemas.ts";
import { NotFoundError } from "@/services/platform/mod.ts";
import { HttpError } from "@/framework/mod.ts";
import type { ApiPrincipal } from "@/services/api/mod.ts";

function partnerOnly(p: ApiPrincipal) {
  if (p.kind !== "partner") throw new HttpError(403, "Deliveries are for partner keys");
}

const route = z.object({
  id: z.uuid(),
  deliveryDate: isoDate,
  zoneId: z.number().int(),
  slotCode: z.string(),
  riderName: z.string(),
  status: z.enum(["planned", "dispatched"]),
  stops: z.number().int(),
  done: z.number().int(),
});

/** A route's own fields as the API shows them (its stops are a count in a list, a list in one). */
function routeOut(
  r: Pick<
    z.input<typeof route>,
    "id" | "deliveryDate" | "zoneId" | "slotCode" | "riderName" | "status" | "done"
  >,
) {
  return {
    id: r.id,
    deliveryDate: r.deliveryDate,
    zoneId: r.zoneId,
    slotCode: r.slotCode,
    riderName: r.riderName,
    status: r.status,
    done: r.done,
  };
}

export const listDeliveries = endpoint({
  id: "listDeliveryRoutes",
  method: "GET",
  path: "/api/v1/deliveries",
  scope: "deliveries:read",
  tag: "deliveries",
  summary: "The own fleet's delivery routes of a day",
  query: z.object({ date: isoDate }),
  response: route,
  list: true,
  async run({ deps, principal, query, page }) {
    partnerOnly(principal);
    const rows = await deps.delivery.routes(query.date);
    const p = pageOf(rows, (r) => r.id, page);
    return {
      items: p.items.map((r) => ({ ...routeOut(r), stops: r.stops })),
      nextAfter: p.nextAfter,
    };
  },
});

export const getDelivery = endpoint({
  id: "getDeliveryRoute",
  method: "GET",
  path: "/api/v1/deliveries/{id}",
  scope: "deliveries:read",
  tag: "deliveries",
  summary: "One route with its stops in order",
  params: z.object({ id: uuidParam }),
  response: route.extend({
    stops: z.array(z.object({
      seq: z.number().int(),
      orderNumber: z.string(),
      status: z.enum(["pending", "delivered", "failed"]),
      recipient: z.string(),
      phone: z.string(),
      address: z.string(),
      codDueMinor: money,
      failReason: z.string().nullable(),
    })),
  }),
  errors: [404],
  async run({ deps, principal, params }) {
    partnerOnly(principal);
    const r = await deps.delivery.route(params.id);
    if (!r) throw new NotFoundError("No such route");
    return {
      ...routeOut(r),
      stops: r.stops.map((s) => ({
        seq: s.seq,
        orderNumber: s.orderNumber,
        status: s.status,
        recipient: s.recipient,
        phone: s.phone,
        address: s.address,
        codDueMinor: s.codDueMinor,
        failReason: s.failReason,
      })),
    };
  },
});

export const getTracking = endpoint({
  id: "getTracking",
  method: "GET",
  path: "/api/v1/tracking/{number}",
  scope: "deliveries:read",
  tag: "deliveries",
  summary: "An order's delivery tracking by its number",
  params: z.object({ number: z.string().regex(/^[A-Za-z0-9-]{3,40}$/) }),
  response: z.object({
    number: z.string(),
    status: z.string(),
    deliveryDate: isoDate,
    slot: z.object({ name: bilingual, startsAt: z.string(), endsAt: z.string() }).nullable(),
    zone: bilingual,
    events: z.array(z.object({ status: z.string(), at: isoDateTime })),
    rider: z.string().nullable(),
    failed: z.object({ reason: z.string(), at: isoDateTime }).nullable(),
    courier: z.object({ name: z.string(), consignmentId: z.string(), status: z.string() })
      .nullable(),
  }),
  errors: [404],
  async run({ deps, principal, params }) {
    partnerOnly(principal);
    const t = await deps.delivery.trackingOf(params.number);
    if (!t) throw new NotFoundError("No such order");
    return {
      number: t.number,
      status: t.status,
      deliveryDate: t.deliveryDate,
      slot: t.slot &&
        {
          name: { en: t.slot.nameEn, bn: t.slot.nameBn },
          startsAt: t.slot.startsAt,
          endsAt: t.slot.endsAt,
        },
      zone: { en: t.zone.nameEn, bn: t.zone.nameBn },
      events: t.events.map((e) => ({ status: e.toStatus, at: new Date(e.at).toISOString() })),
      rider: t.rider,
      failed: t.failed && { reason: t.failed.reason, at: new Date(t.failed.at).toISOString() },
      courier: t.courier,
    };
  },
});

export const deliveryEndpoints = [listDeliveries, getDelivery, getTracking];
