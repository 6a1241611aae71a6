import type { Handlers, PageProps } from "@/framework/mod.ts";
import { redirect } from "@/framework/mod.ts";
import { waitText } from "@/services/identity/mod.ts";
import {
  assertSignedIn,
  clientIp,
  currentSession,
  safeNext,
  updateCurrentSession,
} from "@/plugins/session.ts";
import { field, limitCodes } from "@/plugins/auth_forms.ts";
import type { State } from "@/state.ts";
import { AuthCard, AuthNotice, SecondFactorForm } from "@/components/AuthCard.tsx";

interface Data {
  csrf: string;
  next: string;
  error?: string;
}

/**
 * Step-up: a signed-in user confirms a sensitive operation (refund, role change, key rotation,
 * period close) with a fresh code from the authenticator app (or a recovery code), then goes
 * back to `next`. See requireFreshSecondFactor in plugins/session.ts.
 */
export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    assertSignedIn(ctx);
    const next = safeNext(ctx.url.searchParams.get("next"), "/account");
    if (!currentSession(ctx)?.totpEnabled) {
      throw redirect(`/account/two-factor?next=${encodeURIComponent(next)}&stepup=1`);
    }
    ctx.state.title = `${ctx.state.t.identity.stepUp.title} — ${ctx.state.t.site.name}`;
    return { data: { csrf: await ctx.csrfToken(), next } };
  },

  async POST(ctx) {
    const me = assertSignedIn(ctx);
    const identity = ctx.state.deps.identity;
    const lang = ctx.state.lang;
    const m = ctx.state.t.identity;
    const next = safeNext(field(ctx, "next"), "/account");
    ctx.state.title = `${m.stepUp.title} — ${ctx.state.t.site.name}`;
    const fail = async (status: number, error: string) => ({
      status,
      data: { csrf: await ctx.csrfToken(), next, error },
    });
    const wait = await limitCodes(ctx, "check");
    if (wait !== null) return fail(429, m.common.tooFast(waitText(lang, wait)));
    const now = identity.sessions.now();
    const r = await identity.verifySecondFactor({
      userId: me.id,
      code: field(ctx, "code"),
      ip: clientIp(ctx),
      now: new Date(now),
      purpose: "step_up",
    });
    if (!r.ok) {
      if (r.reason === "not_enrolled") {
        throw redirect(`/account/two-factor?next=${encodeURIComponent(next)}&stepup=1`);
      }
      const retry = r.retryAfterSeconds
        ? ` ${m.common.retryIn(waitText(lang, r.retryAfterSeconds))}`
        : "";
      return fail(r.reason === "locked" ? 429 : 401, m.verify.reasons[r.reason] + retry);
    }
    await updateCurrentSession(ctx, (s) => ({ ...s, mfaAt: now }));
    return new Response(null, { status: 303, headers: { location: next } });
  },
};

export default function StepUp({ data, state, url }: PageProps<Data, State>) {
  const m = state.t.identity;
  return (
    <AuthCard state={state} path={url.pathname} title={m.stepUp.title}>
      {data.error && <AuthNotice kind="error">{data.error}</AuthNotice>}
      <p class="mb-4 text-gray-700">{m.stepUp.intro}</p>
      <SecondFactorForm action="/account/step-up" data={data} m={m} words="stepUp" />
    </AuthCard>
  );
}
