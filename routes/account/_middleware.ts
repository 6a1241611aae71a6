import type { Middleware } from "@/framework/mod.ts";
import { assertSignedIn } from "@/plugins/session.ts";
import type { State } from "@/state.ts";

/** Every account page is for signed-in people only. */
export const handler: Middleware<State> = (ctx) => {
  assertSignedIn(ctx);
  return ctx.next();
};
