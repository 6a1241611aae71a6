/** Transactions: the one way every context runs a unit of work atomically. */
import type { Queryable, Sql, Tx } from "@/services/platform/db.ts";

/** The pool, a transaction or a savepoint: use cases take one and pass it on. */
export type Db = Queryable;
export type { Sql, Tx };

/**
 * Runs `fn` in a transaction: a new one on a pool, or the caller's own when `db` already is a
 * transaction (so a use case can be called alone or as one step of a larger unit of work).
 */
export function inTx<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  if (typeof (db as { savepoint?: unknown }).savepoint === "function") return fn(db as Tx);
  return (db as Sql).begin((tx) => fn(tx)) as Promise<T>;
}
