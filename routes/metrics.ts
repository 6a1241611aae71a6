import type { Handlers } from "@/framework/mod.ts";
import { metricsResponse, metricsToken } from "@/services/platform/mod.ts";
import type { State } from "@/state.ts";

/**
 * Prometheus metrics for this process, for a scraper that presents the bearer token
 * (METRICS_TOKEN or `${DATA_DIR}/metrics_token`); 401 for anyone else.
 */
export const handler: Handlers<unknown, State> = {
  async GET(ctx) {
    return await metricsResponse(ctx.req, await metricsToken(ctx.state.deps.config));
  },
};
