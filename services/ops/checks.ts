/**
 * What a drill checks on a restored copy, against the source when it can reach it: the
 * migrations (nothing pending, edited or missing), the audit chain, and per table the row count
 * and the sums of its money columns (`*_minor`). Tables with a time column (created_at,
 * placed_at, at, …) are compared as of the recovery point, so writes after it (which the copy
 * cannot have) do not count as differences; the others are listed for information.
 */
import type { Queryable, Sql } from "@/services/platform/db.ts";
import { migrationStatus } from "@/services/platform/migrate.ts";
import { createAudit } from "@/services/audit/mod.ts";

const TIME_COLUMNS = ["created_at", "placed_at", "at", "recorded_at", "occurred_at", "time"];

export interface TableFigure {
  table: string;
  rows: number;
  /** Sum of each `*_minor` column, as text (bigint). */
  sums: Record<string, string>;
  /** The column the comparison as of a point in time uses; null: none. */
  timeColumn: string | null;
  /** Newest value of the time column. */
  newest: Date | null;
}

interface Shape {
  table: string;
  minor: string[];
  time: string | null;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

async function shapes(sql: Queryable): Promise<Shape[]> {
  const cols = await sql<{ table_name: string; column_name: string; data_type: string }[]>`
    select c.table_name, c.column_name, c.data_type
    from information_schema.columns c
    join information_schema.tables t
      on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = 'public' and t.table_type = 'BASE TABLE'
    order by c.table_name, c.ordinal_position`;
  const by = new Map<string, Shape>();
  for (const c of cols) {
    let s = by.get(c.table_name);
    if (!s) by.set(c.table_name, s = { table: c.table_name, minor: [], time: null });
    if (c.column_name.endsWith("_minor") && /int|numeric/.test(c.data_type)) {
      s.minor.push(c.column_name);
    }
  }
  for (const c of cols) {
    if (c.data_type !== "timestamp with time zone" || !TIME_COLUMNS.includes(c.column_name)) {
      continue;
    }
    const s = by.get(c.table_name)!;
    if (!s.time || TIME_COLUMNS.indexOf(c.column_name) < TIME_COLUMNS.indexOf(s.time)) {
      s.time = c.column_name;
    }
  }
  return [...by.values()];
}

/**
 * Row counts and money sums of every table; with `asOf`, rows of timestamped tables are counted
 * only up to that instant.
 */
export async function tableFigures(
  sql: Queryable,
  asOf?: Date,
): Promise<Map<string, TableFigure>> {
  const out = new Map<string, TableFigure>();
  for (const s of await shapes(sql)) {
    const parts = [
      "count(*)::text as n",
      ...s.minor.map((m, i) => `coalesce(sum(${quote(m)}), 0)::text as s${i}`),
      // Future times are plans (delivery slots, schedules), not commits.
      s.time
        ? `max(${quote(s.time)}) filter (where ${quote(s.time)} <= now()) as newest`
        : "null::timestamptz as newest",
    ];
    const where = asOf && s.time ? ` where ${quote(s.time)} <= $1` : "";
    const [r] = await sql.unsafe(
      `select ${parts.join(", ")} from public.${quote(s.table)}${where}`,
      asOf && s.time ? [asOf.toISOString()] : [],
    );
    out.set(s.table, {
      table: s.table,
      rows: Number(r.n),
      sums: Object.fromEntries(s.minor.map((m, i) => [m, r[`s${i}`] as string])),
      timeColumn: s.time,
      newest: r.newest ? new Date(r.newest) : null,
    });
  }
  return out;
}

/**
 * The newest committed transaction: from commit timestamps when track_commit_timestamp is on
 * (backup:setup turns it on), else the newest row time of any table.
 */
export async function newestCommit(sql: Queryable): Promise<Date | null> {
  try {
    const [r] = await sql`select (pg_last_committed_xact()).timestamp as at`;
    if (r?.at) return new Date(r.at);
  } catch { /* track_commit_timestamp is off */ }
  return newestRow(sql);
}

/** The newest value of any table's time column (see TIME_COLUMNS). */
export async function newestRow(sql: Queryable): Promise<Date | null> {
  let newest: Date | null = null;
  for (const f of (await tableFigures(sql)).values()) {
    if (f.newest && (!newest || f.newest > newest)) newest = f.newest;
  }
  return newest;
}

export interface CheckLine {
  ok: boolean;
  line: string;
}

/** Migrations: every file applied, none edited or missing. */
export async function checkMigrations(sql: Sql): Promise<CheckLine> {
  const states = await migrationStatus(sql);
  const bad = states.filter((s) => s.state !== "applied");
  return bad.length === 0
    ? { ok: true, line: `migrations: all ${states.length} applied, none edited` }
    : {
      ok: false,
      line: `migrations: ${bad.map((b) => `${b.version} ${b.state}`).join(", ")}`,
    };
}

/** The audit log's hash chain. */
export async function checkAudit(sql: Sql): Promise<CheckLine> {
  const r = await createAudit({ sql }).verify();
  return r.ok
    ? { ok: true, line: `audit chain: intact, ${r.count} entries` }
    : { ok: false, line: `audit chain: TAMPERED at row ${r.firstBadId} (${r.reason})` };
}

export interface Comparison {
  lines: CheckLine[];
  /** Timestamped tables whose figures as of the recovery point differ. */
  differing: string[];
  tables: number;
}

/**
 * Compares the copy with the source as of `asOf` (the recovery point less a margin for
 * transactions that were open across it). Untimestamped tables are listed, never failed.
 */
export async function compareWithSource(
  restored: Sql,
  source: Sql,
  asOf: Date,
): Promise<Comparison> {
  const [a, b] = [await tableFigures(restored, asOf), await tableFigures(source, asOf)];
  const lines: CheckLine[] = [];
  const differing: string[] = [];
  let same = 0, info = 0;
  for (const [table, r] of a) {
    const s = b.get(table);
    if (!s) {
      lines.push({ ok: false, line: `table ${table}: missing in the source` });
      differing.push(table);
      continue;
    }
    const sumsEqual = Object.keys(r.sums).every((k) => r.sums[k] === s.sums[k]);
    if (r.rows === s.rows && sumsEqual) {
      same++;
      continue;
    }
    const what = `${table}: ${r.rows} rows restored, ${s.rows} in the source` +
      (sumsEqual ? "" : ` (sums ${JSON.stringify(r.sums)} vs ${JSON.stringify(s.sums)})`);
    if (r.timeColumn) {
      differing.push(table);
      lines.push({ ok: false, line: `DIFFERS as of the recovery point: ${what}` });
    } else {
      info++;
      lines.push({ ok: true, line: `changed since (no time column, for information): ${what}` });
    }
  }
  for (const table of b.keys()) {
    if (!a.has(table)) {
      differing.push(table);
      lines.push({ ok: false, line: `table ${table}: missing in the restored copy` });
    }
  }
  lines.unshift({
    ok: differing.length === 0,
    line: `row counts and money sums: ${same} of ${a.size} tables identical` +
      (info ? `, ${info} changed since (no time column)` : "") +
      (differing.length ? `, ${differing.length} DIFFER` : ""),
  });
  return { lines, differing, tables: a.size };
}

/** "1 m 05 s" style for RPO/RTO lines. */
export function formatSeconds(s: number): string {
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${(s - m * 60).toFixed(0).padStart(2, "0")} s`;
}

/**
 * The end of a restore drill's report: each check as "ok"/"FAIL", then the RPO and RTO measured.
 * `ok` is true when every check passed.
 */
export function drillSummary(
  checks: CheckLine[],
  rpo: number | null,
  rto: number,
  served: boolean,
): { ok: boolean; lines: string[] } {
  return {
    ok: checks.every((c) => c.ok),
    lines: [
      ...checks.map((c) => `${c.ok ? "ok  " : "FAIL"} ${c.line}`),
      `RPO: ${rpo === null ? "unknown" : formatSeconds(rpo)} (newest written − newest recovered)`,
      `RTO: ${formatSeconds(rto)} (restore start → ${
        served ? "serving app" : "copy checked; app not started"
      })`,
    ],
  };
}
