import type { Handlers, PageProps } from "@/framework/mod.ts";
import { contactSchema, TOPICS } from "@/services/site/mod.ts";
import { translateError } from "@/services/i18n/mod.ts";
import { waitText } from "@/services/identity/mod.ts";
import type { State } from "@/state.ts";
import { SiteLayout } from "@/components/SiteLayout.tsx";
import { Field, inputClass, PostForm } from "@/components/ui.tsx";
import MessageCounter from "@/islands/MessageCounter.tsx";
import { limitWrite } from "@/plugins/auth_forms.ts";

interface Data {
  csrf: string;
  values: Record<string, string>;
  errors: Record<string, string[]>;
  sent: boolean;
  /** Too many messages (from this address, or from everyone): nothing was stored. */
  limited?: string;
}

const MAX_MESSAGE = 2000;

export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    ctx.state.title = `${ctx.state.t.contact.title} — ${ctx.state.t.site.name}`;
    const sent = ctx.url.searchParams.get("sent") === "1";
    return { data: { csrf: await ctx.csrfToken(), values: {}, errors: {}, sent } };
  },
  async POST(ctx) {
    const form = ctx.form!;
    const values = Object.fromEntries(
      ["name", "phone", "email", "topic", "message"].map((k) => [k, form.get(k)?.toString() ?? ""]),
    );
    // Bad input is answered before the rate limit counts the message.
    const parsed = contactSchema.safeParse(values);
    if (!parsed.success) {
      ctx.state.title = `${ctx.state.t.contact.title} — ${ctx.state.t.site.name}`;
      const errors = translateError(ctx.state.t, parsed.error)!.fields;
      return {
        status: 422,
        data: { csrf: await ctx.csrfToken(), values, errors, sent: false },
      };
    }
    const refused = await limitWrite(ctx, "contact");
    if (refused) {
      ctx.state.title = `${ctx.state.t.contact.title} — ${ctx.state.t.site.name}`;
      const m = ctx.state.t.identity;
      const wait = m.common.retryIn(waitText(ctx.state.lang, refused.retryAfterSeconds));
      return {
        status: 429,
        headers: { "retry-after": String(refused.retryAfterSeconds) },
        data: {
          csrf: await ctx.csrfToken(),
          values,
          errors: {},
          sent: false,
          limited: `${refused.scope === "global" ? m.limits.busy : m.limits.contact} ${wait}`,
        },
      };
    }
    await ctx.state.deps.site.contact(values, ctx.state.lang);
    // Post/redirect/get: a reload does not send the message twice.
    return new Response(null, { status: 303, headers: { location: "/contact?sent=1" } });
  },
};

export default function Contact({ data, state, url }: PageProps<Data, State>) {
  const { t } = state;
  const err = (k: string) => data.errors[k] ?? [];
  const v = data.values;
  const hasErrors = Object.keys(data.errors).length > 0;
  return (
    <SiteLayout state={state} path={url.pathname}>
      <h1 class="text-3xl font-bold mb-3">{t.contact.title}</h1>
      <p class="mb-6">{t.contact.intro}</p>
      {data.sent && (
        <p role="status" class="rounded bg-green-100 text-green-900 p-3 mb-4">{t.contact.sent}</p>
      )}
      {data.limited && (
        <p role="alert" class="rounded bg-red-100 text-red-900 p-3 mb-4" data-limited>
          {data.limited}
        </p>
      )}
      {hasErrors && (
        <p role="alert" class="rounded bg-red-100 text-red-900 p-3 mb-4">{t.contact.fixErrors}</p>
      )}
      <div class="grid gap-8 md:grid-cols-3">
        <PostForm
          csrf={data.csrf}
          action="/contact"
          class="md:col-span-2 bg-white rounded-lg border p-4"
          novalidate
        >
          <Field id="name" label={t.contact.name} error={err("name")}>
            <input
              id="name"
              name="name"
              value={v.name ?? ""}
              autocomplete="name"
              required
              class={inputClass(!!data.errors.name)}
              aria-invalid={data.errors.name ? "true" : undefined}
            />
          </Field>
          <Field id="phone" label={t.contact.phone} error={err("phone")}>
            <input
              id="phone"
              name="phone"
              type="tel"
              inputmode="tel"
              value={v.phone ?? ""}
              autocomplete="tel"
              required
              placeholder="01712-345678"
              class={inputClass(!!data.errors.phone)}
              aria-invalid={data.errors.phone ? "true" : undefined}
            />
          </Field>
          <Field id="email" label={t.contact.email} error={err("email")}>
            <input
              id="email"
              name="email"
              type="email"
              value={v.email ?? ""}
              autocomplete="email"
              class={inputClass(!!data.errors.email)}
              aria-invalid={data.errors.email ? "true" : undefined}
            />
          </Field>
          <Field id="topic" label={t.contact.topic} error={err("topic")}>
            <select id="topic" name="topic" class={inputClass(!!data.errors.topic)}>
              {TOPICS.map((k) => (
                <option value={k} selected={v.topic === k}>{t.contact.topics[k]}</option>
              ))}
            </select>
          </Field>
          <Field id="message" label={t.contact.message} error={err("message")}>
            <MessageCounter
              id="message"
              name="message"
              value={v.message ?? ""}
              maxLength={MAX_MESSAGE}
              leftLabel={t.contact.charsLeft}
              invalid={!!data.errors.message}
            />
          </Field>
          <button type="submit" class="rounded bg-brand-600 text-white font-semibold px-4 py-2">
            {t.contact.send}
          </button>
        </PostForm>
        <aside class="text-gray-800">
          <p class="mb-2">{t.contact.address}</p>
          <p>
            {t.contact.hotline}:{" "}
            <a class="text-brand-700" href="tel:+8809612000000">09612-000000</a>
          </p>
        </aside>
      </div>
    </SiteLayout>
  );
}
