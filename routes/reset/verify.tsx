import type { Handlers, PageProps } from "@/framework/mod.ts";
import { redirect } from "@/framework/mod.ts";
import { completePasswordReset } from "@/services/identity/users.ts";
import { sessionStore } from "@/services/identity/sessions.ts";
import { im, waitText } from "@/services/identity/messages.ts";
import { endSession } from "@/plugins/session.ts";
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

/**
 * Password reset, step 2: code + new password. Every session of the account ends (whoever knew
 * the old password is out); the person then signs in with the new one.
 */
export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    const flow = getFlow(ctx, "reset");
    if (!flow) throw redirect("/reset");
    ctx.state.title = `${im(ctx.state.lang).reset.verifyTitle} — ${ctx.state.t.site.name}`;
    return { data: { csrf: await ctx.csrfToken(), sentTo: flow.sentTo, errors: {} } };
  },

  async POST(ctx) {
    const flow = getFlow(ctx, "reset");
    if (!flow) throw redirect("/reset");
    const { keyring, kv } = ctx.state.deps;
    const db = database(ctx);
    const lang = ctx.state.lang;
    const m = im(lang);
    ctx.state.title = `${m.reset.verifyTitle} — ${ctx.state.t.site.name}`;
    const again = async (status: number, errors: FieldErrors, error?: string) => ({
      status,
      data: { csrf: await ctx.csrfToken(), sentTo: flow.sentTo, errors, error },
    });
    const wait = await limitCodes(ctx, "check");
    if (wait !== null) return again(429, {}, m.common.tooFast(waitText(lang, wait)));
    let r;
    try {
      r = await completePasswordReset(db.sql, keyring, {
        identifier: flow.identifier,
        code: field(ctx, "code"),
        newPassword: field(ctx, "newPassword"),
      }, { now: kv ? new Date(sessionStore(kv).now()) : undefined });
    } catch (e) {
      return again(422, serviceFieldErrors(e, lang), m.common.fixErrors);
    }
    if (!r.ok) {
      const left = r.attemptsLeft ? ` ${m.codes.attemptsLeft(r.attemptsLeft)}` : "";
      return again(r.reason === "invalid_code" ? 401 : 410, {}, m.codes[r.reason] + left);
    }
    if (kv) await sessionStore(kv).destroyAllForUser(r.userId);
    await endSession(ctx);
    clearFlow(ctx);
    return new Response(null, { status: 303, headers: { location: "/signin?reset=1" } });
  },
};

export default function ResetVerify({ data, state, url }: PageProps<Data, State>) {
  const m = im(state.lang);
  const err = (k: string) => data.errors[k] ?? [];
  return (
    <AuthCard state={state} path={url.pathname} title={m.reset.verifyTitle}>
      {data.error && <AuthNotice kind="error">{data.error}</AuthNotice>}
      <p class="mb-4 text-gray-700">{m.reset.verifyIntro(data.sentTo)}</p>
      <form method="post" action="/reset/verify" novalidate>
        <input type="hidden" name="_csrf" value={data.csrf} />
        <FormField id="code" label={m.common.code} errors={err("code")}>
          <input
            id="code"
            name="code"
            inputmode="numeric"
            autocomplete="one-time-code"
            pattern="[0-9]*"
            maxlength={6}
            required
            class={`${inputClass(!!data.errors.code)} text-lg tracking-widest`}
          />
        </FormField>
        <FormField id="newPassword" label={m.common.newPassword} errors={err("newPassword")}>
          <input
            id="newPassword"
            name="newPassword"
            type="password"
            autocomplete="new-password"
            required
            minlength={10}
            aria-describedby="newPassword-hint"
            class={inputClass(!!data.errors.newPassword)}
            aria-invalid={data.errors.newPassword ? "true" : undefined}
          />
          <p id="newPassword-hint" class="text-sm text-gray-600 mt-1">{m.common.newPasswordHint}</p>
        </FormField>
        <AuthSubmit>{m.reset.verifySubmit}</AuthSubmit>
      </form>
      <p class="mt-5 text-sm">
        <a href="/reset" class="text-brand-700 underline">{m.reset.startAgain}</a>
      </p>
    </AuthCard>
  );
}
