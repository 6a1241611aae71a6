import type { Handlers } from "@/framework/mod.ts";
import { requiresSecondFactor } from "@/services/identity/mod.ts";
import { clientIp, homeFor, safeNext, startSession } from "@/plugins/session.ts";
import { limitWrite } from "@/plugins/auth_forms.ts";
import { relyingParty } from "@/plugins/passkeys.ts";
import type { State } from "@/state.ts";

/**
 * Sign in with a passkey (static/passkey.js on /signin). JSON in and out; the CSRF token in the
 * x-csrf-token header. `{ step: "options" }` → options for navigator.credentials.get();
 * `{ step: "verify", response, next, remember }` → `{ location }` where to go.
 *
 * A passkey whose authenticator verified the person (fingerprint, face, PIN) counts as the
 * second factor too; without that, an account with TOTP still goes through /signin/verify, and
 * one that must have a second factor but has none is sent to set it up (as after a password).
 */
export const handler: Handlers<unknown, State> = {
  async POST(ctx) {
    const identity = ctx.state.deps.identity;
    const m = ctx.state.t.identity;
    const body = await ctx.req.json().catch(() => null) as Record<string, unknown> | null;
    const rp = relyingParty(ctx);
    if (body?.step === "options") {
      return Response.json(await identity.passkeySignInOptions(rp));
    }
    if (body?.step !== "verify") {
      return Response.json({ error: m.passkeys.failed }, { status: 422 });
    }
    const refused = await limitWrite(ctx, "signin");
    if (refused) {
      return Response.json({ error: m.passkeys.failed }, {
        status: 429,
        headers: { "retry-after": String(refused.retryAfterSeconds) },
      });
    }
    const r = await identity.signInWithPasskey({
      response: body.response,
      rp,
      ip: clientIp(ctx),
    });
    if (!r.ok) {
      const text = r.reason === "expired" ? m.passkeys.expired : m.passkeys.failed;
      return Response.json({ error: text }, { status: r.reason === "disabled" ? 403 : 401 });
    }
    const next = safeNext(typeof body.next === "string" ? body.next : "", "");
    const dest = next || homeFor(r.user.roles);
    const remember = body.remember === true;
    if (r.user.totpEnabled && !r.userVerified) {
      await startSession(ctx, r.user, { stage: "second_factor", next: dest, remember });
      return Response.json({ location: "/signin/verify" });
    }
    const now = identity.now().getTime();
    await startSession(ctx, r.user, {
      stage: "signed_in",
      secondFactorAt: r.userVerified ? now : null,
      remember,
    });
    if (!r.userVerified && requiresSecondFactor(r.user.roles)) {
      return Response.json({ location: `/account/two-factor?next=${encodeURIComponent(dest)}` });
    }
    return Response.json({ location: dest });
  },
};
