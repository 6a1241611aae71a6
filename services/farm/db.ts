/** Small database helpers of the farm services. */
import type { Queryable, Sql, Tx } from "@/services/platform/db.ts";

/** The pool, a transaction or a savepoint: every farm service function takes one. */
export type Db = Queryable;

/** Runs fn in a transaction: a new one on a pool, or the caller's when given a transaction. */
export function inTx<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  if (typeof (db as { savepoint?: unknown }).savepoint === "function") return fn(db as Tx);
  return (db as Sql).begin((tx) => fn(tx)) as Promise<T>;
}

/** A numeric column (text from postgres.js) as a number, null kept. */
export function num(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}
