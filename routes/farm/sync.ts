/**
 * The offline recorder's endpoint. GET: a fresh CSRF token for a page served from the offline
 * cache. POST (JSON, x-csrf-token): { entries: [{ id, kind, recordedAt, data }] } → { results }
 * with one answer per entry (docs/farm_sync.md).
 */
import { type Handlers, HttpError } from "@/framework/mod.ts";
import { requirePermission } from "@/plugins/session.ts";
import { syncRequestSchema } from "@/services/farm/mod.ts";
import type { State } from "@/state.ts";

const json = (body: unknown, status = 200) =>
  Response.json(body, { status, headers: { "cache-control": "no-store" } });

export const handler: Handlers<unknown, State> = {
  async GET(ctx) {
    const user = requirePermission(ctx, "farm.record");
    return json({ csrf: await ctx.csrfToken(), userId: user.id });
  },
  async POST(ctx) {
    const user = requirePermission(ctx, "farm.record");
    let body: unknown;
    try {
      body = await ctx.req.json();
    } catch {
      throw new HttpError(400, "The body must be JSON: { entries: [...] }");
    }
    const parsed = syncRequestSchema.safeParse(body);
    if (!parsed.success) {
      return json({
        error: { status: 422, message: parsed.error.issues.map((i) => i.message).join("; ") },
      }, 422);
    }
    const results = await ctx.state.deps.farm.syncEntries(parsed.data.entries, {
      userId: user.id,
      roles: user.roles,
    });
    return json({ results });
  },
};
