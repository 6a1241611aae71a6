/** Small helpers shared by the IoT services. */
import type { Queryable, Sql, Tx } from "@/services/platform/db.ts";

export type Db = Queryable;

/** Runs fn in a transaction: a new one on a pool, or the caller's when given a transaction. */
export function inTx<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  if (typeof (db as { savepoint?: unknown }).savepoint === "function") return fn(db as Tx);
  return (db as Sql).begin((tx) => fn(tx)) as Promise<T>;
}

/** The SQLSTATE of a PostgreSQL error, if it is one. */
export function pgCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown })?.code;
  return typeof code === "string" ? code : undefined;
}

/** Form fields arrive as strings; an empty one means "none". */
export function emptyToNull(v: unknown): unknown {
  return typeof v === "string" && v.trim() === "" ? null : v;
}
