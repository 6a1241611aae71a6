/** The WebAuthn relying party of this site: PUBLIC_URL's origin, else the request's. */
import type { RelyingParty } from "@/services/identity/mod.ts";
import type { AppDeps } from "@/state.ts";

export function relyingParty(ctx: { url: URL; state: { deps: AppDeps } }): RelyingParty {
  const pub = ctx.state.deps.config.PUBLIC_URL;
  const origin = pub ? new URL(pub).origin : ctx.url.origin;
  return { id: new URL(origin).hostname, name: "Smart Dairy", origin };
}
