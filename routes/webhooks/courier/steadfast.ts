import type { Handlers } from "@/framework/mod.ts";
import { readJson } from "@/routes/(_lib)/json.ts";
import type { State } from "@/state.ts";

/**
 * Steadfast Courier's status webhook: believed only with our token as `Authorization: Bearer`
 * (forged calls get 401).
 */
export const handler: Handlers<unknown, State> = {
  async POST(ctx) {
    const body = await readJson(ctx.req);
    return await ctx.state.deps.delivery.couriers.steadfastWebhook(ctx.req.headers, body);
  },
};
