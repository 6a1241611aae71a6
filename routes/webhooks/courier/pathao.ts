import { type Handlers, HttpError } from "@/framework/mod.ts";
import type { State } from "@/state.ts";

/**
 * Pathao Courier's status webhook: believed only with our integration secret in
 * X-PATHAO-Signature (forged calls get 401); answered 202 with the secret header.
 */
export const handler: Handlers<unknown, State> = {
  async POST(ctx) {
    let body: unknown;
    try {
      body = await ctx.req.json();
    } catch {
      throw new HttpError(400, "The body must be JSON");
    }
    return await ctx.state.deps.delivery.couriers.pathaoWebhook(ctx.req.headers, body);
  },
};
