/**
 * Partners manage their own webhook subscriptions (issue 16 §4) through services/webhooks' door:
 * the partner is the calling API client (`client:<id>`), who sees and changes only its own.
 * Subscribing to an event also needs the read scope of what the event tells (orders, deliveries,
 * stock, alarms): a key cannot learn by webhook what it could not read.
 */
import { z } from "@/services/api/mod.ts";
import { HttpError } from "@/framework/mod.ts";
import { type ApiPrincipal, type ApiScope, grants } from "@/services/api/mod.ts";
import {
  type Attempt,
  type DeliveryRow,
  EVENT_TYPES,
  type EventType,
  type Subscription,
} from "@/services/webhooks/mod.ts";
import { endpoint, pageOf } from "../endpoint.ts";
import { idParam, iso, isoDateTime } from "./schemas.ts";

/** The read scope an event's subscriber needs. */
export const EVENT_SCOPES: Record<EventType, ApiScope> = {
  "order.created": "orders:read",
  "order.status_changed": "orders:read",
  "payment.confirmed": "orders:read",
  "customer.registered": "orders:read",
  "delivery.updated": "deliveries:read",
  "inventory.low_stock": "catalog:read",
  "lot.on_hold": "catalog:read",
  "alarm.raised": "iot:read",
};

const partnerOf = (p: ApiPrincipal) => `client:${p.clientId}`;

function checkEventScopes(p: ApiPrincipal, events: readonly EventType[]) {
  const missing = [...new Set(events.map((e) => EVENT_SCOPES[e]))].filter((s) =>
    !grants(p.scopes, s)
  );
  if (missing.length) {
    throw new HttpError(403, `Subscribing to these events needs the scope ${missing.join(", ")}`);
  }
}

const eventType = z.enum(EVENT_TYPES).describe("An event type");

const subscriptionOut = z.object({
  id: z.string().describe("The subscription's id"),
  url: z.string().describe("Where deliveries are POSTed"),
  description: z.string(),
  events: z.array(eventType),
  status: z.enum(["active", "disabled"]).describe(
    "disabled: by request, or after repeated failed deliveries",
  ),
  consecutiveFailures: z.number().int().describe("Failed attempts in a row"),
  disabledReason: z.string().nullable(),
  createdAt: isoDateTime,
});

const out = (s: Subscription): z.input<typeof subscriptionOut> => ({
  id: s.id,
  url: s.url,
  description: s.description,
  events: s.eventTypes as EventType[],
  status: s.status,
  consecutiveFailures: s.consecutiveFailures,
  disabledReason: s.disabledReason,
  createdAt: s.createdAt.toISOString(),
});

const subscriptionBody = z.object({
  url: z.string().max(2000).describe("An https:// address"),
  events: z.array(eventType).min(1).max(EVENT_TYPES.length),
  description: z.string().max(200).optional(),
  contactEmail: z.email().max(320).optional().describe(
    "Told when the subscription is disabled after repeated failures",
  ),
  contactPhone: z.string().regex(/^\+[1-9]\d{7,14}$/).optional().describe(
    "Texted when the subscription is disabled (international form, +8801…)",
  ),
  locale: z.enum(["en", "bn"]).optional().describe("The notice's language"),
}).strict();

async function own(
  deps: { webhooks: { get(id: string, p?: string): Promise<Subscription | null> } },
  p: ApiPrincipal,
  id: number,
) {
  const s = await deps.webhooks.get(String(id), partnerOf(p));
  if (!s) throw new HttpError(404, "No such subscription");
  return s;
}

export const listWebhooks = endpoint({
  id: "listWebhooks",
  method: "GET",
  path: "/api/v1/webhooks",
  scope: "webhooks:read",
  tag: "webhooks",
  summary: "Your webhook subscriptions",
  response: subscriptionOut,
  list: true,
  async run({ deps, principal, page }) {
    const all = await deps.webhooks.list({ partnerId: partnerOf(principal) });
    const p = pageOf(all, (s) => Number(s.id), page);
    return { items: p.items.map(out), nextAfter: p.nextAfter };
  },
});

export const createWebhook = endpoint({
  id: "createWebhook",
  method: "POST",
  path: "/api/v1/webhooks",
  scope: "webhooks:write",
  tag: "webhooks",
  summary: "Subscribe an https:// endpoint to events; the signing secret is in this answer only",
  description: "Deliveries are signed Standard-Webhooks style (webhook-id, webhook-timestamp, " +
    "webhook-signature: v1,<base64 HMAC-SHA256 of id.timestamp.body>) with the returned " +
    "`whsec_` secret. Each event type needs the read scope of what it tells.",
  body: subscriptionBody,
  response: subscriptionOut.extend({
    secret: z.string().describe("whsec_…: shown once; verifies every delivery"),
  }),
  status: 201,
  errors: [422],
  async run({ deps, principal, body }) {
    checkEventScopes(principal, body.events);
    let r;
    try {
      r = await deps.webhooks.create(partnerOf(principal), {
        url: body.url,
        eventTypes: body.events,
        description: body.description,
        contactEmail: body.contactEmail,
        contactPhone: body.contactPhone,
        locale: body.locale,
      });
    } catch (e) {
      if ((e as Error).name === "ZodError") {
        throw new HttpError(422, (e as { issues: { message: string }[] }).issues[0].message);
      }
      throw e;
    }
    return { ...out(r.subscription), secret: r.secret };
  },
});

export const getWebhook = endpoint({
  id: "getWebhook",
  method: "GET",
  path: "/api/v1/webhooks/{id}",
  scope: "webhooks:read",
  tag: "webhooks",
  summary: "One of your subscriptions",
  params: z.object({ id: idParam }),
  response: subscriptionOut,
  errors: [404],
  async run({ deps, principal, params }) {
    return out(await own(deps, principal, params.id));
  },
});

export const deleteWebhook = endpoint({
  id: "deleteWebhook",
  method: "DELETE",
  path: "/api/v1/webhooks/{id}",
  scope: "webhooks:write",
  tag: "webhooks",
  summary: "Unsubscribe (its deliveries and their log go with it)",
  params: z.object({ id: idParam }),
  response: z.object({ deleted: z.literal(true) }),
  errors: [404],
  async run({ deps, principal, params }) {
    await own(deps, principal, params.id);
    await deps.webhooks.remove(String(params.id), partnerOf(principal));
    return { deleted: true as const };
  },
});

export const enableWebhook = endpoint({
  id: "enableWebhook",
  method: "POST",
  path: "/api/v1/webhooks/{id}/enable",
  scope: "webhooks:write",
  tag: "webhooks",
  summary: "Enable a disabled subscription again (its failure count starts from zero)",
  params: z.object({ id: idParam }),
  response: subscriptionOut,
  errors: [404],
  async run({ deps, principal, params }) {
    const s = await own(deps, principal, params.id);
    checkEventScopes(principal, s.eventTypes as EventType[]);
    return out((await deps.webhooks.update(s.id, { status: "active" }, partnerOf(principal)))!);
  },
});

export const rotateWebhookSecret = endpoint({
  id: "rotateWebhookSecret",
  method: "POST",
  path: "/api/v1/webhooks/{id}/rotate-secret",
  scope: "webhooks:write",
  tag: "webhooks",
  summary: "A new signing secret (in this answer only); later deliveries are signed with it",
  params: z.object({ id: idParam }),
  response: z.object({ secret: z.string() }),
  errors: [404],
  async run({ deps, principal, params }) {
    await own(deps, principal, params.id);
    const secret = await deps.webhooks.rotateSecret(String(params.id), partnerOf(principal));
    return { secret: secret! };
  },
});

const attemptOut = z.object({
  at: isoDateTime,
  statusCode: z.number().int().nullable().describe("Your endpoint's answer; null: no answer"),
  durationMs: z.number().int(),
  error: z.string().nullable(),
  manual: z.boolean().describe("A redelivery asked for, not the schedule"),
});
const deliveryOut = z.object({
  id: z.string(),
  event: eventType,
  messageId: z.string().describe("The webhook-id header: the same on every attempt"),
  status: z.enum(["queued", "sending", "failed", "succeeded", "dead"]),
  attempts: z.number().int(),
  nextAttemptAt: isoDateTime.nullable(),
  lastStatus: z.number().int().nullable(),
  createdAt: isoDateTime,
  log: z.array(attemptOut),
});

function deliveryView(d: DeliveryRow, log: Attempt[]): z.input<typeof deliveryOut> {
  return {
    id: d.id,
    event: d.eventType as EventType,
    messageId: d.messageId,
    status: d.status,
    attempts: d.attempts,
    nextAttemptAt: d.status === "failed" || d.status === "queued" ? iso(d.nextAttemptAt) : null,
    lastStatus: d.lastStatus,
    createdAt: d.createdAt.toISOString(),
    log: log.filter((a) => a.deliveryId === d.id).map((a) => ({
      at: a.attemptedAt.toISOString(),
      statusCode: a.statusCode,
      durationMs: a.durationMs,
      error: a.error,
      manual: a.manual,
    })),
  };
}

export const listWebhookDeliveries = endpoint({
  id: "listWebhookDeliveries",
  method: "GET",
  path: "/api/v1/webhooks/{id}/deliveries",
  scope: "webhooks:read",
  tag: "webhooks",
  summary: "The subscription's recent deliveries (newest first) with each attempt's answer",
  params: z.object({ id: idParam }),
  response: deliveryOut,
  list: true,
  errors: [404],
  async run({ deps, principal, params, page }) {
    const s = await own(deps, principal, params.id);
    const [rows, log] = await Promise.all([
      deps.webhooks.deliveries({ subscriptionId: s.id, limit: 500 }),
      deps.webhooks.attempts({ subscriptionId: s.id, limit: 1000 }),
    ]);
    const p = pageOf(rows, (d) => 1e15 - Number(d.id), page);
    return { items: p.items.map((d) => deliveryView(d, log)), nextAfter: p.nextAfter };
  },
});

export const redeliverWebhook = endpoint({
  id: "redeliverWebhook",
  method: "POST",
  path: "/api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver",
  scope: "webhooks:write",
  tag: "webhooks",
  summary: "Send a delivery again now; the answer is this attempt",
  params: z.object({ id: idParam, deliveryId: idParam }),
  response: attemptOut,
  errors: [404],
  async run({ deps, principal, params }) {
    const s = await own(deps, principal, params.id);
    const [d] = (await deps.webhooks.deliveries({ subscriptionId: s.id, limit: 500 }))
      .filter((x) => x.id === String(params.deliveryId));
    if (!d) throw new HttpError(404, "No such delivery");
    const a = await deps.webhooks.redeliver(d.id, partnerOf(principal));
    if (!a) throw new HttpError(404, "No such delivery");
    return {
      at: a.attemptedAt.toISOString(),
      statusCode: a.statusCode,
      durationMs: a.durationMs,
      error: a.error,
      manual: a.manual,
    };
  },
});

export const webhookEndpoints = [
  listWebhooks,
  createWebhook,
  getWebhook,
  deleteWebhook,
  enableWebhook,
  rotateWebhookSecret,
  listWebhookDeliveries,
  redeliverWebhook,
];
