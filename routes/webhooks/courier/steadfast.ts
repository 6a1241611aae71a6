import { type Handlers, HttpError } from "@/framework/mod.ts";
import type { State } from "@/state.ts";

/**
 * Steadfast Courier's status webhook: believed only with our token as `Authorization: Bearer`
 * (forged calls get 401).
 */
export const handler: Handlers<unknown, State> = {
  async POST(ctx) {
    let body: unknown;
    try {
      body = await ctx.req.json();
    } catch {
      throw new HttpError(400, "The body must be JSON");
    }
    return await ctx.state.deps.delivery.couriers.steadfastWebhook(ctx.req.headers, body);
  },
};
