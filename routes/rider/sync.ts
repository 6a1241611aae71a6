/**
 * The rider's phone's sync endpoint. GET: a fresh CSRF token for a page served from the offline
 * cache. POST (JSON, x-csrf-token): { entries: [{ id, stopId, action, at, code?, note?, reason?,
 * codMinor? }] } → { results } with one answer per entry (services/delivery/sync.ts).
 */
import { riderSyncRequestSchema } from "@/services/delivery/mod.ts";
import { entriesBySchema, offlineSyncHandler } from "@/routes/(_lib)/json.ts";

export const handler = offlineSyncHandler({
  permission: "delivery.ride",
  parse: entriesBySchema(riderSyncRequestSchema),
  sync: (ctx, user, entries) => ctx.state.deps.delivery.syncRider(entries, user),
});
