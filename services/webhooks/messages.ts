/** The words of the webhook screens and the partner's notice, in English and Bangla. */
import type { Lang } from "@/services/i18n/mod.ts";

const en = {
  title: "Webhooks",
  intro:
    "Partners' subscriptions to events (orders, payments, deliveries, stock, alarms). Every delivery is signed and logged; a subscription that keeps failing is disabled and its partner told.",
  partner: "Partner",
  url: "Address",
  events: "Events",
  status: "Status",
  statuses: { active: "active", disabled: "disabled" } as Record<string, string>,
  deliveryStatuses: {
    queued: "queued",
    sending: "sending",
    failed: "failed, will retry",
    succeeded: "delivered",
    dead: "gave up",
  } as Record<string, string>,
  failures: "Failures in a row",
  disabledBecause: "Disabled",
  noSubscriptions: "No subscriptions yet.",
  deliveries: "Deliveries",
  noDeliveries: "Nothing delivered yet.",
  event: "Event",
  attempts: "Attempts",
  lastCode: "Last answer",
  when: "When",
  duration: "Time",
  log: "Delivery log",
  redeliver: "Send again",
  redelivered: "Sent again: see the log.",
  enable: "Enable again",
  enabled: "Enabled again.",
  disable: "Disable",
  disabled: "Disabled.",
  noAnswer: "no answer",
  manual: "by hand",
  back: "All subscriptions",
  notFound: "No such subscription.",
  notice: (url: string, failures: number) =>
    `Smart Dairy: we stopped sending webhooks to ${url} after ${failures} failed attempts in a row. Fix the endpoint, then enable the subscription again.`,
  noticeSubject: "Your Smart Dairy webhook subscription was disabled",
};
export type WebhookMessages = typeof en;

const bn: WebhookMessages = {
  title: "ওয়েবহুক",
  intro:
    "ইভেন্টে (অর্ডার, পেমেন্ট, ডেলিভারি, স্টক, অ্যালার্ম) অংশীদারদের সাবস্ক্রিপশন। প্রতিটি পাঠানো স্বাক্ষরিত ও লগ করা হয়; বারবার ব্যর্থ সাবস্ক্রিপশন বন্ধ করা হয় এবং অংশীদারকে জানানো হয়।",
  partner: "অংশীদার",
  url: "ঠিকানা",
  events: "ইভেন্ট",
  status: "অবস্থা",
  statuses: { active: "চালু", disabled: "বন্ধ" },
  deliveryStatuses: {
    queued: "অপেক্ষমাণ",
    sending: "পাঠানো হচ্ছে",
    failed: "ব্যর্থ, আবার চেষ্টা হবে",
    succeeded: "পৌঁছেছে",
    dead: "চেষ্টা বন্ধ",
  },
  failures: "পরপর ব্যর্থতা",
  disabledBecause: "বন্ধ",
  noSubscriptions: "এখনো কোনো সাবস্ক্রিপশন নেই।",
  deliveries: "পাঠানো",
  noDeliveries: "এখনো কিছু পাঠানো হয়নি।",
  event: "ইভেন্ট",
  attempts: "চেষ্টা",
  lastCode: "শেষ উত্তর",
  when: "কখন",
  duration: "সময়",
  log: "পাঠানোর লগ",
  redeliver: "আবার পাঠান",
  redelivered: "আবার পাঠানো হয়েছে: লগ দেখুন।",
  enable: "আবার চালু করুন",
  enabled: "আবার চালু হয়েছে।",
  disable: "বন্ধ করুন",
  disabled: "বন্ধ করা হয়েছে।",
  noAnswer: "উত্তর নেই",
  manual: "হাতে",
  back: "সব সাবস্ক্রিপশন",
  notFound: "এমন কোনো সাবস্ক্রিপশন নেই।",
  notice: (url: string, failures: number) =>
    `স্মার্ট ডেইরি: পরপর ${failures}টি ব্যর্থ চেষ্টার পর ${url} ঠিকানায় ওয়েবহুক পাঠানো বন্ধ করেছি। ঠিকানাটি ঠিক করে সাবস্ক্রিপশন আবার চালু করুন।`,
  noticeSubject: "আপনার স্মার্ট ডেইরি ওয়েবহুক সাবস্ক্রিপশন বন্ধ করা হয়েছে",
};

export function webhookMessages(lang: Lang): WebhookMessages {
  return lang === "bn" ? bn : en;
}
