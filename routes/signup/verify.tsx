import type { Handlers, PageProps } from "@/framework/mod.ts";
import { redirect } from "@/framework/mod.ts";
import { completeSignUp } from "@/services/identity/users.ts";
import { sessionStore } from "@/services/identity/sessions.ts";
import { im, waitText } from "@/services/identity/messages.ts";
import { startSession } from "@/plugins/session.ts";
import {
  clearFlow,
  database,
  field,
  type FieldErrors,
  getFlow,
  limitCodes,
  serviceFieldErrors,
} from "@/plugins/auth_forms.ts";
import type { State } from "@/state.ts";
import { AuthCard, AuthNotice, AuthSubmit } from "@/components/AuthCard.tsx";
import { FormField, inputClass } from "@/components/FormField.tsx";

interface Data {
  csrf: string;
  sentTo: string;
  errors: FieldErrors;
  error?: string;
}

/** Sign-up, step 2: the code from the message creates the account and signs the person in. */
export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    const flow = getFlow(ctx, "signup");
    if (!flow) throw redirect("/signup");
    ctx.state.title = `${im(ctx.state.lang).signup.verifyTitle} — ${ctx.state.t.site.name}`;
    return { data: { csrf: await ctx.csrfToken(), sentTo: flow.sentTo, errors: {} } };
  },

  async POST(ctx) {
    const flow = getFlow(ctx, "signup");
    if (!flow) throw redirect("/signup");
    const { keyring, kv } = ctx.state.deps;
    const db = database(ctx);
    const lang = ctx.state.lang;
    const m = im(lang);
    ctx.state.title = `${m.signup.verifyTitle} — ${ctx.state.t.site.name}`;
    const again = async (status: number, errors: FieldErrors, error?: string) => ({
      status,
      data: { csrf: await ctx.csrfToken(), sentTo: flow.sentTo, errors, error },
    });
    const wait = await limitCodes(ctx, "check");
    if (wait !== null) return again(429, {}, m.common.tooFast(waitText(lang, wait)));
    let r;
    try {
      r = await completeSignUp(db.sql, keyring, {
        identifier: flow.identifier,
        code: field(ctx, "code"),
      }, { now: kv ? new Date(sessionStore(kv).now()) : undefined });
    } catch (e) {
      return again(422, serviceFieldErrors(e, lang));
    }
    if (!r.ok) {
      const left = r.attemptsLeft ? ` ${m.codes.attemptsLeft(r.attemptsLeft)}` : "";
      return again(r.reason === "invalid_code" ? 401 : 410, {}, m.codes[r.reason] + left);
    }
    clearFlow(ctx);
    await startSession(ctx, r.user, { stage: "signed_in" });
    return new Response(null, { status: 303, headers: { location: "/account?welcome=1" } });
  },
};

export default function SignUpVerify({ data, state, url }: PageProps<Data, State>) {
  const m = im(state.lang);
  return (
    <AuthCard state={state} path={url.pathname} title={m.signup.verifyTitle}>
      {data.error && <AuthNotice kind="error">{data.error}</AuthNotice>}
      <p class="mb-4 text-gray-700">{m.signup.verifyIntro(data.sentTo)}</p>
      <form method="post" action="/signup/verify" novalidate>
        <input type="hidden" name="_csrf" value={data.csrf} />
        <FormField id="code" label={m.common.code} errors={data.errors.code}>
          <input
            id="code"
            name="code"
            inputmode="numeric"
            autocomplete="one-time-code"
            pattern="[0-9]*"
            maxlength={6}
            required
            autofocus
            class={`${inputClass(!!data.errors.code || !!data.error)} text-lg tracking-widest`}
          />
        </FormField>
        <AuthSubmit>{m.signup.verifySubmit}</AuthSubmit>
      </form>
      <p class="mt-5 text-sm">
        <a href="/signup" class="text-brand-700 underline">{m.signup.startAgain}</a>
      </p>
    </AuthCard>
  );
}
