/**
 * Page-cache invalidation across instances: the use cases that change what cached pages show
 * (products, prices, photos, categories, VAT rates, delivery zones) call `pagesChanged(tx)`,
 * a NOTIFY on channel `sd_pages_changed` that PostgreSQL delivers when their transaction commits;
 * each web instance listens and empties its page cache, so a price change shows everywhere within
 * a second, whichever instance made it. (Stock levels are not among them: product pages say
 * stock may lag a minute.)
 *
 * On a server the listener is postgres.js's own LISTEN connection, which reconnects by itself;
 * each (re)connect also empties the cache, since notifications sent while it was away are lost.
 * The embedded PGlite listens on the pool's one connection (EmbeddedDatabase.listen).
 */
import type { Database, EmbeddedDatabase, Queryable } from "./db.ts";
import { metrics } from "./metrics.ts";

export const PAGE_CHANGES_CHANNEL = "sd_pages_changed";

const invalidations = metrics.counter(
  "page_cache_invalidations_total",
  "Page-cache flushes after a change to what cached pages show (NOTIFY sd_pages_changed)",
);

/** Tells every instance, once `q`'s transaction commits, that cached pages are out of date. */
export async function pagesChanged(q: Queryable): Promise<void> {
  await q`select pg_notify(${PAGE_CHANGES_CHANNEL}, '')`;
}

export interface PageChangesListener {
  stop(): Promise<void>;
}

/** Calls `onChange` after each committed change to what cached pages show. */
export async function listenPageChanges(
  db: Database,
  onChange: () => void,
): Promise<PageChangesListener> {
  const changed = () => {
    invalidations.inc();
    onChange();
  };
  if (db.kind === "embedded") {
    const unlisten = await (db as EmbeddedDatabase).listen(PAGE_CHANGES_CHANNEL, changed);
    return { stop: () => unlisten() };
  }
  const sub = await db.sql.listen(PAGE_CHANGES_CHANNEL, changed, changed);
  return { stop: () => sub.unlisten() };
}
