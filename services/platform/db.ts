/**
 * Database access: one postgres.js pool, either to the PostgreSQL server in DATABASE_URL or to
 * the embedded PGlite (see embedded_pg.ts) persisted in `${DATA_DIR}/pg`.
 *
 * ```ts
 * const db = await openDatabase(loadConfig());
 * type Order = { id: string; total_minor: string; placed_at: Date };
 * const [order] = await db.sql<Order[]>`select id, total_minor, placed_at from orders where id = ${id}`;
 * const total = toMinor(order.total_minor); // bigint columns arrive as strings
 * await db.sql.begin(async (tx: Tx) => {
 *   await tx`update orders set state = 'paid' where id = ${id}`; // only `tx` in here, never `sql`
 * });
 * ```
 *
 * Value types: postgres.js defaults are kept. int8/bigint and numeric come back as strings (they
 * may not fit a JS number); int2/int4/float come back as numbers, timestamptz as Date, json/jsonb
 * parsed. Money columns are bigint poisha: convert with `toMinor()` (refuses values a JS number
 * cannot hold exactly) or `BigInt()`; quantities (numeric) stay strings until the caller decides.
 *
 * Embedded rules (kind === "embedded"): the pool has ONE connection. Inside `sql.begin` use only
 * `tx` (the outer `sql` would wait forever for that connection); do not `sql.reserve()` while
 * other work is pending; LISTEN only through `listen()` below (postgres.js's `sql.listen` would open
 * a second connection); no COPY (use multi-row `unnest` inserts).
 */
import postgres from "postgres";
import type { Config } from "./config.ts";
import {
  EMBEDDED_MAX_CONNECTIONS,
  type EmbeddedPg,
  type EmbeddedPgOptions,
  startEmbeddedPg,
} from "./embedded_pg.ts";
import { instrumentPool } from "./db_metrics.ts";

export type Sql = postgres.Sql; // = postgres.Sql<{}>: no custom types
export type Tx = postgres.TransactionSql;
/** Anything that runs queries (the pool, a transaction, a reserved connection): services take it. */
export type Queryable = postgres.ISql;

export interface Database {
  /** The pool; `sql.begin(async (tx) => …)` for transactions. */
  sql: Sql;
  /** "embedded" = PGlite behind pglite-socket, pool size 1. */
  kind: "server" | "embedded";
  /** Closes the pool (and, when embedded, the socket server and PGlite). Idempotent. */
  close(): Promise<void>;
}

export class DatabaseError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "DatabaseError";
  }
}

const baseOptions = {
  onnotice: () => {}, // NOTICEs from `create … if not exists` etc. are noise in our logs
  connect_timeout: 10,
  connection: { application_name: "smart-dairy" },
} satisfies postgres.Options<Record<string, never>>;

/** The URL without its password, for error messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(unparsable URL)";
  }
}

/** Opens the database named by the configuration and checks that it answers. */
export async function openDatabase(config: Config): Promise<Database> {
  if (config.DATABASE_URL) return await openServer(config.DATABASE_URL, config.DATABASE_POOL_SIZE);
  return await openEmbedded({ dataDir: `${config.DATA_DIR.replace(/\/+$/, "")}/pg` });
}

async function openServer(url: string, poolSize: number): Promise<Database> {
  const sql = postgres(url, { ...baseOptions, max: poolSize });
  try {
    await sql`select 1`;
  } catch (err) {
    await sql.end({ timeout: 1 }).catch(() => {});
    throw new DatabaseError(
      `Cannot connect to DATABASE_URL ${redactUrl(url)}: ${(err as Error).message}`,
      { cause: err },
    );
  }
  instrumentPool(sql, poolSize);
  let closing: Promise<void> | undefined;
  return {
    sql,
    kind: "server",
    close: () => (closing ??= sql.end({ timeout: 5 })),
  };
}

/** An embedded database; `embedded` gives tests access to PGlite (e.g. `dumpDataDir()`). */
export interface EmbeddedDatabase extends Database {
  kind: "embedded";
  embedded: EmbeddedPg;
  /**
   * LISTEN on the one connection (postgres.js's `sql.listen` would open a second one, beyond the
   * embedded limit); `fn` gets each notification on `channel`. Returns how to stop listening.
   */
  listen(channel: string, fn: (payload: string) => void): Promise<() => Promise<void>>;
}

/**
 * Opens an embedded database: persisted in `opts.dataDir`, or in memory when it is omitted
 * (optionally cloned from a `dumpDataDir()` tarball, as the tests do).
 */
export async function openEmbedded(opts: EmbeddedPgOptions = {}): Promise<EmbeddedDatabase> {
  const pg = await startEmbeddedPg(opts);
  const notifications = new EventTarget();
  const sql = postgres({
    ...baseOptions,
    // (postgres.js hands a pool connection's NotificationResponses to this untyped option.)
    ...{
      onnotify: (channel: string, payload: string) =>
        notifications.dispatchEvent(new CustomEvent(channel, { detail: payload })),
    } as unknown as Record<string, never>,
    host: pg.host,
    port: pg.port,
    user: "postgres",
    database: "postgres",
    max: EMBEDDED_MAX_CONNECTIONS,
    // Never recycle the single connection: a reconnect could race the server's release of the
    // old socket, and past its limit the server makes postgres.js hang.
    max_lifetime: null,
    idle_timeout: 0,
  });
  try {
    await sql`select 1`;
  } catch (err) {
    await sql.end({ timeout: 1 }).catch(() => {});
    await pg.stop();
    throw new DatabaseError(`The embedded database did not answer: ${(err as Error).message}`, {
      cause: err,
    });
  }
  instrumentPool(sql, EMBEDDED_MAX_CONNECTIONS);
  let closing: Promise<void> | undefined;
  return {
    sql,
    kind: "embedded",
    embedded: pg,
    async listen(channel, fn) {
      const handler = (e: Event) => fn((e as CustomEvent<string>).detail);
      notifications.addEventListener(channel, handler);
      await sql`listen ${sql(channel)}`;
      return async () => {
        notifications.removeEventListener(channel, handler);
        await sql`unlisten ${sql(channel)}`.catch(() => {});
      };
    },
    close: () =>
      closing ??= (async () => {
        try {
          await sql.end({ timeout: 5 });
        } finally {
          await pg.stop();
        }
      })(),
  };
}

/**
 * A bigint money amount (poisha) from a query result as a JS number; throws if it is not an
 * integer or lies beyond ±Number.MAX_SAFE_INTEGER (≈ 90 trillion taka, so only corrupt data).
 */
export function toMinor(value: string | number | bigint): number {
  const n = typeof value === "number" ? value : Number(value);
  if (typeof value === "string" && !/^-?\d+$/.test(value.trim())) {
    throw new RangeError(`Not an integer amount of poisha: ${JSON.stringify(value)}`);
  }
  if (!Number.isSafeInteger(n)) {
    throw new RangeError(`Amount of poisha out of the safe integer range: ${String(value)}`);
  }
  return n;
}
