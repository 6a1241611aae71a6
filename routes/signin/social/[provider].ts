import type { Handlers } from "@/framework/mod.ts";
import { HttpError } from "@/framework/mod.ts";
import { SOCIAL_PROVIDERS, socialClients, type SocialProvider } from "@/services/identity/mod.ts";
import { safeNext } from "@/plugins/session.ts";
import { relyingParty } from "@/plugins/passkeys.ts";
import type { State } from "@/state.ts";

/**
 * "Continue with Google / Facebook": off to the provider's authorization page (OpenID Connect
 * code flow; state, nonce and PKCE kept by identity). Unconfigured providers are 404.
 */
export const handler: Handlers<unknown, State> = {
  async GET(ctx) {
    const provider = ctx.params.provider as SocialProvider;
    const client = SOCIAL_PROVIDERS.includes(provider)
      ? socialClients(ctx.state.deps.config)[provider]
      : undefined;
    if (!client) throw new HttpError(404);
    const q = ctx.url.searchParams;
    const location = await ctx.state.deps.identity.startSocialSignIn(provider, client, {
      redirectUri: `${relyingParty(ctx).origin}/signin/social/${provider}/callback`,
      next: safeNext(q.get("next"), ""),
      remember: q.get("remember") === "1",
    });
    return new Response(null, {
      status: 303,
      headers: { location, "cache-control": "no-store", "referrer-policy": "no-referrer" },
    });
  },
};
