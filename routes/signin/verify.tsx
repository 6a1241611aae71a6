import type { Handlers, PageProps } from "@/framework/mod.ts";
import { redirect } from "@/framework/mod.ts";
import { type Session, waitText } from "@/services/identity/mod.ts";
import type { Context } from "@/framework/mod.ts";
import { clientIp, currentSession, homeFor, safeNext, startSession } from "@/plugins/session.ts";
import { field, limitCodes } from "@/plugins/auth_forms.ts";
import type { State } from "@/state.ts";
import { AuthCard, AuthNotice, SecondFactorForm } from "@/components/AuthCard.tsx";

interface Data {
  csrf: string;
  /** Confirming a signed-in session for the back office (rather than finishing a sign-in). */
  stepUp: boolean;
  next: string;
  /** Sent here by guest checkout: the page says why a second step is asked. */
  forCheckout?: boolean;
  error?: string;
  startOver?: boolean;
}

/**
 * The second step of signing in: a TOTP code or a recovery code. Also the "step-up" for a
 * signed-in session that has not verified the second factor yet (the back office asks for it).
 */
function pending(ctx: Context<State>): { session: Session; stepUp: boolean; next: string } {
  const s = currentSession(ctx);
  const param = safeNext(ctx.url.searchParams.get("next") ?? field(ctx, "next"), "");
  if (s?.stage === "second_factor") {
    return { session: s, stepUp: false, next: s.next ?? homeFor(s.user.roles) };
  }
  if (s && s.stage === "signed_in" && s.totpEnabled && !s.secondFactorAt) {
    return { session: s, stepUp: true, next: param || homeFor(s.user.roles) };
  }
  if (s && s.stage === "signed_in") throw redirect(param || homeFor(s.user.roles));
  throw redirect("/signin?expired=1");
}

export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    const p = pending(ctx);
    ctx.state.title = `${ctx.state.t.identity.verify.title} — ${ctx.state.t.site.name}`;
    const forCheckout = ctx.url.searchParams.get("why") === "checkout";
    return { data: { csrf: await ctx.csrfToken(), stepUp: p.stepUp, next: p.next, forCheckout } };
  },

  async POST(ctx) {
    const p = pending(ctx);
    const identity = ctx.state.deps.identity;
    const m = ctx.state.t.identity;
    ctx.state.title = `${m.verify.title} — ${ctx.state.t.site.name}`;
    const fail = async (status: number, error: string, startOver = false) => ({
      status,
      data: { csrf: await ctx.csrfToken(), stepUp: p.stepUp, next: p.next, error, startOver },
    });
    const wait = await limitCodes(ctx, "check");
    if (wait !== null) {
      return fail(429, m.common.tooFast(waitText(ctx.state.lang, wait)));
    }
    const now = identity.now();
    const r = await identity.verifySecondFactor({
      userId: p.session.user.id,
      code: field(ctx, "code"),
      ip: clientIp(ctx),
      now,
    });
    if (!r.ok) {
      if (r.reason === "not_enrolled") throw redirect("/signin?expired=1");
      const retry = r.retryAfterSeconds
        ? ` ${m.common.retryIn(waitText(ctx.state.lang, r.retryAfterSeconds))}`
        : "";
      return fail(
        r.reason === "locked" ? 429 : 401,
        m.verify.reasons[r.reason] + retry,
        r.reason === "locked",
      );
    }
    const user = (await identity.getUser(p.session.user.id)) ?? r.user;
    // A new session id now that the person is fully signed in (or newly trusted for admin).
    await startSession(ctx, user, { stage: "signed_in", secondFactorAt: now.getTime() });
    const location = r.method === "recovery"
      ? `/account/two-factor?left=${r.recoveryCodesLeft}&next=${encodeURIComponent(p.next)}`
      : p.next;
    return new Response(null, { status: 303, headers: { location } });
  },
};

export default function Verify({ data, state, url }: PageProps<Data, State>) {
  const m = state.t.identity;
  return (
    <AuthCard state={state} path={url.pathname} title={m.verify.title}>
      {data.error && (
        <AuthNotice kind="error">
          {data.error}
          {data.startOver && (
            <>
              {" "}
              <a href="/signin" class="underline">{m.verify.startOver}</a>
            </>
          )}
        </AuthNotice>
      )}
      {data.forCheckout && <AuthNotice kind="info">{m.verify.forCheckout}</AuthNotice>}
      <p class="mb-4 text-gray-700">{data.stepUp ? m.twoFactor.stepUp : m.verify.intro}</p>
      <SecondFactorForm action="/signin/verify" data={data} m={m} words="verify" />
    </AuthCard>
  );
}
