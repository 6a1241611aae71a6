import type { Handlers } from "@/framework/mod.ts";
import { readJson } from "@/routes/(_lib)/json.ts";
import type { State } from "@/state.ts";

/**
 * Pathao Courier's status webhook: believed only with our integration secret in
 * X-PATHAO-Signature (forged calls get 401); answered 202 with the secret header.
 */
export const handler: Handlers<unknown, State> = {
  async POST(ctx) {
    const body = await readJson(ctx.req);
    return await ctx.state.deps.delivery.couriers.pathaoWebhook(ctx.req.headers, body);
  },
};
