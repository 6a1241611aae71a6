/** Partners' subscriptions: which events go to which URL, signed with which secret. */
import { isInternalAddress } from "./target.ts";
import type { Db } from "@/services/platform/tx.ts";
import { z } from "@/services/platform/schema.ts";
import { EVENT_TYPES } from "./events.ts";
import { newSecret } from "./signing.ts";
import { encryptField, type Keyring } from "@/services/crypto/field_crypto.ts";

/** The additional data binding an encrypted secret to its column. */
export const SECRET_AAD = "webhook_subscriptions.secret";

export interface Subscription {
  id: string;
  partnerId: string;
  url: string;
  description: string;
  eventTypes: string[];
  status: "active" | "disabled";
  consecutiveFailures: number;
  disabledAt: Date | null;
  disabledReason: string | null;
  contactEmail: string | null;
  contactPhone: string | null;
  locale: "en" | "bn";
  createdAt: Date;
}

const e164 = /^\+[1-9]\d{7,14}$/;

/** Where deliveries go: http(s) only; plain http only to this machine (development and tests). */
const urlSchema = z.string().trim().max(2000).refine((u) => {
  try {
    const url = new URL(u);
    if (url.username || url.password) return false;
    // An internal address written out is refused at once (a host name is checked at delivery).
    if (url.protocol === "https:") return !isInternalAddress(url.hostname);
    return url.protocol === "http:" &&
      ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
  } catch {
    return false;
  }
}, "An https:// address on the internet (http:// only for localhost)")
  // Stored as the URL parser writes it ("HTTPS:x.example" → "https://x.example/").
  .transform((u) => new URL(u).href)
  .pipe(z.string().max(2000, "At most 2000 characters"));

export const subscriptionSchema = z.object({
  url: urlSchema,
  eventTypes: z.array(z.enum(EVENT_TYPES)).min(1, "Choose at least one event").max(
    EVENT_TYPES.length,
  ),
  description: z.string().trim().max(200).default(""),
  contactEmail: z.email("An email address").max(320).optional(),
  contactPhone: z.string().regex(e164, "A number in international form (+8801…)").optional(),
  locale: z.enum(["en", "bn"]).default("en"),
});
export type SubscriptionInput = z.input<typeof subscriptionSchema>;
export const subscriptionPatchSchema = subscriptionSchema.partial().extend({
  /** Re-enabling a disabled subscription starts its failure count again. */
  status: z.enum(["active", "disabled"]).optional(),
});
export type SubscriptionPatch = z.input<typeof subscriptionPatchSchema>;

export function toSubscription(r: Record<string, any>): Subscription {
  return {
    id: String(r.id),
    partnerId: r.partner_id,
    url: r.url,
    description: r.description,
    eventTypes: r.event_types,
    status: r.status,
    consecutiveFailures: r.consecutive_failures,
    disabledAt: r.disabled_at,
    disabledReason: r.disabled_reason,
    contactEmail: r.contact_email,
    contactPhone: r.contact_phone,
    locale: r.locale,
    createdAt: r.created_at,
  };
}

const isId = (id: string) => /^\d{1,15}$/.test(id);

/** A new subscription and its secret (shown once to the partner; it signs every delivery). */
export async function createSubscription(
  db: Db,
  keyring: Keyring,
  partnerId: string,
  input: SubscriptionInput,
): Promise<{ subscription: Subscription; secret: string }> {
  const s = subscriptionSchema.parse(input);
  const pid = z.string().trim().min(1).max(100).parse(partnerId);
  const secret = newSecret();
  const [row] = await db`
    insert into webhook_subscriptions
      (partner_id, url, description, event_types, secret_enc, contact_email, contact_phone, locale)
    values (${pid}, ${s.url}, ${s.description}, ${s.eventTypes},
            ${await encryptField(keyring, secret, SECRET_AAD)},
            ${s.contactEmail ?? null}, ${s.contactPhone ?? null}, ${s.locale})
    returning *`;
  return { subscription: toSubscription(row), secret };
}

export async function listSubscriptions(
  db: Db,
  q: { partnerId?: string; status?: "active" | "disabled" } = {},
): Promise<Subscription[]> {
  const rows = await db`
    select * from webhook_subscriptions
    where (${q.partnerId ?? null}::text is null or partner_id = ${q.partnerId ?? null})
      and (${q.status ?? null}::text is null or status = ${q.status ?? null})
    order by id desc limit 500`;
  return rows.map(toSubscription);
}

/** One subscription; with partnerId, only that partner's (another's is "not found"). */
export async function getSubscription(
  db: Db,
  id: string,
  partnerId?: string,
): Promise<Subscription | null> {
  if (!isId(id)) return null;
  const [row] = await db`
    select * from webhook_subscriptions
    where id = ${id}::bigint
      and (${partnerId ?? null}::text is null or partner_id = ${partnerId ?? null})`;
  return row ? toSubscription(row) : null;
}

export async function updateSubscription(
  db: Db,
  id: string,
  patch: SubscriptionPatch,
  opts: { partnerId?: string; now: Date },
): Promise<Subscription | null> {
  const p = subscriptionPatchSchema.parse(patch);
  if (!isId(id)) return null;
  const [row] = await db`
    update webhook_subscriptions set
      url = coalesce(${p.url ?? null}, url),
      description = coalesce(${
    patch.description !== undefined ? p.description! : null
  }, description),
      event_types = coalesce(${p.eventTypes ?? null}::text[], event_types),
      contact_email = coalesce(${p.contactEmail ?? null}, contact_email),
      contact_phone = coalesce(${p.contactPhone ?? null}, contact_phone),
      locale = coalesce(${patch.locale ? p.locale! : null}, locale),
      status = coalesce(${p.status ?? null}, status),
      consecutive_failures = case when ${p.status ?? null}::text = 'active' then 0
                                  else consecutive_failures end,
      disabled_at = case when ${p.status ?? null}::text = 'active' then null
                         when ${p.status ?? null}::text = 'disabled' then ${opts.now}
                         else disabled_at end,
      disabled_reason = case when ${p.status ?? null}::text is null then disabled_reason
                             when ${p.status ?? null}::text = 'disabled' then 'by request'
                             else null end,
      updated_at = ${opts.now}
    where id = ${id}::bigint
      and (${opts.partnerId ?? null}::text is null or partner_id = ${opts.partnerId ?? null})
    returning *`;
  return row ? toSubscription(row) : null;
}

export async function deleteSubscription(
  db: Db,
  id: string,
  partnerId?: string,
): Promise<boolean> {
  if (!isId(id)) return false;
  const rows = await db`
    delete from webhook_subscriptions
    where id = ${id}::bigint
      and (${partnerId ?? null}::text is null or partner_id = ${partnerId ?? null})
    returning id`;
  return rows.length === 1;
}

/** A new secret (shown once); deliveries are signed with it from now on. */
export async function rotateSecret(
  db: Db,
  keyring: Keyring,
  id: string,
  opts: { partnerId?: string; now: Date },
): Promise<string | null> {
  if (!isId(id)) return null;
  const secret = newSecret();
  const rows = await db`
    update webhook_subscriptions
    set secret_enc = ${await encryptField(keyring, secret, SECRET_AAD)}, updated_at = ${opts.now}
    where id = ${id}::bigint
      and (${opts.partnerId ?? null}::text is null or partner_id = ${opts.partnerId ?? null})
    returning id`;
  return rows.length ? secret : null;
}
