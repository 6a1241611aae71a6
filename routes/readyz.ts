import type { Handlers } from "@/framework/mod.ts";
import type { State } from "@/state.ts";

/** Readiness: the database, KV and the broker answer. 503 with the failing parts otherwise. */
export const handler: Handlers<unknown, State> = {
  async GET(ctx) {
    const checks = await ctx.state.deps.readiness();
    const ok = Object.values(checks).every(Boolean);
    return Response.json({ ok, checks }, {
      status: ok ? 200 : 503,
      headers: { "cache-control": "no-store" },
    });
  },
};
