/**
 * The outbox's guard rails: what a message is for (its purpose), opt-outs and bounces, send
 * limits per recipient and per purpose (no SMS bombing through sign-up or password reset),
 * quiet hours for promotions (Dhaka time), masking of one-time codes on /admin/outbox, and the
 * refusal of development transports and local fakes in production.
 */
import type { Sql, Tx } from "@/services/platform/db.ts";
import { addDays, dhakaDate, dhakaInstant, dhakaMinuteOfDay } from "@/services/platform/dhaka.ts";
import type { OutboxMessage } from "./outbox.ts";

type Db = Sql | Tx;

export const PURPOSES = [
  "code",
  "security",
  "order",
  "alarm",
  "task",
  "promotional",
  "notice",
] as const;
export type Purpose = typeof PURPOSES[number];

/** Templates whose text carries a one-time code. */
export const CODE_TEMPLATES = new Set([
  "signup_code",
  "reset_code",
  "signin_code",
  "intake.farmer_code",
]);

/** A message's purpose from its template when the sender did not say. */
export function purposeOf(template: string | undefined | null): Purpose {
  if (!template) return "notice";
  if (CODE_TEMPLATES.has(template) || template.endsWith("_code")) return "code";
  if (template === "password_changed" || template === "account_exists") return "security";
  if (template.startsWith("shop.")) return "order";
  if (template.startsWith("iot.")) return "alarm";
  if (template.startsWith("promo.")) return "promotional";
  return "notice";
}

/**
 * Send limits: [count, window in seconds] per recipient and over all recipients, per purpose.
 * A message past a limit is kept as 'suppressed' (shown on /admin/outbox), never sent.
 */
export const SEND_LIMITS: Partial<
  Record<Purpose, { perRecipient: [number, number][]; overall?: [number, number] }>
> = {
  code: { perRecipient: [[5, 3600], [10, 86_400]], overall: [600, 60] },
  security: { perRecipient: [[5, 3600]] },
  promotional: { perRecipient: [[2, 86_400]] },
};

/** Quiet hours for promotions, Dhaka time: none sent from 21:00 to 09:00. */
export const QUIET_HOURS = { from: 21 * 60, to: 9 * 60 };

/** When `at` falls in the quiet hours, the instant they end (09:00 Dhaka); else null. */
export function quietHoursEnd(at: Date): Date | null {
  const m = dhakaMinuteOfDay(at);
  if (m >= QUIET_HOURS.to && m < QUIET_HOURS.from) return null;
  const day = dhakaDate(at);
  const hhmm = `${String(QUIET_HOURS.to / 60).padStart(2, "0")}:00`;
  return dhakaInstant(m >= QUIET_HOURS.from ? addDays(day, 1) : day, hhmm);
}

/** Opted out (STOP) or not wanted per the preferences: order updates and promotions only. */
const FOLLOWS_PREFERENCES = new Set<Purpose>(["order", "promotional"]);

/**
 * Why a message must not be queued (opt-out, hard bounce, send limit), or null. Counting runs
 * under a per-recipient transaction lock, so two requests at once do not both pass the limit.
 */
export async function suppressionReason(
  db: Db,
  m: { channel: string; to: string; purpose: Purpose; now: Date },
): Promise<string | null> {
  if (m.channel !== "push") {
    const [pref] = await db`
      select opted_out_at, order_updates, promotional, bounced_at
      from notify_preferences where address = ${m.to}`;
    if (pref) {
      if (m.channel === "email" && pref.bounced_at) return "address bounced";
      if (FOLLOWS_PREFERENCES.has(m.purpose)) {
        if (pref.opted_out_at) return "recipient opted out (STOP)";
        if (m.purpose === "order" && !pref.order_updates) return "order updates turned off";
        if (m.purpose === "promotional" && !pref.promotional) return "promotions turned off";
      }
    }
  }
  const limits = SEND_LIMITS[m.purpose];
  if (!limits) return null;
  await db`select pg_advisory_xact_lock(hashtext(${"notify:" + m.to}))`.catch(() => {});
  for (const [count, seconds] of limits.perRecipient) {
    const since = new Date(m.now.getTime() - seconds * 1000);
    const [{ n }] = await db`
      select count(*)::int as n from outbox_messages
      where recipient = ${m.to} and purpose = ${m.purpose} and status <> 'suppressed'
        and created_at > ${since}`;
    if (n >= count) return `send limit: ${count} ${m.purpose} messages per ${window(seconds)}`;
  }
  if (limits.overall) {
    const [count, seconds] = limits.overall;
    const since = new Date(m.now.getTime() - seconds * 1000);
    const [{ n }] = await db`
      select count(*)::int as n from outbox_messages
      where purpose = ${m.purpose} and status <> 'suppressed' and created_at > ${since}`;
    if (n >= count) {
      return `send limit: ${count} ${m.purpose} messages per ${window(seconds)} overall`;
    }
  }
  return null;
}

const window = (s: number) =>
  s % 86_400 === 0
    ? (s === 86_400 ? "day" : `${s / 86_400} days`)
    : s % 3600 === 0
    ? (s === 3600 ? "hour" : `${s / 3600} hours`)
    : `${s} seconds`;

/**
 * At delivery: a promotion claimed in the quiet hours waits until they end; an order update or
 * promotion to someone who opted out since it was queued is suppressed.
 */
export async function holdAtDelivery(
  sql: Sql,
  msg: OutboxMessage,
  now: Date,
): Promise<{ until: Date | null; reason: string } | null> {
  if (!FOLLOWS_PREFERENCES.has(msg.purpose)) return null;
  if (msg.purpose === "promotional") {
    const until = quietHoursEnd(now);
    if (until) return { until, reason: "quiet hours" };
  }
  if (msg.channel === "push") return null;
  const [pref] = await sql`
    select opted_out_at, order_updates, promotional from notify_preferences
    where address = ${msg.recipient}`;
  if (!pref) return null;
  if (pref.opted_out_at) return { until: null, reason: "recipient opted out (STOP)" };
  if (msg.purpose === "order" && !pref.order_updates) {
    return { until: null, reason: "order updates turned off" };
  }
  if (msg.purpose === "promotional" && !pref.promotional) {
    return { until: null, reason: "promotions turned off" };
  }
  return null;
}

/** "+8801…89" / "ra…@example.com": enough to tell who, not enough to read a code back. */
export function maskRecipient(to: string): string {
  if (to.includes("@")) {
    const [local, domain] = to.split("@");
    return `${local.slice(0, 2)}…@${domain}`;
  }
  if (/^\+\d+$/.test(to)) return `${to.slice(0, 6)}…${to.slice(-2)}`;
  return `${to.slice(0, 4)}…`;
}

/** The admin outbox's view of a code message: "code sent to +8801…89", never the code. */
export function maskCode(m: OutboxMessage): OutboxMessage & { masked?: boolean } {
  if (m.purpose !== "code") return m;
  return { ...m, body: `code sent to ${maskRecipient(m.recipient)}`, masked: true };
}

export {
  assertNotProduction,
  isProduction,
  ProductionGuardError,
} from "@/services/platform/production_guard.ts";
