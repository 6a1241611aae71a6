/**
 * The staff PWA's offline sync (rules in docs/farm_sync.md). A phone sends the entries waiting
 * in its outbox; each carries a client-generated UUID. Every entry is handled in its own
 * transaction together with its row in the farm_sync_entries ledger, so:
 * - a repeated sync (the answer was lost, the user pressed twice) finds the UUID in the ledger,
 *   writes nothing and gets the first answer again ("duplicate");
 * - an entry the farm rules refuse (animal sold meanwhile, cow dried off…) is "rejected" with a
 *   code and a reason the phone shows, and is remembered as rejected;
 * - an unexpected failure rolls back that entry only; it stays in the phone's outbox ("error")
 *   and is sent again later.
 */
import { z } from "@/services/platform/schema.ts";
import { ValidationError } from "@/services/platform/errors.ts";
import type { Sql, Tx } from "@/services/platform/db.ts";
import type { Actor } from "./actor.ts";
import type { FarmIot } from "./iot_port.ts";
import type { FarmInventory } from "./inventory_port.ts";
import { FarmRuleError } from "./errors.ts";
import { recordFeeding } from "./feed.ts";
import { recordTreatment } from "./health.ts";
import { recordMilking, recordTankIntake, type Session, SESSIONS, sessionTime } from "./milk.ts";
import {
  recordCalving,
  recordDryOff,
  recordHeat,
  recordInsemination,
  recordPregnancyCheck,
} from "./repro.ts";
import { metrics } from "@/services/platform/metrics.ts";

export const SYNC_KINDS = [
  "milking",
  "heat",
  "insemination",
  "pregnancy_check",
  "calving",
  "dry_off",
  "treatment",
  "feeding",
  "tank",
] as const;
export type SyncKind = typeof SYNC_KINDS[number];
export const MAX_SYNC_ENTRIES = 200;

export const syncEntrySchema = z.object({
  id: z.uuid("Each entry needs a UUID id"),
  kind: z.enum(SYNC_KINDS, { error: "Unknown kind of entry" }),
  recordedAt: z.iso.datetime({ offset: true, error: "recordedAt must be an ISO date-time" }),
  data: z.record(z.string(), z.unknown()),
});
export type SyncEntry = z.infer<typeof syncEntrySchema>;

export const syncRequestSchema = z.object({
  entries: z.array(z.unknown()).max(
    MAX_SYNC_ENTRIES,
    `At most ${MAX_SYNC_ENTRIES} entries per sync`,
  ),
});

export type SyncStatus = "applied" | "superseded" | "rejected" | "duplicate" | "error";

export interface SyncResult {
  id: string | null;
  status: SyncStatus;
  /** For duplicates: what the first sync of this id answered. */
  original?: "applied" | "superseded" | "rejected";
  code?: string;
  params?: Record<string, string | number>;
  message?: string;
  /** Details for the user: "discarded: under withdrawal", the replaced yield… */
  info?: Record<string, unknown>;
}

const syncCounter = metrics.counter(
  "farm_sync_entries_total",
  "Offline entries synced, by kind and status",
);

/** Applies one entry's data with the service that owns it. */
async function apply(
  tx: Tx,
  e: SyncEntry,
  actor: Actor,
  iot?: FarmIot,
  stock?: FarmInventory,
  now?: Date,
): Promise<{ status: "applied" | "superseded"; info: Record<string, unknown> }> {
  const d = e.data as Record<string, any>;
  const recordedAt = new Date(e.recordedAt);
  // Stock is drawn when the entry arrives; what is no longer there is flagged, never refused.
  const opts = { clientId: e.id, iot, stock, lenientStock: true, now };
  switch (e.kind) {
    case "milking": {
      const session = (SESSIONS as readonly string[]).includes(d.session)
        ? d.session as Session
        : null;
      const milkedAt = d.milkedAt ??
        (typeof d.date === "string" && session && /^\d{4}-\d{2}-\d{2}$/.test(d.date)
          ? sessionTime(d.date, session)
          : undefined);
      const r = await recordMilking(
        tx,
        {
          animalId: d.animalId,
          milkedAt,
          milkedOn: d.date ?? null,
          session,
          yieldKg: d.yieldKg,
          fatPct: d.fatPct ?? null,
          snfPct: d.snfPct ?? null,
          scc: d.scc ?? null,
          toTank: d.toTank !== false,
          discardReason: d.discardReason ?? null,
          source: "hand",
          recordedAt,
        },
        actor,
        opts,
      );
      if (r.status === "superseded") {
        return { status: "superseded", info: { keptKg: r.keptKg, day: r.day, session: r.session } };
      }
      return {
        status: "applied",
        info: {
          recordId: r.recordId,
          discarded: r.discarded,
          withdrawalUntil: r.withdrawalUntil?.toISOString() ?? null,
          alert: r.alertId !== null,
          replacedKg: r.replacedKg,
        },
      };
    }
    case "heat":
      return {
        status: "applied",
        info: await recordHeat(tx, { ...d, animalId: d.animalId, date: d.date }, actor, opts),
      };
    case "insemination":
      return {
        status: "applied",
        info: await recordInsemination(
          tx,
          { ...d, animalId: d.animalId, date: d.date },
          actor,
          opts,
        ),
      };
    case "pregnancy_check":
      return {
        status: "applied",
        info: await recordPregnancyCheck(
          tx,
          { ...d, animalId: d.animalId, date: d.date, pregnant: d.pregnant },
          actor,
          opts,
        ),
      };
    case "calving":
      return {
        status: "applied",
        info: await recordCalving(tx, { ...d, animalId: d.animalId, date: d.date }, actor, opts),
      };
    case "dry_off":
      return {
        status: "applied",
        info: await recordDryOff(tx, { ...d, animalId: d.animalId, date: d.date }, actor, opts),
      };
    case "treatment": {
      const r = await recordTreatment(
        tx,
        {
          ...d,
          animalId: d.animalId,
          treatedAt: d.treatedAt ?? e.recordedAt,
          medicineId: d.medicineId,
          dose: d.dose,
          route: d.route,
        },
        actor,
        opts,
      );
      return {
        status: "applied",
        info: {
          id: r.id,
          milkWithdrawalUntil: r.milkWithdrawalUntil?.toISOString() ?? null,
          discardedAfter: r.discardedAfter,
          lot: r.lotCode,
          alert: (await tx`
            select 1 from farm_stock_draws
            where source = 'treatment' and source_id = ${r.id} and status = 'short'`).length > 0,
        },
      };
    }
    case "feeding": {
      const shortBefore = await shortfalls(tx);
      const costMinor = await recordFeeding(
        tx,
        {
          ...d,
          date: d.date,
          groupId: d.groupId,
          feedItemId: d.feedItemId,
          quantityKg: d.quantityKg,
        },
        actor,
        opts,
      );
      return {
        status: "applied",
        info: { costMinor, alert: (await shortfalls(tx)) > shortBefore },
      };
    }
    case "tank":
      return {
        status: "applied",
        info: {
          id: await recordTankIntake(
            tx,
            {
              tankId: d.tankId ?? null,
              intakeOn: d.date,
              session: d.session,
              volumeL: d.volumeL,
              notes: d.notes ?? null,
            },
            actor,
            opts,
          ),
        },
      };
  }
}

/** Open stock shortfalls (stock.ts): one more after an entry means it was flagged. */
async function shortfalls(tx: Tx): Promise<number> {
  const [r] = await tx`
    select count(*)::int as n from farm_stock_draws where status = 'short' and resolved_at is null`;
  return r.n;
}

function rejection(
  e: unknown,
): { code: string; message: string; params: Record<string, string | number> } | null {
  if (e instanceof FarmRuleError) return { code: e.code, message: e.message, params: e.params };
  if (e instanceof ValidationError) return { code: "invalid", message: e.message, params: {} };
  return null;
}

/**
 * Runs `fn` for one ledgered entry in its own transaction: a second call with the same id
 * writes nothing and answers "duplicate" with the first answer; a FarmRuleError or
 * ValidationError becomes a remembered rejection; anything else rolls back and throws.
 */
export async function runLedgered(
  sql: Sql,
  meta: { id: string; kind: string; userId: string | null; recordedAt: string | Date },
  fn: (tx: Tx) => Promise<{ status: "applied" | "superseded"; info: Record<string, unknown> }>,
): Promise<SyncResult> {
  return await sql.begin(async (tx) => {
    const fresh = await tx`
      insert into farm_sync_entries (client_id, kind, user_id, recorded_at, status)
      values (${meta.id}, ${meta.kind}, ${meta.userId}, ${meta.recordedAt}, 'applied')
      on conflict (client_id) do nothing returning client_id`;
    if (!fresh.length) {
      const [prev] =
        await tx`select status, reason, result from farm_sync_entries where client_id = ${meta.id}`;
      return {
        id: meta.id,
        status: "duplicate" as const,
        original: prev.status,
        code: prev.result?.code,
        params: prev.result?.params,
        message: prev.reason ?? undefined,
        info: prev.result?.info,
      };
    }
    try {
      const r = await tx.savepoint((sp) => fn(sp as unknown as Tx));
      await tx`update farm_sync_entries set status = ${r.status}, result = ${
        tx.json({ info: r.info } as never)
      }
        where client_id = ${meta.id}`;
      return { id: meta.id, status: r.status, info: r.info };
    } catch (e) {
      const why = rejection(e);
      if (!why) throw e;
      await tx`
        update farm_sync_entries set status = 'rejected', reason = ${why.message},
          result = ${tx.json({ code: why.code, params: why.params } as never)}
        where client_id = ${meta.id}`;
      return { id: meta.id, status: "rejected" as const, ...why };
    }
  });
}

/** Handles one entry (already shaped by syncEntrySchema) in its own transaction. */
export function syncEntry(
  sql: Sql,
  entry: SyncEntry,
  actor: Actor,
  iot?: FarmIot,
  stock?: FarmInventory,
  now?: Date,
): Promise<SyncResult> {
  return runLedgered(
    sql,
    { id: entry.id, kind: entry.kind, userId: actor.userId, recordedAt: entry.recordedAt },
    (tx) => apply(tx, entry, actor, iot, stock, now),
  );
}

/** Handles a phone's batch, entry by entry; never throws for one bad entry. */
export async function syncEntries(
  sql: Sql,
  entries: unknown[],
  actor: Actor,
  iot?: FarmIot,
  stock?: FarmInventory,
  now?: Date,
): Promise<SyncResult[]> {
  const out: SyncResult[] = [];
  for (const raw of entries) {
    const parsed = syncEntrySchema.safeParse(raw);
    if (!parsed.success) {
      const id = typeof (raw as { id?: unknown })?.id === "string"
        ? (raw as { id: string }).id
        : null;
      out.push({
        id,
        status: "rejected",
        code: "invalid",
        params: {},
        message: parsed.error.issues.map((i) => `${i.path.join(".") || "entry"}: ${i.message}`)
          .join("; "),
      });
      syncCounter.inc({ kind: "unknown", status: "rejected" });
      continue;
    }
    let r: SyncResult;
    try {
      r = await syncEntry(sql, parsed.data, actor, iot, stock, now);
    } catch (e) {
      console.error(`[farm sync] entry ${parsed.data.id} (${parsed.data.kind}) failed:`, e);
      r = {
        id: parsed.data.id,
        status: "error",
        message: "Could not be saved now; it will be sent again",
      };
    }
    syncCounter.inc({ kind: parsed.data.kind, status: r.status });
    out.push(r);
  }
  return out;
}
