import type { Handlers } from "@/framework/mod.ts";
import { requireRecentSignIn } from "@/plugins/session.ts";
import { relyingParty } from "@/plugins/passkeys.ts";
import type { State } from "@/state.ts";

/**
 * Registers a passkey for the signed-in person (static/passkey.js on /account/passkeys). JSON;
 * the CSRF token in x-csrf-token. `{ step: "options" }` → options for
 * navigator.credentials.create(); `{ step: "verify", response, name }` → `{ ok }`.
 * Not from a session a remembered device opened (a fresh sign-in is asked for).
 */
export const handler: Handlers<unknown, State> = {
  async POST(ctx) {
    const me = requireRecentSignIn(ctx);
    const identity = ctx.state.deps.identity;
    const m = ctx.state.t.identity;
    const body = await ctx.req.json().catch(() => null) as Record<string, unknown> | null;
    const rp = relyingParty(ctx);
    if (body?.step === "options") {
      const options = await identity.passkeyRegistrationOptions(me.id, rp);
      return options ? Response.json(options) : Response.json({}, { status: 404 });
    }
    if (body?.step !== "verify") {
      return Response.json({ error: m.passkeys.failed }, { status: 422 });
    }
    const r = await identity.registerPasskey({
      userId: me.id,
      response: body.response,
      name: typeof body.name === "string" ? body.name : m.passkeys.defaultName,
      rp,
    });
    if (!r.ok) {
      const error = r.reason === "expired" ? m.passkeys.expired : m.passkeys.failed;
      return Response.json({ error }, { status: 422 });
    }
    return Response.json({ ok: true, location: "/account/passkeys?added=1" }, { status: 201 });
  },
};
