import type { Handlers, PageProps } from "@/framework/mod.ts";
import { waitText } from "@/services/identity/mod.ts";
import {
  field,
  type FieldErrors,
  formErrors,
  limitCodes,
  setFlow,
  throttledText,
} from "@/plugins/auth_forms.ts";
import type { State } from "@/state.ts";
import { AuthCard, AuthNotice, AuthSubmit } from "@/components/AuthCard.tsx";
import { Field, inputClass } from "@/components/ui.tsx";

interface Data {
  csrf: string;
  identifier: string;
  errors: FieldErrors;
  error?: string;
}

/** Password reset, step 1: a code to the phone or email (the same answer whether or not it exists). */
export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    ctx.state.title = `${ctx.state.t.identity.reset.title} — ${ctx.state.t.site.name}`;
    return { data: { csrf: await ctx.csrfToken(), identifier: "", errors: {} } };
  },

  async POST(ctx) {
    const lang = ctx.state.lang;
    const m = ctx.state.t.identity;
    const identifier = field(ctx, "identifier").trim();
    ctx.state.title = `${m.reset.title} — ${ctx.state.t.site.name}`;
    const again = async (status: number, errors: FieldErrors, error?: string) => ({
      status,
      data: { csrf: await ctx.csrfToken(), identifier, errors, error },
    });
    const wait = await limitCodes(ctx, "send");
    if (wait !== null) return again(429, {}, m.common.tooFast(waitText(lang, wait)));
    let r;
    try {
      r = await ctx.state.deps.identity.startPasswordReset({ identifier });
    } catch (e) {
      return again(422, formErrors(e, ctx.state.t));
    }
    if (!r.ok) {
      return again(429, {}, throttledText(lang, r.retryAfterSeconds));
    }
    setFlow(ctx, { purpose: "reset", identifier, sentTo: r.sentTo });
    return new Response(null, { status: 303, headers: { location: "/reset/verify" } });
  },
};

export default function Reset({ data, state, url }: PageProps<Data, State>) {
  const m = state.t.identity;
  return (
    <AuthCard state={state} path={url.pathname} title={m.reset.title}>
      {data.error && <AuthNotice kind="error">{data.error}</AuthNotice>}
      <p class="mb-4 text-gray-700">{m.reset.intro}</p>
      <form method="post" action="/reset" novalidate>
        <input type="hidden" name="_csrf" value={data.csrf} />
        <Field id="identifier" label={m.common.identifier} error={data.errors.identifier}>
          <input
            id="identifier"
            name="identifier"
            value={data.identifier}
            autocomplete="username"
            autocapitalize="none"
            spellcheck={false}
            required
            class={inputClass(!!data.errors.identifier)}
            aria-invalid={data.errors.identifier ? "true" : undefined}
          />
        </Field>
        <AuthSubmit>{m.reset.submit}</AuthSubmit>
      </form>
      <p class="mt-5 text-sm">
        <a href="/signin" class="text-brand-700 underline">{m.common.signIn}</a>
      </p>
    </AuthCard>
  );
}
