import type { Handlers } from "@/framework/mod.ts";
import { endSession } from "@/plugins/session.ts";
import type { State } from "@/state.ts";

/** Sign out (POST with the CSRF token, from the account page's button). */
export const handler: Handlers<unknown, State> = {
  GET(ctx) {
    // A link cannot sign anyone out (no CSRF token): show the page with the button instead.
    return new Response(null, {
      status: 303,
      headers: { location: ctx.state.user ? "/account" : "/" },
    });
  },
  async POST(ctx) {
    await endSession(ctx);
    return new Response(null, { status: 303, headers: { location: "/signin?signedout=1" } });
  },
};
