/**
 * Fiscal years (1 July – 30 June, "2026-27") and their twelve monthly periods. A year and its
 * periods are created when first needed (a posting dated in it, or the periods screen). A period
 * is closed and reopened by a person, audited; posting into a closed period is refused. Posters
 * hold a shared advisory lock on each month they post into (key `monthKey`) and read the status
 * after taking it; close and reopen take it exclusive, so a close waits for postings in flight
 * and no posting slips in after it.
 */
import { appendAudit } from "@/services/audit/mod.ts";
import type { Db } from "@/services/platform/tx.ts";
import { inTx } from "@/services/platform/tx.ts";
import { isDate } from "@/services/platform/dhaka.ts";
import { AccountingError } from "./errors.ts";
import type { Actor, Period } from "./types.ts";

/**
 * The advisory-lock namespace of periods (the second key is the month, `monthKey`): posters hold
 * it shared until commit; close and reopen take it exclusive.
 */
export const PERIOD_LOCK = 13013;

/** The fiscal year a date falls in: 2026-12-07 → { code "2026-27", startsOn "2026-07-01" }. */
export function fiscalYearOf(date: string): { code: string; startsOn: string; endsOn: string } {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const start = m >= 7 ? y : y - 1;
  return {
    code: `${start}-${String((start + 1) % 100).padStart(2, "0")}`,
    startsOn: `${start}-07-01`,
    endsOn: `${start + 1}-06-30`,
  };
}

export const monthStart = (date: string) => `${date.slice(0, 7)}-01`;

function lastDayOf(monthStartDate: string): string {
  const [y, m] = monthStartDate.split("-").map(Number);
  const d = new Date(Date.UTC(y, m, 0));
  return d.toISOString().slice(0, 10);
}

/** Creates the fiscal year of `date` and its 12 periods if missing (idempotent, race-safe). */
export async function ensureFiscalYear(tx: Db, date: string): Promise<void> {
  const fy = fiscalYearOf(date);
  await tx`insert into acc_fiscal_years (code, starts_on, ends_on)
           values (${fy.code}, ${fy.startsOn}, ${fy.endsOn}) on conflict do nothing`;
  const starts: string[] = [];
  const [y] = fy.startsOn.split("-").map(Number);
  for (let i = 0; i < 12; i++) {
    const yy = y + Math.floor((6 + i) / 12);
    const mm = ((6 + i) % 12) + 1;
    starts.push(`${yy}-${String(mm).padStart(2, "0")}-01`);
  }
  await tx`
    insert into acc_periods (fiscal_year_id, starts_on, ends_on)
    select f.id, s::date, e::date
      from acc_fiscal_years f,
           unnest(${starts}::text[], ${starts.map(lastDayOf)}::text[]) as x(s, e)
     where f.code = ${fy.code}
    on conflict (starts_on) do nothing`;
}

/** The advisory lock key of a month: 202611 for November 2026. */
export const monthKey = (date: string) => Number(date.slice(0, 4)) * 100 + Number(date.slice(5, 7));

/** Refuses a posting into a closed period, naming the month. */
export function periodClosed(monthStartDate: string): AccountingError {
  const month = monthStartDate.slice(0, 7);
  return new AccountingError(
    "period_closed",
    `The period ${month} is closed: nothing can be posted into it until it is reopened`,
    { month },
    "date",
  );
}

interface FullPeriodRow {
  id: number;
  fiscal_year: string;
  starts_on: string;
  ends_on: string;
  status: "open" | "closed";
  changed_at: Date | null;
  changed_by_name: string | null;
}

const toPeriod = (r: FullPeriodRow): Period => ({
  id: r.id,
  fiscalYear: r.fiscal_year,
  startsOn: r.starts_on,
  endsOn: r.ends_on,
  status: r.status,
  changedAt: r.changed_at,
  changedByName: r.changed_by_name,
});

/** The fiscal years known (newest first) with their periods; today's year is created if missing. */
export async function listPeriods(
  db: Db,
  today: string,
): Promise<{ fiscalYear: string; periods: Period[] }[]> {
  await ensureFiscalYear(db, today);
  const rows = await db<FullPeriodRow[]>`
    select p.id, f.code as fiscal_year, to_char(p.starts_on, 'YYYY-MM-DD') as starts_on,
           to_char(p.ends_on, 'YYYY-MM-DD') as ends_on, p.status, p.changed_at, p.changed_by_name
      from acc_periods p join acc_fiscal_years f on f.id = p.fiscal_year_id
     order by f.starts_on desc, p.starts_on`;
  const years = new Map<string, Period[]>();
  for (const r of rows) {
    const list = years.get(r.fiscal_year) ?? [];
    list.push(toPeriod(r));
    years.set(r.fiscal_year, list);
  }
  return [...years].map(([fiscalYear, periods]) => ({ fiscalYear, periods }));
}

/** The next fiscal year after the newest one (so postings can be prepared ahead). */
export async function addFiscalYear(db: Db, today: string, actor: Actor): Promise<string> {
  return await inTx(db, async (tx) => {
    const [last] = await tx<{ ends_on: string }[]>`
      select to_char(max(ends_on), 'YYYY-MM-DD') as ends_on from acc_fiscal_years`;
    const next = last?.ends_on
      ? `${Number(last.ends_on.slice(0, 4))}-07-01`
      : fiscalYearOf(today).startsOn;
    await ensureFiscalYear(tx, next);
    const code = fiscalYearOf(next).code;
    await appendAudit(tx, {
      actorId: actor.id,
      action: "accounting.fiscal_year.add",
      entity: "acc_fiscal_year",
      entityId: code,
    });
    return code;
  });
}

/** Closes (or reopens) a period; audited. `reason` is required to reopen. */
export async function setPeriodStatus(
  db: Db,
  periodId: number,
  status: "open" | "closed",
  actor: Actor,
  reason = "",
): Promise<Period> {
  return await inTx(db, async (tx) => {
    const [found] = await tx<{ starts_on: string }[]>`
      select to_char(starts_on, 'YYYY-MM-DD') as starts_on from acc_periods where id = ${periodId}`;
    if (!found) throw new AccountingError("period_unknown", "No such period");
    // Waits for postings in flight into this month; none starts until we commit.
    await tx`select pg_advisory_xact_lock(${PERIOD_LOCK}::int, ${monthKey(found.starts_on)}::int)`;
    const [p] = await tx<
      { status: string; starts_on: string; year_status: string; year: string }[]
    >`
      select p.status, to_char(p.starts_on, 'YYYY-MM-DD') as starts_on,
             f.status as year_status, f.code as year
        from acc_periods p join acc_fiscal_years f on f.id = p.fiscal_year_id
       where p.id = ${periodId} for update of p`;
    const month = p.starts_on.slice(0, 7);
    if (status === "open" && p.year_status === "closed") {
      // A closed year's months reopen only after the year (its closing entry reversed).
      throw new AccountingError(
        "period_year_closed",
        `The fiscal year ${p.year} is closed: reopen the year first`,
        { year: p.year, month },
      );
    }
    if (p.status === status) {
      throw new AccountingError(
        "period_status",
        status === "closed"
          ? `The period ${month} is already closed`
          : `The period ${month} is already open`,
        { month },
      );
    }
    if (status === "open" && reason.trim().length < 3) {
      throw new AccountingError("invalid", "Say why the period is reopened", {}, "reason");
    }
    await tx`update acc_periods set status = ${status}, changed_at = now(),
                    changed_by = ${actor.id}, changed_by_name = ${actor.name}
              where id = ${periodId}`;
    await appendAudit(tx, {
      actorId: actor.id,
      action: status === "closed" ? "accounting.period.close" : "accounting.period.reopen",
      entity: "acc_period",
      entityId: periodId,
      data: { month, ...(reason ? { reason: reason.trim() } : {}) },
    });
    const [row] = await tx<FullPeriodRow[]>`
      select p.id, f.code as fiscal_year, to_char(p.starts_on, 'YYYY-MM-DD') as starts_on,
             to_char(p.ends_on, 'YYYY-MM-DD') as ends_on, p.status, p.changed_at,
             p.changed_by_name
        from acc_periods p join acc_fiscal_years f on f.id = p.fiscal_year_id
       where p.id = ${periodId}`;
    return toPeriod(row);
  });
}

/** Checks a date typed by a person (YYYY-MM-DD). */
export function assertDate(date: string, field = "date"): void {
  if (!isDate(date)) {
    throw new AccountingError("invalid", "Enter a date as YYYY-MM-DD", {}, field);
  }
}
