import type { Handlers } from "@/framework/mod.ts";
import { storageStatus } from "@/services/iot/rollups.ts";
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
    const db = ctx.state.deps.db;
    const iotStorage = db
      ? await storageStatus(db.sql).then(
        (s) => ({ mode: s.mode, allowed: s.allowed, downgraded: s.downgraded, reason: s.reason }),
        () => null,
      )
      : null;
    return Response.json({ ok, checks, details: { iotStorage } }, {
      status: ok ? 200 : 503,
      headers: { "cache-control": "no-store" },
    });
  },
};
