/**
 * Standing orders (issue 14 §3): per outlet and weekday, the lines an outlet gets every week. A
 * scheduled job turns them into ordinary orders (contract prices, credit holds, approval, FEFO
 * lots — `placeOrder`) once the cut-off before the delivery day has passed; the days the B2B round
 * does not run (holidays) are skipped. One run per standing order and delivery day
 * (b2b_standing_runs' primary key), so the job may run any number of times, on several instances.
 */
import type { Db, Sql } from "@/services/platform/tx.ts";
import { inTx } from "@/services/platform/tx.ts";
import { addDays, dhakaDate, dhakaInstant, isDate, isoWeekday } from "@/services/platform/dhaka.ts";
import { ConflictError, NotFoundError, ValidationError } from "@/services/platform/errors.ts";
import { appendAudit } from "@/services/audit/mod.ts";
import { isCleanText } from "@/services/platform/schema.ts";
import { type Actor, type B2bDeps, MAX_LINES, type OrderLineInput, placeOrder } from "./service.ts";

/** The order for a delivery day is made at this time (Dhaka) on the day before. */
export const STANDING_CUTOFF = "18:00";

export interface StandingOrder {
  id: number;
  accountId: number;
  outletId: number;
  weekday: number;
  lines: OrderLineInput[];
}

// deno-lint-ignore no-explicit-any
type Row = Record<string, any>;

/** The instant after which the standing orders for `day` are placed (the day before, 18:00). */
export function cutoffOf(day: string): Date {
  return dhakaInstant(addDays(day, -1), STANDING_CUTOFF);
}

/** The delivery days whose cut-off has passed at `now` and that are not behind us. */
export function dueDays(now: Date): string[] {
  const today = dhakaDate(now);
  const tomorrow = addDays(today, 1);
  return now >= cutoffOf(tomorrow) ? [today, tomorrow] : [today];
}

export async function standingOf(db: Db, accountId: number): Promise<StandingOrder[]> {
  const rows = await db`
    select s.id, s.account_id, s.outlet_id, s.weekday,
      coalesce(json_agg(json_build_object('sku', l.sku, 'qty', l.qty) order by l.sku)
        filter (where l.sku is not null), '[]') as lines
    from b2b_standing_orders s left join b2b_standing_lines l on l.standing_id = s.id
    where s.account_id = ${accountId} and s.active
    group by s.id order by s.outlet_id, s.weekday`;
  return rows.map((r: Row) => ({
    id: Number(r.id),
    accountId: Number(r.account_id),
    outletId: Number(r.outlet_id),
    weekday: Number(r.weekday),
    lines: typeof r.lines === "string" ? JSON.parse(r.lines) : r.lines,
  }));
}

/**
 * A user of the account sets an outlet's standing order for a weekday (no lines: none any more).
 * Lines are checked against the catalogue; the same code twice is one line of the sum.
 */
export async function saveStanding(
  deps: B2bDeps,
  userId: string,
  accountId: number,
  input: { outletId: number; weekday: number; lines: OrderLineInput[] },
  now: Date,
) {
  const bad: Record<string, string> = {};
  if (!Number.isInteger(input.weekday) || input.weekday < 1 || input.weekday > 7) {
    bad.weekday = "weekday";
  }
  if (!Number.isSafeInteger(input.outletId) || input.outletId <= 0) bad.outletId = "outlet";
  if (input.lines.length > MAX_LINES) bad.lines = "tooMany";
  const merged = new Map<string, number>();
  input.lines.forEach((l, i) => {
    if (!/^[A-Z0-9_-]{1,40}$/.test(l.sku)) bad[`lines.${i}.sku`] = "sku";
    else if (!Number.isInteger(l.qty) || l.qty < 1 || l.qty > 100_000) {
      bad[`lines.${i}.qty`] = "qty";
    } else merged.set(l.sku, (merged.get(l.sku) ?? 0) + l.qty);
  });
  if (Object.keys(bad).length) throw new ValidationError(bad);
  const packs = merged.size ? await deps.catalogue([...merged.keys()]) : new Map();
  input.lines.forEach((l, i) => {
    if (!packs.get(l.sku)?.sellable) bad[`lines.${i}.sku`] = "sku";
  });
  if (Object.keys(bad).length) throw new ValidationError(bad);
  await inTx(deps.sql, async (tx) => {
    const [m] = await tx`select m.role from b2b_members m join b2b_accounts a on a.id = m.account_id
      where m.account_id = ${accountId} and m.user_id = ${userId} and a.status = 'active'`;
    if (!m) throw new NotFoundError("b2b account");
    const [outlet] = await tx`select id from b2b_outlets
      where id = ${input.outletId} and account_id = ${accountId} and active`;
    if (!outlet) throw new ValidationError({ outletId: "outlet" });
    const [s] = await tx`
      insert into b2b_standing_orders (account_id, outlet_id, weekday, active, created_by,
        created_at, updated_at)
      values (${accountId}, ${input.outletId}, ${input.weekday}, ${merged.size > 0}, ${userId},
        ${now}, ${now})
      on conflict (outlet_id, weekday) do update set active = excluded.active,
        created_by = excluded.created_by, updated_at = excluded.updated_at,
        created_at = case when b2b_standing_orders.active then b2b_standing_orders.created_at
          else excluded.created_at end
      returning id`;
    await tx`delete from b2b_standing_lines where standing_id = ${s.id}`;
    if (merged.size) {
      await tx`insert into b2b_standing_lines (standing_id, sku, qty)
        select ${s.id}, x.sku, x.qty
        from unnest(${[...merged.keys()]}::text[], ${[...merged.values()]}::int[]) as x(sku, qty)`;
    }
    await appendAudit(tx, {
      actorId: userId,
      action: "b2b.standing.saved",
      entity: "b2b_standing_order",
      entityId: Number(s.id),
      data: { outletId: input.outletId, weekday: input.weekday, lines: [...merged] },
      at: now,
    });
  });
}

// ---- holidays ----------------------------------------------------------------------------------

export async function holidays(db: Db, from: string, to: string) {
  const rows = await db`select day::text as day, name from b2b_holidays
    where day between ${from}::date and ${to}::date order by day`;
  return rows.map((r: Row) => ({ day: r.day as string, name: r.name as string }));
}

/** Staff: a day the B2B round does not run (no name: the day runs again). */
export async function setHoliday(db: Sql, day: string, name: string, actor: Actor, now: Date) {
  if (!isDate(day)) throw new ValidationError({ day: "date" });
  const n = name.trim();
  if (n.length > 120 || !isCleanText(n)) throw new ValidationError({ name: "holidayName" });
  await inTx(db, async (tx) => {
    if (n) {
      await tx`insert into b2b_holidays (day, name) values (${day}, ${n})
        on conflict (day) do update set name = excluded.name`;
    } else await tx`delete from b2b_holidays where day = ${day}`;
    await appendAudit(tx, {
      actorId: actor.id,
      action: "b2b.holiday",
      entity: "b2b_holiday",
      entityId: day,
      data: { name: n || null },
      at: now,
    });
  });
}

// ---- the daily job -----------------------------------------------------------------------------

export interface StandingRunResult {
  ordered: number;
  holiday: number;
  failed: number;
}

/**
 * Places the standing orders of every due delivery day not yet run: one run per standing order
 * and day (the run's row, written with the order; see runOne). A standing order set up after a day's cut-off starts the week
 * after. An order that cannot be placed (stock short, minimum not met, the placer gone) is
 * recorded as failed with the reason and not tried again; a credit hold is an order like any.
 */
export async function runStanding(deps: B2bDeps, now: Date): Promise<StandingRunResult> {
  const out: StandingRunResult = { ordered: 0, holiday: 0, failed: 0 };
  for (const day of dueDays(now)) {
    const due = await deps.sql`
      select s.id from b2b_standing_orders s join b2b_accounts a on a.id = s.account_id
      where s.active and s.weekday = ${isoWeekday(day)} and a.status = 'active'
        and s.created_at < ${cutoffOf(day)}
        and not exists (select 1 from b2b_standing_runs r
          where r.standing_id = s.id and r.delivery_date = ${day}::date)
      order by s.id`;
    for (const { id } of due) {
      const r = await runOne(deps, Number(id), day, now);
      if (r) out[r]++;
    }
  }
  return out;
}

/**
 * One standing order for one day. The run's row is written in the order's own transaction, so a
 * second job placing the same order at the same time fails on the run's key and its order rolls
 * back; a holiday or a refusal is recorded once (on conflict nothing). No transaction is held
 * while `placeOrder` reads the catalogue and the books (the embedded database has one connection).
 */
async function runOne(deps: B2bDeps, id: number, day: string, now: Date) {
  const record = async (outcome: "holiday" | "failed", reason: string) => {
    const r = await deps.sql`
      insert into b2b_standing_runs (standing_id, delivery_date, outcome, reason, created_at)
      values (${id}, ${day}, ${outcome}, ${reason.slice(0, 300)}, ${now})
      on conflict do nothing returning standing_id`;
    return r.length ? outcome : null;
  };
  const [h] = await deps.sql`select name from b2b_holidays where day = ${day}::date`;
  if (h) return await record("holiday", h.name);
  const [s] = await deps.sql`select * from b2b_standing_orders where id = ${id}`;
  const lines = await deps.sql`select sku, qty from b2b_standing_lines where standing_id = ${id}
    order by sku`;
  try {
    await placeOrder(
      deps,
      s.created_by,
      Number(s.account_id),
      {
        outletId: Number(s.outlet_id),
        deliveryDate: day,
        lines: lines.map((l: Row) => ({ sku: l.sku as string, qty: Number(l.qty) })),
      },
      now,
      false,
      async (tx, placed) => {
        await tx`insert into b2b_standing_runs (standing_id, delivery_date, outcome, order_id,
            created_at)
          values (${id}, ${day}, 'ordered', ${placed.id}, ${now})`;
      },
    );
    return "ordered" as const;
  } catch (e) {
    // Another job placed (or recorded) it first.
    if ((e as { code?: string }).code === "23505") return null;
    if (
      !(e instanceof ValidationError || e instanceof ConflictError || e instanceof NotFoundError)
    ) throw e;
    const reason = e instanceof ValidationError
      ? Object.values(e.fieldErrors).join(", ")
      : e.message;
    return await record("failed", reason);
  }
}

/**
 * Staff's calendar: for each day from `from` on, every standing order due that day with what
 * happened (ordered with the order's number, holiday, failed with the reason) or "planned".
 */
export async function standingCalendar(db: Db, from: string, days: number) {
  const to = addDays(from, days - 1);
  const rows = await db`
    with d as (select g::date as day from generate_series(${from}::date, ${to}::date,
      interval '1 day') g)
    select d.day::text as day, extract(isodow from d.day)::int as weekday, s.id, a.id as account_id, a.company, t.name as outlet,
      t.slot_code, (select count(*) from b2b_standing_lines l where l.standing_id = s.id)::int
        as lines,
      r.outcome, r.reason, o.number, o.status, h.name as holiday
    from d join b2b_standing_orders s on s.weekday = extract(isodow from d.day)::int and s.active
    join b2b_accounts a on a.id = s.account_id and a.status = 'active'
    join b2b_outlets t on t.id = s.outlet_id
    left join b2b_standing_runs r on r.standing_id = s.id and r.delivery_date = d.day
    left join b2b_orders o on o.id = r.order_id
    left join b2b_holidays h on h.day = d.day
    order by d.day, a.company, t.name`;
  return rows.map((r: Row) => ({
    day: r.day as string,
    weekday: Number(r.weekday),
    standingId: Number(r.id),
    accountId: Number(r.account_id),
    company: r.company as string,
    outlet: r.outlet as string,
    slotCode: r.slot_code as string | null,
    lines: Number(r.lines),
    outcome: (r.outcome ?? (r.holiday ? "holiday" : "planned")) as
      | "ordered"
      | "holiday"
      | "failed"
      | "planned",
    reason: (r.reason ?? r.holiday ?? null) as string | null,
    orderNumber: r.number as string | null,
    orderStatus: r.status as string | null,
  }));
}
