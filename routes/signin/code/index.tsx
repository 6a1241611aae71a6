import type { Handlers, PageProps } from "@/framework/mod.ts";
import { redirect } from "@/framework/mod.ts";
import { waitText } from "@/services/identity/mod.ts";
import { homeFor, safeNext } from "@/plugins/session.ts";
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

/**
 * Sign-in by one-time code, step 1: a code to the phone or email (the same answer whether or not
 * the account exists). Stays open while password sign-in is throttled for the account, so that
 * an attacker failing passwords from other addresses cannot keep the owner out.
 */
export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    if (ctx.state.user) {
      throw redirect(safeNext(ctx.url.searchParams.get("next"), homeFor(ctx.state.user.roles)));
    }
    ctx.state.title = `${ctx.state.t.identity.codeSignin.title} — ${ctx.state.t.site.name}`;
    const identifier = (ctx.url.searchParams.get("identifier") ?? "").slice(0, 320);
    return { data: { csrf: await ctx.csrfToken(), identifier, errors: {} } };
  },

  async POST(ctx) {
    const lang = ctx.state.lang;
    const m = ctx.state.t.identity;
    const identifier = field(ctx, "identifier").trim();
    ctx.state.title = `${m.codeSignin.title} — ${ctx.state.t.site.name}`;
    const again = async (status: number, errors: FieldErrors, error?: string) => ({
      status,
      data: { csrf: await ctx.csrfToken(), identifier, errors, error },
    });
    const wait = await limitCodes(ctx, "send");
    if (wait !== null) return again(429, {}, m.common.tooFast(waitText(lang, wait)));
    let r;
    try {
      r = await ctx.state.deps.identity.startCodeSignIn({ identifier });
    } catch (e) {
      return again(422, formErrors(e, ctx.state.t));
    }
    if (!r.ok) return again(429, {}, throttledText(lang, r.retryAfterSeconds));
    setFlow(ctx, { purpose: "signin", identifier, sentTo: r.sentTo });
    return new Response(null, { status: 303, headers: { location: "/signin/code/verify" } });
  },
};

export default function CodeSignIn({ data, state, url }: PageProps<Data, State>) {
  const m = state.t.identity;
  return (
    <AuthCard state={state} path={url.pathname} title={m.codeSignin.title}>
      {data.error && <AuthNotice kind="error">{data.error}</AuthNotice>}
      <p class="mb-4 text-gray-700">{m.codeSignin.intro}</p>
      <form method="post" action="/signin/code" novalidate>
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
        <AuthSubmit>{m.codeSignin.submit}</AuthSubmit>
      </form>
      <p class="mt-5 text-sm">
        <a href="/signin" class="text-brand-700 underline">{m.common.signIn}</a>
      </p>
    </AuthCard>
  );
}
