import { type Handlers, type PageProps, renderNonce } from "@/framework/mod.ts";
import { can } from "@/services/identity/mod.ts";
import { assertSignedIn } from "@/plugins/session.ts";
import { field } from "@/plugins/auth_forms.ts";
import type { State } from "@/state.ts";
import { AccountPage } from "@/components/AccountNav.tsx";
import { AuthNotice } from "@/components/AuthCard.tsx";
import type { PreferredChannel } from "@/services/notify/mod.ts";

const TEXT = {
  en: {
    title: "Notifications",
    intro:
      "Choose what we send to your phone and email. Sign-in and password codes and security notices are always sent.",
    orders: "Order updates (confirmed, on the way, delivered)",
    promos: "Offers and news (never between 9 pm and 9 am)",
    optedOut:
      "You replied STOP, so we send you no order updates or offers. Saving here turns them back on.",
    save: "Save",
    saved: "Your choices are saved.",
    devices: "Alerts on this device",
    devicesIntro:
      "Staff: get cold-chain alarms and tasks on this phone or computer, even when the page is closed.",
    enable: "Turn on alerts on this device",
    disable: "Turn off alerts on this device",
    subscribed: "Devices with alerts on",
    none: "No device yet.",
    unsupported: "This browser cannot receive alerts.",
    channel: "Send order updates by",
    channels: { sms: "SMS", whatsapp: "WhatsApp", email: "Email", push: "Alerts on my devices" },
  },
  bn: {
    title: "নোটিফিকেশন",
    intro:
      "আপনার ফোন ও ইমেইলে আমরা কী পাঠাব তা বেছে নিন। সাইন-ইন ও পাসওয়ার্ড কোড এবং নিরাপত্তা বার্তা সবসময় পাঠানো হয়।",
    orders: "অর্ডারের খবর (নিশ্চিত, পথে, পৌঁছেছে)",
    promos: "অফার ও খবর (রাত ৯টা থেকে সকাল ৯টার মধ্যে কখনো নয়)",
    optedOut: "আপনি STOP লিখেছেন, তাই অর্ডারের খবর বা অফার পাঠানো হয় না। এখানে সংরক্ষণ করলে আবার চালু হবে।",
    save: "সংরক্ষণ করুন",
    saved: "আপনার পছন্দ সংরক্ষিত হয়েছে।",
    devices: "এই ডিভাইসে সতর্কবার্তা",
    devicesIntro: "কর্মীরা: পেজ বন্ধ থাকলেও এই ফোন বা কম্পিউটারে কোল্ড-চেইন অ্যালার্ম ও কাজের খবর পান।",
    enable: "এই ডিভাইসে সতর্কবার্তা চালু করুন",
    disable: "এই ডিভাইসে সতর্কবার্তা বন্ধ করুন",
    subscribed: "সতর্কবার্তা চালু থাকা ডিভাইস",
    none: "এখনো কোনো ডিভাইস নেই।",
    unsupported: "এই ব্রাউজার সতর্কবার্তা পেতে পারে না।",
    channel: "অর্ডারের খবর পাঠান",
    channels: { sms: "এসএমএস", whatsapp: "হোয়াটসঅ্যাপ", email: "ইমেইল", push: "আমার ডিভাইসে সতর্কবার্তা" },
  },
};

/** Staff: the back office, the farm PWA or the IoT screens (their alarms and tasks). */
const STAFF = ["admin.access", "farm.record", "iot.view"] as const;

interface Data {
  csrf: string;
  addresses: string[];
  orderUpdates: boolean;
  promotional: boolean;
  /** The channel order updates go by, and the ones that can reach this person. */
  channel: PreferredChannel;
  channels: PreferredChannel[];
  optedOut: boolean;
  staff: boolean;
  vapidKey: string | null;
  devices: { device: string; createdAt: string }[];
  saved: boolean;
}

/** The signed-in person's addresses: their phone (+8801…) and email, as the outbox has them. */
async function addressesOf(ctx: Parameters<NonNullable<Handlers<Data, State>["GET"]>>[0]) {
  const me = assertSignedIn(ctx);
  const u = await ctx.state.deps.identity.getUser(me.id);
  return { me, list: [u?.phone, u?.email].filter((a): a is string => !!a) };
}

/** The channels that can reach the signed-in person: email needs an address, push a device. */
async function channelsFor(
  ctx: Parameters<NonNullable<Handlers<Data, State>["GET"]>>[0],
  list: string[],
): Promise<PreferredChannel[]> {
  const me = assertSignedIn(ctx);
  const out: PreferredChannel[] = ["sms", "whatsapp"];
  if (list.some((a) => a.includes("@"))) out.push("email");
  if ((await ctx.state.deps.notify.pushSubscriptions(me.id)).length) out.push("push");
  return out;
}

/**
 * Notification preferences (order updates, offers; a STOP by SMS shows here and saving undoes
 * it) and, for staff, Web Push on this device (static/push.js subscribes, /account/push keeps it).
 */
export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    const { me, list } = await addressesOf(ctx);
    const notify = ctx.state.deps.notify;
    const prefs = await Promise.all(list.map((a) => notify.preferences(a)));
    const staff = STAFF.some((p) => can(me.roles, p));
    ctx.state.title = `${TEXT[ctx.state.lang].title} — ${ctx.state.t.site.name}`;
    return {
      data: {
        csrf: await ctx.csrfToken(),
        addresses: list,
        orderUpdates: prefs.every((p) => p.orderUpdates),
        promotional: prefs.every((p) => p.promotional),
        channel: prefs[0]?.channel ?? "sms",
        channels: await channelsFor(ctx, list),
        optedOut: prefs.some((p) => p.optedOut),
        staff,
        vapidKey: staff ? notify.vapidPublicKey() : null,
        devices: staff
          ? (await notify.pushSubscriptions(me.id)).map((s) => ({
            device: s.device,
            createdAt: s.createdAt.toISOString(),
          }))
          : [],
        saved: ctx.url.searchParams.has("saved"),
      },
    };
  },

  async POST(ctx) {
    const { list } = await addressesOf(ctx);
    const chosen = field(ctx, "channel");
    const allowed = await channelsFor(ctx, list);
    const p = {
      orderUpdates: field(ctx, "order_updates") === "on",
      promotional: field(ctx, "promotional") === "on",
      channel: allowed.find((c) => c === chosen),
      // Email updates go to the account's address (kept with the preference).
      email: list.find((a) => a.includes("@")) ?? null,
    };
    for (const a of list) await ctx.state.deps.notify.setPreferences(a, p);
    return new Response(null, {
      status: 303,
      headers: { location: "/account/notifications?saved=1" },
    });
  },
};

export default function Notifications({ data, state, url }: PageProps<Data, State>) {
  const t = TEXT[state.lang];
  return (
    <AccountPage state={state} path={url.pathname} title={t.title}>
      {data.saved && <AuthNotice kind="ok">{t.saved}</AuthNotice>}
      {data.optedOut && <AuthNotice kind="error">{t.optedOut}</AuthNotice>}
      <form
        method="post"
        action="/account/notifications"
        class="bg-white border border-gray-200 rounded-lg p-4 mb-4 max-w-xl space-y-3"
        data-preferences
      >
        <p class="text-sm text-gray-700">{t.intro}</p>
        <input type="hidden" name="_csrf" value={data.csrf} />
        <label class="flex gap-2 items-start">
          <input
            type="checkbox"
            name="order_updates"
            checked={data.orderUpdates && !data.optedOut}
          />
          <span>{t.orders}</span>
        </label>
        <label class="flex gap-2 items-start">
          <input type="checkbox" name="promotional" checked={data.promotional && !data.optedOut} />
          <span>{t.promos}</span>
        </label>
        <label class="flex flex-col gap-1">
          <span>{t.channel}</span>
          <select name="channel" class="border rounded px-2 py-1" data-channel>
            {data.channels.map((c) => (
              <option value={c} selected={data.channel === c}>{t.channels[c]}</option>
            ))}
          </select>
        </label>
        <button type="submit" class="rounded bg-brand-600 text-white px-4 py-2">{t.save}</button>
      </form>
      {data.staff && (
        <section
          class="bg-white border border-gray-200 rounded-lg p-4 mb-4 max-w-xl space-y-3"
          data-push
          data-vapid-key={data.vapidKey ?? ""}
          data-csrf={data.csrf}
          data-unsupported={t.unsupported}
        >
          <h2 class="text-xl font-semibold">{t.devices}</h2>
          <p class="text-sm text-gray-700">{t.devicesIntro}</p>
          <div class="flex flex-wrap gap-2">
            <button type="button" data-push-on class="rounded bg-brand-600 text-white px-4 py-2">
              {t.enable}
            </button>
            <button
              type="button"
              data-push-off
              class="rounded border border-gray-400 bg-white px-4 py-2"
            >
              {t.disable}
            </button>
          </div>
          <p data-push-status class="text-sm text-gray-700" role="status"></p>
          <h3 class="font-semibold">{t.subscribed}</h3>
          {data.devices.length === 0
            ? <p class="text-sm text-gray-600">{t.none}</p>
            : (
              <ul class="text-sm list-disc pl-5">
                {data.devices.map((d) => <li>{d.device || "—"}</li>)}
              </ul>
            )}
          <script src="/push.js" defer nonce={renderNonce()}></script>
        </section>
      )}
    </AccountPage>
  );
}
