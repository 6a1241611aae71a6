/**
 * Partners' webhook subscriptions (issue 16 §4): status, failures in a row, the events; a staff
 * member adds one for a partner here (the signing secret is shown once).
 */
import type { Handlers, PageProps } from "@/framework/mod.ts";
import { requirePermission } from "@/plugins/session.ts";
import { formValues } from "@/plugins/forms.ts";
import type { State } from "@/state.ts";
import { EVENT_TYPES, type Subscription, webhookMessages } from "@/services/webhooks/mod.ts";
import { AuthNotice } from "@/components/AuthCard.tsx";
import {
  Button,
  Field,
  inputClass,
  linkClass,
  ListTable,
  PostForm,
  StatusPill,
} from "@/components/ui.tsx";
import { formatWhen } from "@/services/identity/mod.ts";
import { SUBSCRIPTION_COLORS } from "./(_webhooks)/colors.ts";

interface Data {
  csrf: string;
  rows: (Omit<Subscription, "createdAt" | "disabledAt"> & { createdAt: string })[];
  created?: { id: string; secret: string };
  errors?: Record<string, string>;
  values?: Record<string, string>;
}

async function load(ctx: Parameters<NonNullable<Handlers<Data, State>["GET"]>>[0]) {
  return (await ctx.state.deps.webhooks.list()).map((s) => ({
    ...s,
    disabledAt: undefined,
    createdAt: s.createdAt.toISOString(),
  }));
}

export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    requirePermission(ctx, "outbox.view");
    ctx.state.title = webhookMessages(ctx.state.lang).title;
    return { data: { csrf: await ctx.csrfToken(), rows: await load(ctx) } };
  },
  async POST(ctx) {
    requirePermission(ctx, "outbox.view");
    ctx.state.title = webhookMessages(ctx.state.lang).title;
    const v = formValues(ctx);
    const events = ctx.form?.getAll("events").map(String) ?? [];
    try {
      const r = await ctx.state.deps.webhooks.create(v.partner ?? "", {
        url: v.url ?? "",
        eventTypes: events as never,
        description: v.description ?? "",
        contactEmail: v.email || undefined,
        contactPhone: v.phone || undefined,
        locale: v.locale === "bn" ? "bn" : "en",
      });
      return {
        data: {
          csrf: await ctx.csrfToken(),
          rows: await load(ctx),
          created: { id: r.subscription.id, secret: r.secret },
        },
      };
    } catch (e) {
      if ((e as Error).name !== "ZodError") throw e;
      const errors: Record<string, string> = {};
      for (const i of (e as { issues: { path: PropertyKey[]; message: string }[] }).issues) {
        errors[String(i.path[0] ?? "partner")] ??= i.message;
      }
      if (!v.partner) errors.partner = "A partner id is required";
      return {
        status: 422,
        data: { csrf: await ctx.csrfToken(), rows: await load(ctx), errors, values: v },
      };
    }
  },
};

export default function Webhooks({ data, state }: PageProps<Data, State>) {
  const m = webhookMessages(state.lang);
  const bn = state.lang === "bn";
  const err = data.errors ?? {};
  const val = data.values ?? {};
  return (
    <>
      <h1 class="text-2xl font-bold mb-1">{m.title}</h1>
      <p class="mb-4 text-gray-700 max-w-3xl">{m.intro}</p>
      {data.created && (
        <AuthNotice kind="ok">
          {bn
            ? "সাবস্ক্রিপশন তৈরি হয়েছে। স্বাক্ষরের গোপন চাবি একবারই দেখানো হচ্ছে:"
            : "Subscription created. Its signing secret is shown this once:"}{" "}
          <code class="break-all" data-secret>{data.created.secret}</code>
        </AuthNotice>
      )}
      <ListTable
        heads={[m.partner, m.url, m.events, m.status, m.failures, m.when]}
        empty={m.noSubscriptions}
      >
        {data.rows.map((s) => (
          <tr class="border-t border-gray-100" data-subscription={s.id}>
            <td class="px-3 py-2">{s.partnerId}</td>
            <td class="px-3 py-2 break-all">
              <a class={linkClass} href={`/admin/webhooks/${s.id}`}>{s.url}</a>
            </td>
            <td class="px-3 py-2 text-xs">{s.eventTypes.join(", ")}</td>
            <td class="px-3 py-2">
              <StatusPill
                status={s.status}
                label={m.statuses[s.status]}
                colors={SUBSCRIPTION_COLORS}
              />
            </td>
            <td class="px-3 py-2">{s.consecutiveFailures}</td>
            <td class="px-3 py-2 whitespace-nowrap">
              {formatWhen(state.lang, new Date(s.createdAt))}
            </td>
          </tr>
        ))}
      </ListTable>

      <h2 class="text-xl font-semibold mt-8 mb-2">
        {bn ? "অংশীদারের জন্য সাবস্ক্রিপশন যোগ করুন" : "Add a subscription for a partner"}
      </h2>
      <PostForm csrf={data.csrf} action="/admin/webhooks" class="max-w-xl">
        <Field
          id="wh-partner"
          label={m.partner}
          error={err.partner}
          hint={bn ? "API ক্লায়েন্ট বা B2B অ্যাকাউন্টের আইডি" : "The API client's or B2B account's id"}
        >
          <input
            id="wh-partner"
            name="partner"
            class={inputClass(!!err.partner)}
            value={val.partner ?? ""}
          />
        </Field>
        <Field id="wh-url" label={m.url} error={err.url}>
          <input
            id="wh-url"
            name="url"
            type="url"
            class={inputClass(!!err.url)}
            value={val.url ?? ""}
            placeholder="https://partner.example/webhooks"
          />
        </Field>
        <fieldset class="mb-4">
          <legend class="block text-sm font-medium mb-1">{m.events}</legend>
          {EVENT_TYPES.map((e) => (
            <label class="inline-flex items-center gap-1 mr-4 text-sm">
              <input type="checkbox" name="events" value={e} /> {e}
            </label>
          ))}
          {err.eventTypes && <p class="text-sm text-red-700 mt-1" role="alert">{err.eventTypes}</p>}
        </fieldset>
        <Field
          id="wh-email"
          label={bn ? "বন্ধ হলে জানানোর ইমেইল" : "Email told when disabled"}
          error={err.contactEmail}
        >
          <input
            id="wh-email"
            name="email"
            type="email"
            class={inputClass(!!err.contactEmail)}
            value={val.email ?? ""}
          />
        </Field>
        <Field
          id="wh-phone"
          label={bn ? "বন্ধ হলে জানানোর মোবাইল" : "Mobile told when disabled"}
          error={err.contactPhone}
          hint="+8801…"
        >
          <input
            id="wh-phone"
            name="phone"
            class={inputClass(!!err.contactPhone)}
            value={val.phone ?? ""}
          />
        </Field>
        <Button>{bn ? "যোগ করুন" : "Add"}</Button>
      </PostForm>
    </>
  );
}
