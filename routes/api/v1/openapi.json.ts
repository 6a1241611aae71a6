/** The OpenAPI 3.1 document of /api/v1, generated from the endpoints' schemas. */
import type { Handlers } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import { buildOpenApi } from "../(_api)/openapi.ts";
import { V1_ENDPOINTS } from "../(_api)/v1/index.ts";
import { publicOrigin } from "@/services/platform/mod.ts";

let cached: { origin: string; body: string } | null = null;

export const handler: Handlers<unknown, State> = {
  GET(ctx) {
    const origin = publicOrigin(ctx.state.deps.config);
    if (cached?.origin !== origin) {
      cached = { origin, body: JSON.stringify(buildOpenApi(V1_ENDPOINTS, origin)) };
    }
    return new Response(cached.body, {
      headers: {
        "content-type": "application/json",
        "cache-control": "public, max-age=300",
        "access-control-allow-origin": "*",
      },
    });
  },
};
