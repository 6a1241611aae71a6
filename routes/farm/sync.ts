/**
 * The offline recorder's endpoint. GET: a fresh CSRF token for a page served from the offline
 * cache. POST (JSON, x-csrf-token): { entries: [{ id, kind, recordedAt, data }] } → { results }
 * with one answer per entry (docs/farm_sync.md).
 */
import { syncRequestSchema } from "@/services/farm/mod.ts";
import { entriesBySchema, offlineSyncHandler } from "@/routes/(_lib)/json.ts";

export const handler = offlineSyncHandler({
  permission: "farm.record",
  parse: entriesBySchema(syncRequestSchema),
  sync: (ctx, user, entries) =>
    ctx.state.deps.farm.syncEntries(entries, { userId: user.id, roles: user.roles }),
});
