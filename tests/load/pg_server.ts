import postgres from "postgres";
import type { Sql } from "@/services/platform/db.ts";

/** The PostgreSQL server to measure on: TEST_DATABASE_URL, else a local one if it answers. */
export async function serverUrl(): Promise<string | null> {
  const given = Deno.env.get("TEST_DATABASE_URL");
  if (given) return given;
  const local = "postgres://postgres@127.0.0.1:5432/postgres";
  const probe = postgres(local, { max: 1, connect_timeout: 2, onnotice: () => {} });
  try {
    await probe`select 1`;
    return local;
  } catch {
    return null;
  } finally {
    await probe.end({ timeout: 1 });
  }
}

/**
 * A pool of `max` connections on the same database as `sql`, for concurrent writers (server
 * only: null on the embedded database or a socket). `asyncCommit` turns off synchronous commit.
 */
export function widerPool(sql: Sql, max: number, asyncCommit = false): Sql | null {
  // deno-lint-ignore no-explicit-any
  const o = sql.options as unknown as Record<string, any>;
  if (!o.host?.[0] || String(o.host[0]).startsWith("/")) return null;
  return postgres({
    host: o.host[0],
    port: o.port[0],
    database: o.database,
    user: o.user,
    password: typeof o.pass === "string" ? o.pass : undefined,
    max,
    onnotice: () => {},
    connection: asyncCommit ? { synchronous_commit: "off" } : {},
  });
}
