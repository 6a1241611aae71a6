/** The public keys that verify our OAuth access tokens (RFC 7517 JSON Web Key Set). */
import type { Handlers } from "@/framework/mod.ts";
import type { State } from "@/state.ts";

export const handler: Handlers<unknown, State> = {
  async GET(ctx) {
    return Response.json(await ctx.state.deps.api.jwks(), {
      headers: { "cache-control": "public, max-age=300", "access-control-allow-origin": "*" },
    });
  },
};
