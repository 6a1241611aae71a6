/**
 * The rider's phone's sync endpoint. GET: a fresh CSRF token for a page served from the offline
 * cache. POST (JSON, x-csrf-token): { entries: [{ id, stopId, action, at, code?, note?, reason?,
 * codMinor? }] } → { results } with one answer per entry (services/delivery/sync.ts).
 */
import { type Handlers, HttpError } from "@/framework/mod.ts";
import { requirePermission } from "@/plugins/session.ts";
import { riderSyncRequestSchema } from "@/services/delivery/mod.ts";
import type { State } from "@/state.ts";

const json = (body: unknown, status = 200) =>
  Response.json(body, { status, headers: { "cache-control": "no-store" } });

export const handler: Handlers<unknown, State> = {
  async GET(ctx) {
    const user = requirePermission(ctx, "delivery.ride");
    return json({ csrf: await ctx.csrfToken(), userId: user.id });
  },
  async POST(ctx) {
    const user = requirePermission(ctx, "delivery.ride");
    let body: unknown;
    try {
      body = await ctx.req.json();
    } catch {
      throw new HttpError(400, "The body must be JSON: { entries: [...] }");
    }
    const parsed = riderSyncRequestSchema.safeParse(body);
    if (!parsed.success) {
      return json({
        error: { status: 422, message: parsed.error.issues.map((i) => i.message).join("; ") },
      }, 422);
    }
    return json({ results: await ctx.state.deps.delivery.syncRider(parsed.data.entries, user) });
  },
};
