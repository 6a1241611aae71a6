/**
 * Customer messages about orders, written to the outbox in the same transaction as the change
 * that causes them, in the customer's language, by SMS to the order's phone. The dedupe key makes
 * each message go once per order and event, however often the event is processed.
 */
import type { Tx } from "@/services/platform/db.ts";
import { enqueueMessage, preferredRoute } from "@/services/notify/mod.ts";
import { formatTaka } from "@/services/i18n/mod.ts";

export type OrderEvent =
  | "order_placed"
  | "payment_received"
  | "out_for_delivery"
  | "delivered"
  | "delivery_failed"
  | "parcel_returned"
  | "order_cancelled"
  | "refund_issued"
  | "subscription_not_delivered"
  | "product_recall";

type Vars = {
  number: string;
  totalMinor: number;
  date?: string;
  amountMinor?: number;
  why?: string;
  /** product_recall: the recall's code and the products concerned. */
  recall?: string;
  products?: string;
  /** The order's tracking page (an unguessable link), added to the message when given. */
  track?: string;
};
type Lang = "en" | "bn";

const TEXT: Record<OrderEvent, Record<Lang, (v: Vars) => string>> = {
  order_placed: {
    en: (v) =>
      `Smart Dairy: order ${v.number} received, total ${
        formatTaka(v.totalMinor, "en")
      }, delivery ${v.date}. Thank you!`,
    bn: (v) =>
      `স্মার্ট ডেইরি: অর্ডার ${v.number} পেয়েছি, মোট ${
        formatTaka(v.totalMinor, "bn")
      }, ডেলিভারি ${v.date}। ধন্যবাদ!`,
  },
  payment_received: {
    en: (v) =>
      `Smart Dairy: we received ${
        formatTaka(v.amountMinor ?? 0, "en")
      } for order ${v.number}. It is confirmed.`,
    bn: (v) =>
      `স্মার্ট ডেইরি: অর্ডার ${v.number}-এর ${
        formatTaka(v.amountMinor ?? 0, "bn")
      } পেমেন্ট পেয়েছি। অর্ডারটি নিশ্চিত।`,
  },
  out_for_delivery: {
    en: (v) => `Smart Dairy: order ${v.number} is on its way to you.`,
    bn: (v) => `স্মার্ট ডেইরি: অর্ডার ${v.number} আপনার কাছে পৌঁছানোর পথে।`,
  },
  delivered: {
    en: (v) => `Smart Dairy: order ${v.number} was delivered. Enjoy, and thank you!`,
    bn: (v) => `স্মার্ট ডেইরি: অর্ডার ${v.number} পৌঁছে দেওয়া হয়েছে। ধন্যবাদ!`,
  },
  delivery_failed: {
    en: (v) =>
      `Smart Dairy: we could not deliver order ${v.number}${
        v.why ? ` (${v.why})` : ""
      }. We will call you to arrange another time.`,
    bn: (v) =>
      `স্মার্ট ডেইরি: অর্ডার ${v.number} পৌঁছে দেওয়া যায়নি${
        v.why ? ` (${v.why})` : ""
      }। অন্য সময় ঠিক করতে আমরা আপনাকে ফোন করব।`,
  },
  parcel_returned: {
    en: (v) =>
      `Smart Dairy: the courier brought order ${v.number} back to us. We will call you about it.`,
    bn: (v) =>
      `স্মার্ট ডেইরি: কুরিয়ার অর্ডার ${v.number} আমাদের কাছে ফেরত এনেছে। এ বিষয়ে আমরা আপনাকে ফোন করব।`,
  },
  order_cancelled: {
    en: (v) => `Smart Dairy: order ${v.number} was cancelled.${v.why ? " " + v.why : ""}`,
    bn: (v) => `স্মার্ট ডেইরি: অর্ডার ${v.number} বাতিল করা হয়েছে।${v.why ? " " + v.why : ""}`,
  },
  refund_issued: {
    en: (v) =>
      `Smart Dairy: we refunded ${formatTaka(v.amountMinor ?? 0, "en")} for order ${v.number}.`,
    bn: (v) =>
      `স্মার্ট ডেইরি: অর্ডার ${v.number}-এর ${formatTaka(v.amountMinor ?? 0, "bn")} ফেরত দেওয়া হয়েছে।`,
  },
  subscription_not_delivered: {
    en: (v) => `Smart Dairy: no milk delivery on ${v.date}: ${v.why}.`,
    bn: (v) => `স্মার্ট ডেইরি: ${v.date} তারিখে দুধ ডেলিভারি হবে না: ${v.why}।`,
  },
  product_recall: {
    en: (v) =>
      `Smart Dairy: please do not eat or drink ${v.products} from order ${v.number} (recall ${v.recall}). Return it or call us for a refund or replacement.`,
    bn: (v) =>
      `স্মার্ট ডেইরি: অর্ডার ${v.number}-এর ${v.products} খাবেন না (রিকল ${v.recall})। ফেরত দিন বা টাকা/বদলি পণ্যের জন্য আমাদের ফোন করুন।`,
  },
};

export function orderMessage(event: OrderEvent, lang: Lang, vars: Vars): string {
  return TEXT[event][lang](vars);
}

const SUBJECT: Record<Lang, (n: string) => string> = {
  en: (n) => `Smart Dairy: your order ${n}`,
  bn: (n) => `স্মার্ট ডেইরি: আপনার অর্ডার ${n}`,
};

/**
 * Queues the message for an order event (once per order and event; `key` distinguishes
 * repeats) in the customer's language, by the channel they prefer (notify's preferences: SMS,
 * email, WhatsApp or push; SMS when the chosen one cannot reach them). True when it was queued
 * now, false when it already was.
 */
export async function notifyOrder(
  tx: Tx,
  event: OrderEvent,
  o: {
    id: string;
    phone: string;
    locale: Lang;
    key?: string;
    /** The order's account, when it has one (push goes to its devices). */
    userId?: string | null;
  } & Vars,
): Promise<boolean> {
  const route = await preferredRoute(tx, { phone: o.phone, userId: o.userId });
  const text = orderMessage(event, o.locale, o);
  const { duplicate } = await enqueueMessage(tx, {
    channel: route.channel,
    to: route.to,
    subject: route.channel === "email" || route.channel === "push"
      ? SUBJECT[o.locale](o.number)
      : undefined,
    body: text + trackLine(o.locale, o.track),
    locale: o.locale,
    template: `shop.${event}`,
    // WhatsApp's approved order template takes the text and the tracking link as parameters;
    // push opens the tracking page.
    params: route.channel === "whatsapp"
      ? [text, o.track ?? ""]
      : route.channel === "push"
      ? [SUBJECT[o.locale](o.number), o.track ?? "/shop/orders"]
      : undefined,
    dedupeKey: `shop:${o.id}:${event}${o.key ? ":" + o.key : ""}`,
  });
  return !duplicate;
}

/** " Track: <link>" in the customer's language, or nothing without a link. */
function trackLine(lang: Lang, link: string | undefined): string {
  if (!link) return "";
  return lang === "bn" ? ` ট্র্যাক করুন: ${link}` : ` Track: ${link}`;
}

/**
 * A delivery step that changes no order status (a failed attempt, a parcel the courier brought
 * back): the customer is told once per `key`, in their language and preferred channel.
 */
export async function notifyDeliveryStep(
  tx: Tx,
  deps: {
    decryptPhone(enc: string): Promise<string>;
    track?: (n: string) => Promise<string> | string;
  },
  orderId: string,
  step: { event: "delivery_failed" | "parcel_returned"; why?: string; key: string },
): Promise<boolean> {
  const [o] = await tx`
    select id, number, locale, phone_enc, total_minor, user_id from shop_orders
    where id = ${orderId}`;
  if (!o) return false;
  return await notifyOrder(tx, step.event, {
    id: o.id,
    phone: await deps.decryptPhone(o.phone_enc),
    locale: o.locale,
    number: o.number,
    totalMinor: Number(o.total_minor),
    why: step.why?.slice(0, 200),
    key: step.key,
    track: deps.track ? await deps.track(o.number) : undefined,
    userId: o.user_id,
  });
}
