/**
 * Retention per data class (docs/operations.md "Retention and privacy"):
 *
 * - IoT raw readings 90 days, rollups 3 years: the IoT jobs (services/iot), as before.
 * - Transactions (orders with their lines, payments) and the audit log: 7 years in the database;
 *   what passes 7 years is written once to a compressed archive
 *   `DATA_DIR/archive/<class>/<class>-<from>-<to>.jsonl.gz` (one JSON row a line, gzip), each
 *   run taking the rows between the previous run's cut-off and its own. Rows are kept in the
 *   database (the books, VAT returns and the audit chain refer to them); the archive is what
 *   outlives a later purge and what an auditor is handed.
 * - Outbox message bodies: erased `OUTBOX_BODY_DAYS` (30) days after they were sent (notify).
 *
 * Each run is a row of privacy_retention_runs: class, cut-off, rows archived or erased, file.
 */
import type { Sql } from "@/services/platform/db.ts";
import { dhakaDate } from "@/services/platform/dhaka.ts";

/** A batch of a class's rows in [from, to), after the row key `after` (null: from the start). */
export type ArchiveBatch = (
  from: Date,
  to: Date,
  after: string | null,
  limit: number,
) => Promise<{ rows: unknown[]; last: string | null }>;

export interface RetentionDeps {
  sql: Sql;
  clock: { now(): Date };
  dataDir: string;
  /** Classes kept `years` years, then archived (by their owner's door). */
  archived: { name: string; years: number; batch: ArchiveBatch }[];
  /** Erases delivered messages' bodies older than `days`; returns how many. */
  eraseOutboxBodies: (days: number) => Promise<number>;
  outboxBodyDays: number;
}

export interface RetentionReport {
  archived: { name: string; rows: number; file: string | null }[];
  outboxBodiesErased: number;
}

const EPOCH = new Date("2000-01-01T00:00:00Z");

function yearsBefore(at: Date, years: number): Date {
  const d = new Date(at);
  d.setUTCFullYear(d.getUTCFullYear() - years);
  return d;
}

async function writeArchive(
  path: string,
  batch: ArchiveBatch,
  from: Date,
  to: Date,
): Promise<number> {
  const tmp = `${path}.part`;
  const file = await Deno.open(tmp, { write: true, create: true, truncate: true });
  let count = 0;
  const gzip = new CompressionStream("gzip");
  const piped = gzip.readable.pipeTo(file.writable);
  const writer = gzip.writable.getWriter();
  const enc = new TextEncoder();
  try {
    let after: string | null = null;
    while (true) {
      const { rows, last } = await batch(from, to, after, 1000);
      for (const r of rows) {
        await writer.write(enc.encode(
          JSON.stringify(r, (_k, v) => typeof v === "bigint" ? String(v) : v) + "\n",
        ));
      }
      count += rows.length;
      if (rows.length < 1000 || last === null) break;
      after = last;
    }
    await writer.close();
    await piped;
  } catch (e) {
    await writer.abort(e).catch(() => {});
    await piped.catch(() => {});
    await Deno.remove(tmp).catch(() => {});
    throw e;
  }
  if (count === 0) {
    await Deno.remove(tmp);
    return 0;
  }
  await Deno.rename(tmp, path);
  return count;
}

/** One retention run over every class; safe to repeat (each class continues where it stopped). */
export async function runRetention(d: RetentionDeps): Promise<RetentionReport> {
  const now = d.clock.now();
  const report: RetentionReport = { archived: [], outboxBodiesErased: 0 };
  for (const c of d.archived) {
    const to = yearsBefore(now, c.years);
    const [prev] = await d.sql`
      select max(cutoff) as cutoff from privacy_retention_runs where data_class = ${c.name}`;
    const from: Date = prev?.cutoff ?? EPOCH;
    if (from >= to) continue;
    const dir = `${d.dataDir}/archive/${c.name}`;
    await Deno.mkdir(dir, { recursive: true });
    const name = `${c.name}-${dhakaDate(from)}-${dhakaDate(to)}-${to.getTime()}.jsonl.gz`;
    const rows = await writeArchive(`${dir}/${name}`, c.batch, from, to);
    const file = rows ? `archive/${c.name}/${name}` : null;
    await d.sql`
      insert into privacy_retention_runs (data_class, ran_at, cutoff, rows_archived, archive_file)
      values (${c.name}, ${now}, ${to}, ${rows}, ${file})`;
    report.archived.push({ name: c.name, rows, file });
  }
  report.outboxBodiesErased = await d.eraseOutboxBodies(d.outboxBodyDays);
  await d.sql`
    insert into privacy_retention_runs (data_class, ran_at, cutoff, rows_erased)
    values ('outbox_bodies', ${now}, ${new Date(now.getTime() - d.outboxBodyDays * 86_400_000)},
            ${report.outboxBodiesErased})`;
  return report;
}
