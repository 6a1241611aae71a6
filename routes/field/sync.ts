/**
 * The rep's phone's sync endpoint. GET: a fresh CSRF token for a page served from the offline
 * cache. POST (JSON, x-csrf-token): { entries: [{ id, kind, outletId, recordedAt, lines?, note?,
 * amountMinor? }] } → { results } with one answer per entry (services/b2b/field.ts).
 */
import { type Handlers, HttpError } from "@/framework/mod.ts";
import { requirePermission } from "@/plugins/session.ts";
import { ValidationError } from "@/services/b2b/mod.ts";
import type { State } from "@/state.ts";

const json = (body: unknown, status = 200) =>
  Response.json(body, { status, headers: { "cache-control": "no-store" } });

export const handler: Handlers<unknown, State> = {
  async GET(ctx) {
    const user = requirePermission(ctx, "b2b.field");
    return json({ csrf: await ctx.csrfToken(), userId: user.id });
  },
  async POST(ctx) {
    const user = requirePermission(ctx, "b2b.field");
    let body: { entries?: unknown };
    try {
      body = await ctx.req.json();
    } catch {
      throw new HttpError(400, "The body must be JSON: { entries: [...] }");
    }
    try {
      const results = await ctx.state.deps.b2b.syncField(
        { id: user.id, name: user.displayName },
        body?.entries as unknown[],
      );
      return json({ results });
    } catch (e) {
      if (e instanceof ValidationError) {
        return json({ error: { status: 422, message: "entries: at most 100" } }, 422);
      }
      throw e;
    }
  },
};
