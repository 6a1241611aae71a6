/**
 * The embedded PostgreSQL used when no DATABASE_URL is given: PGlite (PostgreSQL compiled to
 * WebAssembly, running in this process) served on 127.0.0.1 over the wire protocol by
 * pglite-socket, so that the rest of the code talks to it with postgres.js exactly as it talks to
 * a real server.
 *
 * Why one connection (EMBEDDED_MAX_CONNECTIONS = 1, and the postgres.js pool max must equal it):
 * - PGlite is a single backend session. pglite-socket accepts several sockets and serialises
 *   their messages through one queue (it even keeps a transaction's messages together), but all
 *   sockets still share that one session: SET, temporary tables, prepared statements and session
 *   advisory locks would leak between "connections" (two pg_advisory_lock callers would both get
 *   the lock). One connection keeps PostgreSQL's usual session semantics.
 * - Past its limit the socket server writes "Too many connections" as plain text and closes;
 *   postgres.js does not understand that and waits forever (connect_timeout does not fire).
 *   So the pool must never try to open more connections than the server accepts.
 * Consequences for callers (see db.ts): inside `sql.begin(tx => …)` use only `tx`; no LISTEN/
 * NOTIFY; no `COPY … FROM STDIN` (it crashes PGlite behind the socket).
 *
 * Durability: a data directory is locked (`<dir>.lock`, an OS file lock) so that a second process
 * opening the same directory fails with a clear message instead of corrupting it; `stop()` closes
 * the socket server before PGlite so that PGlite shuts down cleanly and the directory stays
 * consistent. First creation of a directory takes ~3 s (initdb), reopening ~0.3 s.
 */
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

/** The socket server's connection limit; the postgres.js pool must use exactly this `max`. */
export const EMBEDDED_MAX_CONNECTIONS = 1;

/**
 * Extensions a migration may CREATE: only pg_trgm (shop search; 0000_platform.sql creates it),
 * plus the built-in plpgsql, and timescaledb behind sd_timescale_available(). Keep this list
 * short: each bundle is loaded into the one WebAssembly instance, and they can interfere. Measured
 * on PGlite 0.5.16: with btree_gin loaded but not created, pg_trgm's `%` operator matches nothing
 * when scanning a table. pgcrypto is not needed: hashing happens in TypeScript and
 * gen_random_uuid() is built in. A new extension must be added here, in the server's packages,
 * and to tests/platform/db_test.ts.
 */
const extensions = { pg_trgm };

export interface EmbeddedPgOptions {
  /** Directory holding the cluster; created when missing. Omit for an in-memory database. */
  dataDir?: string;
  /** A tarball from `dumpDataDir()` to start from (used by tests to clone a migrated template). */
  loadDataDir?: Blob;
}

export interface EmbeddedPg {
  readonly host: string;
  readonly port: number;
  readonly pglite: PGlite;
  /** Stops the socket server, closes PGlite and releases the directory lock. Idempotent. */
  stop(): Promise<void>;
}

export class EmbeddedPgLockedError extends Error {
  constructor(dataDir: string) {
    super(
      `The embedded database in ${dataDir} is in use by another process (or another instance in ` +
        `this one). Stop it, or set DATABASE_URL to use a PostgreSQL server.`,
    );
    this.name = "EmbeddedPgLockedError";
  }
}

async function lockDataDir(dataDir: string): Promise<Deno.FsFile> {
  const file = await Deno.open(`${dataDir.replace(/\/+$/, "")}.lock`, {
    create: true,
    write: true,
  });
  if (!(await file.tryLock(true))) {
    file.close();
    throw new EmbeddedPgLockedError(dataDir);
  }
  return file;
}

/** Starts PGlite (optionally persisted in `dataDir`) and serves it on 127.0.0.1:<free port>. */
export async function startEmbeddedPg(opts: EmbeddedPgOptions = {}): Promise<EmbeddedPg> {
  let lock: Deno.FsFile | undefined;
  if (opts.dataDir) {
    await Deno.mkdir(opts.dataDir, { recursive: true });
    lock = await lockDataDir(opts.dataDir);
  }
  let pglite: PGlite | undefined;
  let server: PGLiteSocketServer | undefined;
  try {
    pglite = await PGlite.create({
      dataDir: opts.dataDir,
      loadDataDir: opts.loadDataDir,
      extensions,
    });
    server = new PGLiteSocketServer({
      db: pglite,
      host: "127.0.0.1",
      port: 0, // the OS picks a free port
      maxConnections: EMBEDDED_MAX_CONNECTIONS,
    });
    await server.start();
  } catch (err) {
    await server?.stop().catch(() => {});
    await pglite?.close().catch(() => {});
    lock?.close();
    throw err;
  }
  const port = Number(server.getServerConn().split(":").pop());
  let stopping: Promise<void> | undefined;
  const db = pglite;
  const srv = server;
  return {
    host: "127.0.0.1",
    port,
    pglite: db,
    stop() {
      stopping ??= (async () => {
        try {
          await srv.stop();
        } finally {
          try {
            if (!db.closed) await db.close();
          } finally {
            lock?.close(); // closing the file releases the OS lock
          }
        }
      })();
      return stopping;
    },
  };
}
