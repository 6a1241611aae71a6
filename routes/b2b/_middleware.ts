import type { Middleware } from "@/framework/mod.ts";
import { assertSignedIn } from "@/plugins/session.ts";
import type { State } from "@/state.ts";

/** The B2B portal is for signed-in people (applicants and the users of business accounts). */
export const handler: Middleware<State> = (ctx) => {
  assertSignedIn(ctx);
  return ctx.next();
};
