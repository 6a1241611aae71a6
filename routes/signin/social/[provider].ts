import type { Context, Handlers } from "@/framework/mod.ts";
import { HttpError } from "@/framework/mod.ts";
import { SOCIAL_PROVIDERS, socialClients, type SocialProvider } from "@/services/identity/mod.ts";
import { safeNext } from "@/plugins/session.ts";
import { relyingParty } from "@/plugins/passkeys.ts";
import { field } from "@/plugins/auth_forms.ts";
import type { State } from "@/state.ts";

/**
 * "Continue with Google / Facebook": off to the provider's authorization page (OpenID Connect
 * code flow; state, nonce and PKCE kept by identity). Unconfigured providers are 404.
 */
/** Off to the provider, keeping where to go after and whether to remember this device. */
async function start(ctx: Context<State>, next: string | null, remember: boolean) {
  const provider = ctx.params.provider as SocialProvider;
  const client = SOCIAL_PROVIDERS.includes(provider)
    ? socialClients(ctx.state.deps.config)[provider]
    : undefined;
  if (!client) throw new HttpError(404);
  const location = await ctx.state.deps.identity.startSocialSignIn(provider, client, {
    redirectUri: `${relyingParty(ctx).origin}/signin/social/${provider}/callback`,
    next: safeNext(next, ""),
    remember,
  });
  return new Response(null, {
    status: 303,
    headers: { location, "cache-control": "no-store", "referrer-policy": "no-referrer" },
  });
}

export const handler: Handlers<unknown, State> = {
  /** A link: `?next=` and `?remember=1`. */
  GET(ctx) {
    const q = ctx.url.searchParams;
    return start(ctx, q.get("next"), q.get("remember") === "1");
  },
  /** The sign-in form's social button: its `next` and "keep me signed in" ride along. */
  POST(ctx) {
    return start(ctx, field(ctx, "next"), field(ctx, "remember") === "1");
  },
};
