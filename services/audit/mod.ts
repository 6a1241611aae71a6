/**
 * The audit context's door: the append-only, hash-chained audit log (table audit_log).
 *
 * `createAudit({ sql })` gives the use cases: `append(tx, entry)` in the caller's transaction (so
 * an audited change and its audit row commit together), `list(query)` for the admin page and
 * `verify()` to walk the chain. Contexts that audit inside their own transactions call
 * `appendAudit(tx, entry)` (the same as `audit.append`) — the only interface other contexts get.
 */
import type { Sql, Tx } from "@/services/platform/db.ts";
import { toEntry } from "./audit_log.ts";
import {
  appendAudit,
  type AuditEntry,
  type AuditInput,
  type AuditQuery,
  type AuditVerification,
  canonicalJson,
  listAudit,
  verifyAuditChain,
} from "./audit_log.ts";

export { appendAudit, canonicalJson };
export type { AuditEntry, AuditInput, AuditQuery, AuditVerification };

export interface Audit {
  /** Appends one entry in the caller's transaction (or on its own when given the pool). */
  append(db: Sql | Tx, input: AuditInput): Promise<AuditEntry>;
  /** Newest first, filtered; at most 500 a page. */
  list(query?: AuditQuery): Promise<{ rows: AuditEntry[]; total: number }>;
  /** Walks the whole chain; names the first row that does not fit. */
  verify(opts?: { batch?: number }): Promise<AuditVerification>;
  /** Retention (services/privacy/retention.ts): entries written in [from, to), by id. */
  archiveBatch(
    from: Date,
    to: Date,
    after: string | null,
    limit: number,
  ): Promise<{ rows: AuditEntry[]; last: string | null }>;
}

export function createAudit(deps: { sql: Sql }): Audit {
  const { sql } = deps;
  return {
    append: (db, input) => appendAudit(db, input),
    list: (query = {}) => listAudit(sql, query),
    verify: (opts) => verifyAuditChain(sql, opts),
    async archiveBatch(from, to, after, limit) {
      const rows = await sql`
        select id::text, at, actor_id, action, entity, entity_id, data, prev_hash, hash
        from audit_log where at >= ${from} and at < ${to} and id > ${after ?? "0"}::bigint
        order by id limit ${limit}`;
      const entries = rows.map(toEntry);
      return { rows: entries, last: entries.at(-1)?.id ?? null };
    },
  };
}
