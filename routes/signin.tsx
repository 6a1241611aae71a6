import type { Handlers, PageProps } from "@/framework/mod.ts";
import { redirect, renderNonce } from "@/framework/mod.ts";
import { socialClients, type SocialProvider, waitText } from "@/services/identity/mod.ts";
import { clientIp, homeFor, safeNext, startSession } from "@/plugins/session.ts";
import { field, limitText, limitWrite } from "@/plugins/auth_forms.ts";
import type { State } from "@/state.ts";
import {
  AuthCard,
  AuthNotice,
  AuthSubmit,
  IdentifierField,
  KeepSignedIn,
} from "@/components/AuthCard.tsx";
import { Field, inputClass, PostForm } from "@/components/ui.tsx";

interface Data {
  csrf: string;
  identifier: string;
  next: string;
  error?: { text: string; retry?: string; locked?: boolean; withCode?: boolean };
  notice?: string;
  /** Signing in again for a sensitive change (the session was opened by a remembered device). */
  reauth?: boolean;
  /** "Keep me signed in on this device" is ticked. */
  remember?: boolean;
  /** Configured "Continue with …" providers. */
  social?: SocialProvider[];
  /** Why signing in with Google/Facebook failed. */
  socialError?: string;
}

const NOTICES = { reset: "resetDone", signedout: "signedOut", expired: "expired" } as const;

export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    const next = ctx.url.searchParams.get("next") ?? "";
    const reauth = ctx.url.searchParams.has("reauth") && !!ctx.state.user;
    if (ctx.state.user && !reauth) {
      throw redirect(safeNext(next, homeFor(ctx.state.user.roles)));
    }
    const m = ctx.state.t.identity;
    ctx.state.title = `${m.signin.title} — ${ctx.state.t.site.name}`;
    const notice = Object.entries(NOTICES).find(([k]) => ctx.url.searchParams.has(k))?.[1];
    return {
      data: {
        csrf: await ctx.csrfToken(),
        identifier: "",
        next: safeNext(next, ""),
        notice: reauth ? m.devices.reauth : notice ? m.signin[notice] : undefined,
        reauth,
        social: Object.keys(socialClients(ctx.state.deps.config)) as SocialProvider[],
        socialError: socialErrorText(m, ctx.url.searchParams.get("social_error")),
        // Signing in again on a remembered device keeps remembering it unless unticked.
        remember: reauth,
      },
    };
  },

  async POST(ctx) {
    const m = ctx.state.t.identity;
    const identifier = field(ctx, "identifier").trim();
    const next = safeNext(field(ctx, "next"), "");
    const remember = field(ctx, "remember") === "1";
    const refused = await limitWrite(ctx, "signin");
    if (refused) {
      ctx.state.title = `${m.signin.title} — ${ctx.state.t.site.name}`;
      return {
        status: 429,
        headers: { "retry-after": String(refused.retryAfterSeconds) },
        data: {
          csrf: await ctx.csrfToken(),
          identifier,
          next,
          remember,
          error: { text: limitText(ctx.state.lang, refused), withCode: true },
        },
      };
    }
    const r = await ctx.state.deps.identity.authenticate({
      identifier,
      password: field(ctx, "password"),
      ip: clientIp(ctx),
    });
    if (!r.ok) {
      ctx.state.title = `${m.signin.title} — ${ctx.state.t.site.name}`;
      const status = r.reason === "invalid" ? 401 : r.reason === "disabled" ? 403 : 429;
      const headers: HeadersInit = r.retryAfterSeconds
        ? { "retry-after": String(r.retryAfterSeconds) }
        : {};
      return {
        status,
        headers,
        data: {
          csrf: await ctx.csrfToken(),
          identifier,
          next,
          remember,
          error: {
            text: m.signin.reasons[r.reason],
            retry: r.retryAfterSeconds
              ? m.common.retryIn(waitText(ctx.state.lang, r.retryAfterSeconds))
              : undefined,
            locked: r.reason === "locked",
            withCode: r.reason === "locked" || r.reason === "throttled",
          },
        },
      };
    }
    const dest = next || homeFor(r.user.roles);
    if (r.needsSecondFactor) {
      await startSession(ctx, r.user, { stage: "second_factor", next: dest, remember });
      return seeOther("/signin/verify");
    }
    await startSession(ctx, r.user, { stage: "signed_in", remember });
    if (r.mustEnrollSecondFactor) {
      return seeOther(`/account/two-factor?next=${encodeURIComponent(dest)}`);
    }
    return seeOther(dest);
  },
};

function socialErrorText(
  m: State["t"]["identity"],
  reason: string | null,
): string | undefined {
  const reasons = m.social.reasons as Record<string, string>;
  return reason && Object.hasOwn(reasons, reason) ? reasons[reason] : undefined;
}

function seeOther(location: string): Response {
  return new Response(null, { status: 303, headers: { location } });
}

export default function SignIn({ data, state, url }: PageProps<Data, State>) {
  const m = state.t.identity;
  return (
    <AuthCard state={state} path={url.pathname} title={m.signin.title}>
      {data.notice && <AuthNotice kind="info">{data.notice}</AuthNotice>}
      {data.socialError && <AuthNotice kind="error">{data.socialError}</AuthNotice>}
      {data.error && (
        <AuthNotice kind="error">
          {data.error.text}
          {data.error.retry && <>{data.error.retry}</>}
          {data.error.locked && (
            <>
              {" "}
              <a href="/reset" class="underline">{m.signin.lockedHelp}</a>
            </>
          )}
          {data.error.withCode && (
            <>
              {" "}
              <a href="/signin/code" class="underline" data-code-signin>{m.signin.withCode}</a>
            </>
          )}
        </AuthNotice>
      )}
      <p class="mb-4 text-gray-700">{m.signin.intro}</p>
      {state.deps.demoAccounts && (
        <aside class="mb-4 rounded border border-brand-100 bg-brand-50 p-3 text-sm" data-demo>
          <p class="font-semibold">{m.signin.demoTitle}</p>
          <p>{m.signin.demoCustomer}</p>
          <p>{m.signin.demoStaff}</p>
          <p>{m.signin.demoPassword}</p>
        </aside>
      )}
      <PostForm csrf={data.csrf} action="/signin" novalidate>
        <input type="hidden" name="next" value={data.next} />
        <IdentifierField
          label={m.common.identifier}
          value={data.identifier}
          placeholder="01712-345678"
        />
        <Field id="password" label={m.common.password}>
          <input
            id="password"
            name="password"
            type="password"
            autocomplete="current-password"
            required
            class={inputClass(false)}
          />
        </Field>
        <KeepSignedIn m={m} checked={data.remember} />
        <AuthSubmit>{m.signin.submit}</AuthSubmit>
        {
          /* The social buttons post this form's "keep me signed in" (and next) to their start,
             not the password: formnovalidate, and the social start reads only those two. */
        }
        {(data.social ?? []).map((p) => (
          <button
            type="submit"
            formaction={`/signin/social/${p}`}
            formnovalidate
            class="mt-3 block w-full text-center rounded border border-gray-400 bg-white px-4 py-2"
            data-social={p}
          >
            {m.social[p]}
          </button>
        ))}
      </PostForm>
      <div
        class="mt-4"
        hidden
        data-passkey-signin
        data-csrf={data.csrf}
        data-next={data.next}
        data-failed={m.passkeys.failed}
      >
        <button
          type="button"
          class="w-full rounded border border-brand-700 text-brand-800 bg-white px-4 py-2"
          disabled
        >
          {m.passkeys.signIn}
        </button>
        <p class="mt-2 text-sm text-red-800" role="status" data-passkey-status></p>
      </div>
      <script src="/passkey.js" defer nonce={renderNonce()}></script>
      <div class="mt-5 text-sm space-y-2">
        <p>
          <a href="/reset" class="text-brand-700 underline">{m.common.forgot}</a>
        </p>
        <p>
          <a href="/signin/code" class="text-brand-700 underline">{m.codeSignin.title}</a>
        </p>
        <p>
          {m.signin.noAccount}{" "}
          <a href="/signup" class="text-brand-700 underline">{m.common.signUp}</a>
        </p>
      </div>
    </AuthCard>
  );
}
