/**
 * OAuth 2.0 token endpoint, client credentials grant only (RFC 6749 §4.4): the client
 * authenticates with HTTP Basic (client_secret_basic) or form fields (client_secret_post) and gets
 * a short-lived JWT. Errors are RFC 6749 §5.2 JSON.
 */
import type { Handlers } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import { OAuthError } from "@/services/api/mod.ts";
import { problemFor } from "../(_api)/problem.ts";

function basic(req: Request): { id: string; secret: string } | null {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(req.headers.get("authorization") ?? "");
  if (!m) return null;
  try {
    const text = atob(m[1]);
    const i = text.indexOf(":");
    if (i < 0) return null;
    return {
      id: decodeURIComponent(text.slice(0, i)),
      secret: decodeURIComponent(text.slice(i + 1)),
    };
  } catch {
    return null;
  }
}

export const handler: Handlers<unknown, State> = {
  async POST(ctx) {
    try {
      const type = ctx.req.headers.get("content-type") ?? "";
      if (!type.startsWith("application/x-www-form-urlencoded")) {
        throw new OAuthError(400, "invalid_request", "Send application/x-www-form-urlencoded");
      }
      const form = new URLSearchParams((await ctx.req.text()).slice(0, 10_000));
      if (form.get("grant_type") !== "client_credentials") {
        throw new OAuthError(400, "unsupported_grant_type", "Only client_credentials");
      }
      const b = basic(ctx.req);
      const id = b?.id ?? form.get("client_id");
      const secret = b?.secret ?? form.get("client_secret");
      if (!id || !secret) {
        throw new OAuthError(401, "invalid_client", "Client id and secret needed");
      }
      const token = await ctx.state.deps.api.clientCredentialsToken({
        clientId: id,
        clientSecret: secret,
        scope: form.get("scope"),
      });
      return Response.json(token, {
        headers: { "cache-control": "no-store", pragma: "no-cache" },
      });
    } catch (e) {
      return problemFor(e, ctx.req);
    }
  },
};
