/**
 * The rep's phone's sync endpoint. GET: a fresh CSRF token for a page served from the offline
 * cache. POST (JSON, x-csrf-token): { entries: [{ id, kind, outletId, recordedAt, lines?, note?,
 * amountMinor? }] } → { results } with one answer per entry (services/b2b/field.ts).
 */
import { ValidationError } from "@/services/b2b/mod.ts";
import { offlineSyncHandler } from "@/routes/(_lib)/json.ts";

export const handler = offlineSyncHandler({
  permission: "b2b.field",
  // The service checks the entries themselves; more than it takes is its ValidationError.
  parse: (body) => ({ entries: (body as { entries?: unknown[] } | null)?.entries as unknown[] }),
  sync: (ctx, user, entries) =>
    ctx.state.deps.b2b.syncField({ id: user.id, name: user.displayName }, entries),
  refusal: (e) => e instanceof ValidationError ? "entries: at most 100" : null,
});
