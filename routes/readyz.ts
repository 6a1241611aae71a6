import type { Handlers } from "@/framework/mod.ts";
import type { State } from "@/state.ts";

/**
 * Readiness: the database, KV and the broker answer. 503 with the failing parts otherwise. The
 * details say which IoT storage plan runs and why (informative: a downgrade accepted with
 * IOT_ALLOW_FALLBACK=1 does not make the instance unready).
 */
export const handler: Handlers<unknown, State> = {
  async GET(ctx) {
    const checks = await ctx.state.deps.readiness();
    const ok = Object.values(checks).every(Boolean);
    const details = await ctx.state.deps.readinessDetails();
    return Response.json({ ok, checks, details }, {
      status: ok ? 200 : 503,
      headers: { "cache-control": "no-store" },
    });
  },
};
