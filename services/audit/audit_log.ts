/**
 * The append-only, hash-chained audit log.
 *
 * Each row's hash is SHA-256 over a canonical serialization of its fields and the previous row's
 * hash, so changing, removing or inserting a row breaks the chain from that row on. The database
 * refuses UPDATE, DELETE and TRUNCATE on audit_log (trigger in 0001_identity.sql); only someone
 * who disables the trigger can tamper, and verifyAuditChain then names the first bad row.
 * (Removing the newest rows leaves a valid shorter chain: publish `headHash` elsewhere if that
 * matters.)
 *
 * Appends serialize on a transaction-scoped advisory lock, so two concurrent appenders never
 * chain to the same previous row.
 */
import type postgres from "postgres";
import type { Sql, Tx } from "@/services/platform/db.ts";

type Db = Sql | Tx;

/** Advisory lock key for appends (an arbitrary constant owned by this module). */
const AUDIT_LOCK_KEY = 8_420_001_001;
export const GENESIS_HASH = "0".repeat(64);

export interface AuditInput {
  actorId: string | null;
  action: string;
  entity: string;
  entityId?: string | number | null;
  data?: unknown;
  /** Time of the event; defaults to now (tests inject it). */
  at?: Date;
}

export interface AuditEntry {
  id: string;
  at: Date;
  actorId: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  data: unknown;
  prevHash: string;
  hash: string;
}

/** JSON with object keys sorted at every level: the same value always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(",")}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(",")}}`;
}

/** What jsonb will give back: plain JSON, with bigints as strings and Dates as ISO text. */
function normalizeData(data: unknown): unknown {
  if (data === undefined) return {};
  return JSON.parse(
    JSON.stringify(data, (_k, v) => (typeof v === "bigint" ? v.toString() : v)) ?? "null",
  );
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The row hash: SHA-256 over every field in a fixed order, prev_hash last. */
export function hashEntry(e: Omit<AuditEntry, "hash">): Promise<string> {
  return sha256Hex(canonicalJson([
    String(e.id),
    e.at.toISOString(),
    e.actorId,
    e.action,
    e.entity,
    e.entityId,
    e.data,
    e.prevHash,
  ]));
}

function isTransaction(db: Db): db is Tx {
  return typeof (db as { savepoint?: unknown }).savepoint === "function";
}

/**
 * Appends one entry inside the caller's transaction (so it exists only if the change it records
 * commits). Given the pool instead of a transaction, it opens its own.
 */
export function appendAudit(db: Db, input: AuditInput): Promise<AuditEntry> {
  if (!isTransaction(db)) return db.begin((tx) => appendAudit(tx, input));
  return appendInTx(db, input);
}

async function appendInTx(tx: Tx, input: AuditInput) {
  if (!input.action || !input.entity) throw new Error("audit entries need an action and an entity");
  const [lock] = await tx`
    select pg_advisory_xact_lock(${AUDIT_LOCK_KEY}::bigint),
           current_setting('transaction_isolation') as isolation`;
  // Under a snapshot older than the lock we could miss the latest row and fork the chain.
  if (lock.isolation !== "read committed") {
    throw new Error(`appendAudit needs a READ COMMITTED transaction (got ${lock.isolation})`);
  }
  const [last] = await tx`select hash from audit_log order by id desc limit 1`;
  const [{ id }] = await tx`select nextval(pg_get_serial_sequence('audit_log', 'id'))::text as id`;
  const entry: Omit<AuditEntry, "hash"> = {
    id,
    at: new Date(Math.floor((input.at ?? new Date()).getTime())),
    actorId: input.actorId ?? null,
    action: input.action,
    entity: input.entity,
    entityId: input.entityId === undefined || input.entityId === null
      ? null
      : String(input.entityId),
    data: normalizeData(input.data),
    prevHash: last?.hash ?? GENESIS_HASH,
  };
  const hash = await hashEntry(entry);
  await tx`
    insert into audit_log (id, at, actor_id, action, entity, entity_id, data, prev_hash, hash)
    values (${id}::bigint, ${entry.at}, ${entry.actorId}, ${entry.action}, ${entry.entity},
            ${entry.entityId}, ${tx.json(entry.data as postgres.JSONValue)}, ${entry.prevHash},
            ${hash})`;
  return { ...entry, hash };
}

export function toEntry(r: Record<string, any>): AuditEntry {
  return {
    id: String(r.id),
    at: r.at,
    actorId: r.actor_id,
    action: r.action,
    entity: r.entity,
    entityId: r.entity_id,
    data: r.data,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

export type AuditVerification =
  | { ok: true; count: number; headHash: string }
  | { ok: false; count: number; firstBadId: string; reason: string };

/** Walks the whole chain in id order, in batches; stops at the first row that does not fit. */
export async function verifyAuditChain(
  sql: Sql,
  opts: { batch?: number } = {},
): Promise<AuditVerification> {
  const batch = opts.batch ?? 1000;
  let prev = GENESIS_HASH;
  let afterId = "0";
  let count = 0;
  while (true) {
    const rows = await sql`
      select id::text, at, actor_id, action, entity, entity_id, data, prev_hash, hash
      from audit_log where audit_log.id > ${afterId}::bigint order by audit_log.id limit ${batch}`;
    for (const r of rows) {
      const e = toEntry(r);
      const expected = await hashEntry(e);
      if (expected !== e.hash) {
        return {
          ok: false,
          count,
          firstBadId: e.id,
          reason: `row ${e.id} does not match its hash: it was changed after it was written`,
        };
      }
      if (e.prevHash !== prev) {
        return {
          ok: false,
          count,
          firstBadId: e.id,
          reason: `row ${e.id} does not chain to the row before it: ` +
            `an earlier row was changed, removed or inserted`,
        };
      }
      prev = e.hash;
      count++;
    }
    if (rows.length < batch) break;
    afterId = rows[rows.length - 1].id;
  }
  return { ok: true, count, headHash: prev };
}

export interface AuditQuery {
  entity?: string;
  entityId?: string;
  actorId?: string;
  action?: string;
  limit?: number;
  offset?: number;
}

/** Newest first, for the admin audit page. */
export async function listAudit(sql: Sql, q: AuditQuery = {}) {
  const limit = Math.min(Math.max(q.limit ?? 50, 1), 500);
  const offset = Math.max(q.offset ?? 0, 0);
  const where = sql`
    where (${q.entity ?? null}::text is null or entity = ${q.entity ?? null})
      and (${q.entityId ?? null}::text is null or entity_id = ${q.entityId ?? null})
      and (${q.actorId ?? null}::uuid is null or actor_id = ${q.actorId ?? null}::uuid)
      and (${q.action ?? null}::text is null or action = ${q.action ?? null})`;
  const rows = await sql`
    select id::text, at, actor_id, action, entity, entity_id, data, prev_hash, hash
    from audit_log ${where} order by audit_log.id desc limit ${limit} offset ${offset}`;
  const [{ total }] = await sql`select count(*)::int as total from audit_log ${where}`;
  return { rows: rows.map(toEntry), total: total as number };
}
