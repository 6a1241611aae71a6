import type { Handlers } from "@/framework/mod.ts";
import { HttpError } from "@/framework/mod.ts";
import {
  requiresSecondFactor,
  SOCIAL_PROVIDERS,
  socialClients,
  type SocialProvider,
} from "@/services/identity/mod.ts";
import { clientIp, homeFor, startSession } from "@/plugins/session.ts";
import type { State } from "@/state.ts";

/**
 * The provider sends the person back here with a code: identity checks state, exchanges the
 * code (PKCE), validates the id_token and finds, links or creates the account; then the session
 * starts as after a password (second factor and enrolment rules included). Failures go back to
 * /signin with the reason shown.
 */
export const handler: Handlers<unknown, State> = {
  async GET(ctx) {
    const provider = ctx.params.provider as SocialProvider;
    const client = SOCIAL_PROVIDERS.includes(provider)
      ? socialClients(ctx.state.deps.config)[provider]
      : undefined;
    if (!client) throw new HttpError(404);
    const r = await ctx.state.deps.identity.completeSocialSignIn(provider, client, {
      callback: ctx.url,
      ip: clientIp(ctx),
      locale: ctx.state.lang,
    });
    const go = (location: string) =>
      new Response(null, { status: 303, headers: { location, "cache-control": "no-store" } });
    if (!r.ok) return go(`/signin?social_error=${r.reason}`);
    const dest = r.next || homeFor(r.user.roles);
    if (r.user.totpEnabled) {
      await startSession(ctx, r.user, { stage: "second_factor", next: dest, remember: r.remember });
      return go("/signin/verify");
    }
    await startSession(ctx, r.user, { stage: "signed_in", remember: r.remember });
    if (requiresSecondFactor(r.user.roles)) {
      return go(`/account/two-factor?next=${encodeURIComponent(dest)}`);
    }
    return go(dest);
  },
};
