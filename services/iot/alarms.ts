/**
 * Alarm evaluation and the alarm lifecycle: open → acknowledged → resolved.
 *
 * evaluateAlarms() is deterministic given the database and `now` (tests walk time by passing
 * it). Each rule yields, per device in scope, "fire", "clear" or "unknown" (not enough data, or
 * still inside a duration or cooling window); the reconcile step opens alarms that fire and have
 * none active, auto-resolves active alarms that are clear, and leaves the rest. Openings and
 * resolutions commit in one transaction with their alarm events, the tank hold (rules with
 * holds_tank) and the outbox messages to the contacts on duty. At most one alarm per rule and
 * device is active (a partial unique index), so the ingest's per-batch evaluation and the
 * scheduled one in workers/iot_jobs.ts can run side by side.
 */
import { emitWebhookEvent } from "@/services/webhooks/mod.ts";
import { appendAudit } from "@/services/audit/mod.ts";
import { ConflictError, NotFoundError } from "@/services/platform/errors.ts";
import { enqueueMessage } from "@/services/notify/mod.ts";
import type { Tx } from "@/services/platform/db.ts";
import { BIGINT_MAX, optionalId } from "@/services/platform/schema.ts";
import { type AlarmRule, listRules, type RuleKind, type Severity } from "./alarm_rules.ts";
import { type Db, inTx } from "@/services/platform/tx.ts";
import { dhakaDate, dhakaDayStart } from "@/services/platform/dhaka.ts";
import { camelRow } from "@/services/platform/rows.ts";
import { contactsOnDuty, farmMinutes } from "./duty.ts";
import { holdTank } from "./tanks.ts";

export type AlarmState = "open" | "acknowledged" | "resolved";

export interface Alarm {
  id: string;
  ruleId: string;
  ruleName: string;
  kind: RuleKind;
  deviceId: string;
  deviceName: string;
  tankId: string | null;
  animalTag: string | null;
  severity: Severity;
  state: AlarmState;
  message: string;
  value: number | null;
  lastValue: number | null;
  openedAt: Date;
  lastEvaluatedAt: Date;
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
  ackNote: string | null;
  resolvedAt: Date | null;
  resolvedBy: string | null;
  resolution: "auto" | "manual" | null;
}

/** What changed, for live screens (published on the alarms topic by the workers). */
export interface AlarmChange extends
  Pick<
    Alarm,
    "ruleId" | "deviceId" | "tankId" | "animalTag" | "severity" | "state" | "message" | "value"
  > {
  alarmId: string;
  at: string;
}

interface ScopeDevice {
  id: string;
  name: string;
  tankId: string | null;
  animalTag: string | null;
}

interface Outcome {
  device: ScopeDevice;
  /** true fire, false clear, null unknown (leave any alarm as it is). */
  fire: boolean | null;
  value: number | null;
  message: string;
}

// ---- milking sessions and the cooling window ----------------------------------------------

const HOUR = 3_600_000;
/** Milking sessions in farm-local minutes: morning 04:00–11:00, evening 15:00–22:00. */
export const SESSIONS = [
  { name: "morning", from: 4 * 60, to: 11 * 60 },
  { name: "evening", from: 15 * 60, to: 22 * 60 },
] as const;

/** Start of the farm-local day containing `at` (as an instant). */
export function farmDayStart(at: Date): Date {
  return dhakaDayStart(dhakaDate(at));
}

/** The end of the latest milking session at or before `now` (`now` itself during a session). */
export function lastMilkingEnd(now: Date): Date {
  const m = farmMinutes(now);
  if (SESSIONS.some((s) => m >= s.from && m < s.to)) return now;
  const day = farmDayStart(now).getTime();
  const ended = SESSIONS.filter((s) => s.to <= m).at(-1);
  if (ended) return new Date(day + ended.to * 60_000);
  return new Date(day - 86_400_000 + SESSIONS[SESSIONS.length - 1].to * 60_000);
}

/**
 * When each device's tank cooling window ends, in ms (milk-meter readings, else the session
 * schedule, plus `graceS`); -Infinity without a tank or without a grace period.
 */
async function coolingWindowEnds(
  db: Db,
  scope: ScopeDevice[],
  graceS: number | undefined,
  now: Date,
): Promise<(device: ScopeDevice) => number> {
  const out = new Map<string, number>();
  const ends = (device: ScopeDevice) =>
    device.tankId ? out.get(device.tankId) ?? -Infinity : -Infinity;
  const tankIds = [...new Set(scope.map((d) => d.tankId).filter((t): t is string => !!t))];
  if (graceS === undefined || !tankIds.length) return ends;
  const rows = await db`
    select d.tank_id, max(l.at) as last_milk
    from devices d
    cross join lateral (
      select at from telemetry t
      where t.device_id = d.id and t.metric = 'yield_kg' and t.at <= ${now}
        and t.at > ${new Date(now.getTime() - 24 * HOUR)}
      order by t.at desc limit 1) l
    where d.type = 'milk_meter' and d.tank_id = any(${tankIds}::text[])
    group by d.tank_id`;
  const byMeters = new Map(rows.map((r) => [r.tank_id as string, (r.last_milk as Date).getTime()]));
  const bySchedule = lastMilkingEnd(now).getTime();
  for (const t of tankIds) out.set(t, (byMeters.get(t) ?? bySchedule) + graceS * 1000);
  return ends;
}

// ---- rule evaluators ----------------------------------------------------------------------

async function scopeOf(db: Db, rule: AlarmRule, deviceIds?: string[]): Promise<ScopeDevice[]> {
  const needsAnimal = rule.kind === "activity_spike" || rule.kind === "rumination_drop";
  const rows = await db`
    select id, name, tank_id, animal_tag from devices
    where revoked_at is null
      and (${rule.deviceId}::text is null or id = ${rule.deviceId})
      and (${rule.deviceType}::text is null or type = ${rule.deviceType})
      and (${deviceIds ?? null}::text[] is null or id = any(${deviceIds ?? null}::text[]))
      and (not ${needsAnimal} or animal_tag is not null)
    order by id`;
  return rows.map((r) => ({ id: r.id, name: r.name, tankId: r.tank_id, animalTag: r.animal_tag }));
}

const fmt = (v: number) => (Math.round(v * 10) / 10).toString();
const hhmm = (d: Date) => {
  const m = farmMinutes(d);
  return `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
};
const where = (d: ScopeDevice) =>
  d.tankId ? `${d.tankId} (${d.id})` : d.animalTag ? `cow ${d.animalTag} (${d.id})` : d.id;

/**
 * The scope's devices (s.id), each with its latest reading of the metric up to `now` (l.at,
 * l.value; null when it has none): the FROM of the rules that judge readings.
 */
const withLatestReading = (db: Db, scope: ScopeDevice[], metric: string | null, now: Date) =>
  db`
    from unnest(${scope.map((d) => d.id)}::text[]) as s(id)
    left join lateral (
      select at, value from telemetry t
      where t.device_id = s.id and t.metric = ${metric} and t.at <= ${now}
      order by t.at desc limit 1) l on true`;

/** A row of the rules' queries (columns as each selects them). */
// deno-lint-ignore no-explicit-any
type ReadingRow = Record<string, any>;

const unknown = (device: ScopeDevice): Outcome => ({
  device,
  fire: null,
  value: null,
  message: "",
});

/**
 * Each device judged on its row of `rows` (by s.id, with its latest reading at l.at): a device
 * with no reading, or only one older than `staleS`, is unknown; `judge` gets the others with the
 * end of their cooling window.
 */
async function judgeFresh(
  db: Db,
  scope: ScopeDevice[],
  rows: readonly ReadingRow[],
  p: { staleS: number; graceS?: number },
  now: Date,
  judge: (
    device: ScopeDevice,
    r: ReadingRow,
    at: Date,
    graceEnds: (d: ScopeDevice) => number,
  ) => Outcome,
): Promise<Outcome[]> {
  const graceEnds = await coolingWindowEnds(db, scope, p.graceS, now);
  const byId = new Map(rows.map((r) => [r.id as string, r]));
  return scope.map((device) => {
    const r = byId.get(device.id)!;
    const at = r.at as Date | null;
    if (!at || now.getTime() - at.getTime() > p.staleS * 1000) return unknown(device);
    return judge(device, r, at, graceEnds);
  });
}

/** How one kind of rule judges its devices at `now`. */
type Evaluator<K extends AlarmRule["kind"]> = (
  db: Db,
  rule: AlarmRule<K>,
  scope: ScopeDevice[],
  now: Date,
) => Promise<Outcome[]>;

const evalThreshold: Evaluator<"threshold"> = async (db, rule, scope, now) => {
  const p = rule.params;
  const since = new Date(now.getTime() - (p.durationS + p.staleS) * 1000);
  const rows = await db`
    select s.id, l.at, l.value, first.at as breach_start
    ${withLatestReading(db, scope, rule.metric, now)}
    left join lateral (
      select at from telemetry t
      where t.device_id = s.id and t.metric = ${rule.metric} and t.at <= ${now} and t.at >= ${since}
        and not ((${p.op} = '>' and t.value > ${p.value}) or (${p.op} = '<' and t.value < ${p.value}))
      order by t.at desc limit 1) ok on true
    left join lateral (
      select at from telemetry t
      where t.device_id = s.id and t.metric = ${rule.metric}
        and t.at > coalesce(ok.at, ${since}) and t.at <= ${now}
      order by t.at asc limit 1) first on true`;
  return await judgeFresh(db, scope, rows, p, now, (device, r, at, graceEnds) => {
    const value = r.value as number;
    const breaching = p.op === ">" ? value > p.value : value < p.value;
    const message = `${rule.name}: ${where(device)} reads ${fmt(value)} at ${hhmm(at)}`;
    if (!breaching) return { device, fire: false, value, message };
    const start = Math.max(
      ((r.breach_start as Date | null) ?? at).getTime(),
      graceEnds(device),
    );
    const long = now.getTime() - start >= p.durationS * 1000;
    return { device, fire: long ? true : null, value, message };
  });
};

const evalRate: Evaluator<"rate"> = async (db, rule, scope, now) => {
  const p = rule.params;
  const rows = await db`
    select s.id, l.at, l.value, e.at as from_at, e.value as from_value
    ${withLatestReading(db, scope, rule.metric, now)}
    left join lateral (
      select at, value from telemetry t
      where t.device_id = s.id and t.metric = ${rule.metric}
        and t.at >= l.at - make_interval(secs => ${p.windowS}) and t.at <= l.at
      order by t.at asc limit 1) e on true`;
  return await judgeFresh(db, scope, rows, p, now, (device, r, at, graceEnds) => {
    if (at.getTime() - (r.from_at as Date).getTime() < (p.windowS * 1000) / 2) {
      return unknown(device);
    }
    const change = (r.value as number) - (r.from_value as number);
    const exceeds = p.op === ">" ? change > p.change : change < -p.change;
    const mins = Math.round((at.getTime() - (r.from_at as Date).getTime()) / 60_000);
    const message = `${rule.name}: ${where(device)} ${change >= 0 ? "+" : ""}${
      fmt(change)
    } in ${mins} min, now ${fmt(r.value)} at ${hhmm(at)}`;
    if (!exceeds) return { device, fire: false, value: r.value, message };
    const inGrace = now.getTime() < graceEnds(device);
    return { device, fire: inGrace ? null : true, value: r.value, message };
  });
};

const evalSilence: Evaluator<"silence"> = async (db, rule, scope, now) => {
  const rows = await db`
    select id, last_reading_at, created_at from devices
    where id = any(${scope.map((d) => d.id)}::text[])`;
  const byId = new Map(rows.map((r) => [r.id as string, r]));
  const limit = now.getTime() - rule.params.silentS * 1000;
  return scope.map((device) => {
    const r = byId.get(device.id)!;
    const last = r.last_reading_at as Date | null;
    const since = (last ?? r.created_at as Date).getTime();
    const message = last
      ? `${rule.name}: no reading from ${where(device)} since ${hhmm(last)}`
      : `${rule.name}: ${where(device)} has never sent a reading`;
    return { device, fire: since < limit, value: null, message };
  });
};

const evalBaseline: Evaluator<"activity_spike" | "rumination_drop"> = async (
  db,
  rule,
  scope,
  now,
) => {
  const p = rule.params;
  const rows = await db`
    with days as (select generate_series(0, ${p.baselineDays}::int) as d),
    w as (
      select s.id, days.d, count(t.value) as n, coalesce(sum(t.value), 0) as total
      from devices s cross join days
      left join telemetry t on t.device_id = s.id and t.metric = ${rule.metric}
        and t.at > ${now}::timestamptz - make_interval(days => days.d, hours => ${p.windowH}::int)
        and t.at <= ${now}::timestamptz - make_interval(days => days.d)
        and t.at > coalesce(s.assigned_at, '-infinity')
      where s.id = any(${scope.map((d) => d.id)}::text[])
      group by s.id, days.d)
    select id,
      max(total) filter (where d = 0) as current,
      max(n) filter (where d = 0) as current_n,
      avg(total) filter (where d > 0 and n > 0) as mean,
      stddev_samp(total) filter (where d > 0 and n > 0) as sd,
      avg(n) filter (where d > 0 and n > 0) as mean_n,
      count(*) filter (where d > 0 and n > 0) as days
    from w group by id`;
  const byId = new Map(rows.map((r) => [r.id as string, r]));
  const spike = rule.kind === "activity_spike";
  return scope.map((device) => {
    const r = byId.get(device.id);
    const unknown = { device, fire: null, value: null, message: "" };
    if (!r || Number(r.days) < p.minDays || r.mean === null) return unknown;
    const current = Number(r.current);
    const mean = Number(r.mean);
    // A window with far fewer readings than usual (collar silent) says nothing about the cow.
    if (Number(r.current_n) < 0.75 * Number(r.mean_n) || mean <= 0) return unknown;
    const sd = Math.max(Number(r.sd ?? 0), 0.05 * mean);
    const ratio = current / mean;
    const fire = spike
      ? current > mean + p.sigma * sd && ratio >= (p as { minRatio: number }).minRatio
      : current < mean - p.sigma * sd && ratio <= (p as { maxRatio: number }).maxRatio;
    const message = `${rule.name}: cow ${device.animalTag} (${device.id}) ${
      fmt(current)
    } ${rule.metric} in ${p.windowH} h, ${Math.round(ratio * 100)}% of her ${r.days}-day normal ${
      fmt(mean)
    }`;
    return { device, fire, value: current, message };
  });
};

function evaluate(db: Db, rule: AlarmRule, scope: ScopeDevice[], now: Date) {
  switch (rule.kind) {
    case "threshold":
      return evalThreshold(db, rule as AlarmRule<"threshold">, scope, now);
    case "rate":
      return evalRate(db, rule as AlarmRule<"rate">, scope, now);
    case "silence":
      return evalSilence(db, rule as AlarmRule<"silence">, scope, now);
    default:
      return evalBaseline(db, rule as AlarmRule<"activity_spike">, scope, now);
  }
}

// ---- reconcile ----------------------------------------------------------------------------

const SEVERITY_WORD: Record<Severity, string> = {
  info: "Info",
  warning: "Warning",
  critical: "CRITICAL",
};

function toChange(r: Record<string, unknown>, at: Date): AlarmChange {
  return {
    alarmId: String(r.id),
    ruleId: r.rule_id as string,
    deviceId: r.device_id as string,
    tankId: r.tank_id as string | null,
    animalTag: r.animal_tag as string | null,
    severity: r.severity as Severity,
    state: r.state as AlarmState,
    message: r.message as string,
    value: r.value as number | null,
    at: at.toISOString(),
  };
}

async function notify(
  tx: Tx,
  rule: AlarmRule,
  opened: AlarmChange[],
  resolved: AlarmChange[],
  held: Set<string>,
  now: Date,
): Promise<void> {
  const contacts = await contactsOnDuty(tx, rule.severity, now);
  const send = async (list: AlarmChange[], what: "opened" | "resolved") => {
    if (!list.length) return;
    const word = what === "opened" ? SEVERITY_WORD[rule.severity] : "Resolved";
    const lines = list.slice(0, 10).map((a) =>
      what === "opened"
        ? a.message +
          (a.tankId && held.has(a.tankId)
            ? `. Milk in ${a.tankId} is ON HOLD until a farm manager releases it.`
            : "")
        : `${a.message.split(":")[0]}: ${a.deviceId} back to normal at ${hhmm(now)}`
    );
    if (list.length > 10) lines.push(`…and ${list.length - 10} more`);
    const ids = list.map((a) => a.alarmId);
    for (const c of contacts) {
      await enqueueMessage(tx, {
        channel: c.channel,
        to: c.address,
        subject: `[Smart Dairy] ${word}: ${rule.name}`,
        body: `[Smart Dairy] ${word}: ${lines.join("\n")}`,
        template: `iot.alarm_${what}`,
        dedupeKey: `iot-alarm-${what}-${c.id}-${ids[0]}-${ids.at(-1)}-${ids.length}`,
      });
    }
    if (contacts.length) {
      const note = contacts.map((c) => `${c.channel} ${c.name}`).join(", ");
      await tx`
        insert into alarm_events (alarm_id, at, kind, note)
        select unnest(${ids}::bigint[]), ${now}, 'notified', ${`${what}: ${note}`}`;
    }
  };
  await send(opened, "opened");
  if (rule.severity !== "info") await send(resolved, "resolved");
}

async function reconcile(
  db: Db,
  rule: AlarmRule,
  outcomes: Outcome[],
  now: Date,
): Promise<AlarmChange[]> {
  const known = outcomes.filter((o) => o.fire !== null);
  if (!known.length) return [];
  const active = await db`
    select id, device_id from alarms
    where rule_id = ${rule.id} and state <> 'resolved'
      and device_id = any(${known.map((o) => o.device.id)}::text[])`;
  const activeBy = new Map(active.map((r) => [r.device_id as string, String(r.id)]));
  const toOpen = known.filter((o) => o.fire && !activeBy.has(o.device.id));
  const toTouch = known.filter((o) => o.fire && activeBy.has(o.device.id));
  const toResolve = known.filter((o) => !o.fire && activeBy.has(o.device.id));
  if (toTouch.length) {
    await db`
      update alarms set last_value = u.v, last_evaluated_at = ${now}
      from unnest(${toTouch.map((o) => activeBy.get(o.device.id)!)}::bigint[],
                  ${toTouch.map((o) => o.value)}::float8[]) as u(id, v)
      where alarms.id = u.id and state <> 'resolved'`;
  }
  if (!toOpen.length && !toResolve.length) return [];
  return await inTx(db, async (tx) => {
    const opened: AlarmChange[] = [];
    const resolved: AlarmChange[] = [];
    const held = new Set<string>();
    for (const o of toOpen) {
      const [row] = await tx`
        insert into alarms (rule_id, device_id, tank_id, animal_tag, severity, message, value,
          last_value, opened_at, last_evaluated_at)
        values (${rule.id}, ${o.device.id}, ${o.device.tankId}, ${o.device.animalTag},
          ${rule.severity}, ${o.message}, ${o.value}, ${o.value}, ${now}, ${now})
        on conflict (rule_id, device_id) where state <> 'resolved' do nothing
        returning *`;
      if (!row) continue; // another evaluator opened it a moment ago
      await tx`insert into alarm_events (alarm_id, at, kind) values (${row.id}, ${now}, 'opened')`;
      // Partners' webhooks (services/webhooks): alarm.raised, in this transaction.
      await emitWebhookEvent(tx, {
        type: "alarm.raised",
        data: {
          alarmId: String(row.id),
          rule: rule.name ?? null,
          severity: rule.severity,
          deviceId: o.device.id,
          tankId: o.device.tankId ?? null,
          animalTag: o.device.animalTag ?? null,
          message: o.message,
          value: o.value,
        },
        dedupeKey: `alarm.raised:${row.id}`,
        at: now,
      });
      if (rule.holdsTank && o.device.tankId) {
        const h = await holdTank(tx, {
          tankId: o.device.tankId,
          reason: o.message,
          alarmId: String(row.id),
          at: now,
        });
        if (h.created) held.add(o.device.tankId);
      }
      opened.push(toChange(row, now));
    }
    for (const o of toResolve) {
      const [row] = await tx`
        update alarms set state = 'resolved', resolved_at = ${now}, resolution = 'auto',
          last_value = ${o.value}, last_evaluated_at = ${now}
        where id = ${activeBy.get(o.device.id)!} and state <> 'resolved' returning *`;
      if (!row) continue;
      await tx`
        insert into alarm_events (alarm_id, at, kind, note)
        values (${row.id}, ${now}, 'resolved', 'condition cleared')`;
      resolved.push(toChange(row, now));
    }
    await notify(tx, rule, opened, resolved, held, now);
    return [...opened, ...resolved];
  });
}

export interface EvaluateOptions {
  /** The evaluation time; defaults to now. */
  now?: Date;
  /** Only these devices (the per-batch evaluation). */
  deviceIds?: string[];
  /** Only these kinds of rule. */
  kinds?: readonly RuleKind[];
  /** Rules to use instead of loading the enabled ones. */
  rules?: AlarmRule[];
}

export interface EvaluateResult {
  changes: AlarmChange[];
  rules: number;
  errors: { ruleId: string; message: string }[];
}

/** Evaluates the enabled rules. Needs the pool (it opens its own transactions). */
export async function evaluateAlarms(db: Db, opts: EvaluateOptions = {}): Promise<EvaluateResult> {
  const now = opts.now ?? new Date();
  const rules = (opts.rules ?? await listRules(db, { enabledOnly: true }))
    .filter((r) => r.enabled && (!opts.kinds || opts.kinds.includes(r.kind)));
  const result: EvaluateResult = { changes: [], rules: 0, errors: [] };
  for (const rule of rules) {
    try {
      const scope = await scopeOf(db, rule, opts.deviceIds);
      if (!scope.length) continue;
      result.rules++;
      const outcomes = await evaluate(db, rule, scope, now);
      result.changes.push(...await reconcile(db, rule, outcomes, now));
    } catch (err) {
      result.errors.push({ ruleId: rule.id, message: (err as Error).message });
    }
  }
  return result;
}

// ---- the alarm pages ----------------------------------------------------------------------

const ALARM_SELECT = `
  select a.*, r.name as rule_name, r.kind, d.name as device_name
  from alarms a join alarm_rules r on r.id = a.rule_id join devices d on d.id = a.device_id`;

function toAlarm(r: Record<string, any>): Alarm {
  return { ...camelRow<Alarm>(r), id: String(r.id) };
}

export interface ListAlarmsQuery {
  /** "active" = open or acknowledged (default). */
  state?: AlarmState | "active" | "all";
  deviceId?: string;
  tankId?: string;
  limit?: number;
  offset?: number;
}

/** Alarms, most severe and newest first for active ones, newest first otherwise. */
export async function listAlarms(db: Db, q: ListAlarmsQuery = {}): Promise<Alarm[]> {
  const state = q.state ?? "active";
  const rows = await db.unsafe(
    `${ALARM_SELECT}
     where ($1 = 'all' or ($1 = 'active' and a.state <> 'resolved') or a.state = $1)
       and ($2::text is null or a.device_id = $2) and ($3::text is null or a.tank_id = $3)
     order by a.state = 'resolved', case a.severity when 'critical' then 0 when 'warning' then 1
       else 2 end, a.opened_at desc, a.id desc
     limit $4 offset $5`,
    [
      state,
      q.deviceId ?? null,
      q.tankId ?? null,
      Math.min(q.limit ?? 100, 500),
      Math.max(q.offset ?? 0, 0),
    ],
  );
  return rows.map(toAlarm);
}

export interface AlarmEvent {
  at: Date;
  kind: "opened" | "acknowledged" | "resolved" | "notified";
  actorId: string | null;
  note: string | null;
}

export async function getAlarm(
  db: Db,
  id: string,
): Promise<(Alarm & { events: AlarmEvent[] }) | null> {
  if (optionalId(id, BIGINT_MAX) === null) return null;
  const [row] = await db.unsafe(`${ALARM_SELECT} where a.id = $1`, [id]);
  if (!row) return null;
  const events = await db`
    select at, kind, actor_id, note from alarm_events where alarm_id = ${id} order by id`;
  return {
    ...toAlarm(row),
    events: events.map((e) => ({ at: e.at, kind: e.kind, actorId: e.actor_id, note: e.note })),
  };
}

/** Someone on duty has seen the alarm. It still resolves by itself when the condition clears. */
export async function acknowledgeAlarm(
  db: Db,
  input: { alarmId: string; note?: string | null },
  actor: { userId: string },
  opts: { now?: Date } = {},
): Promise<Alarm> {
  const now = opts.now ?? new Date();
  const note = input.note?.trim() || null;
  await inTx(db, async (tx) => {
    const [cur] = await tx`select state from alarms where id = ${input.alarmId} for update`;
    if (!cur) throw new NotFoundError(`No alarm ${input.alarmId}`);
    if (cur.state === "resolved") throw new ConflictError("This alarm is already resolved");
    if (cur.state === "acknowledged") return;
    await tx`
      update alarms set state = 'acknowledged', acknowledged_at = ${now},
        acknowledged_by = ${actor.userId}, ack_note = ${note}
      where id = ${input.alarmId}`;
    await recordHandling(tx, input.alarmId, "acknowledged", actor, note, now);
  });
  return (await getAlarm(db, input.alarmId))!;
}

/** A person's step on an alarm: its event in the alarm's history and the audit entry. */
async function recordHandling(
  tx: Tx,
  alarmId: string,
  kind: "acknowledged" | "resolved",
  actor: { userId: string },
  note: string | null,
  at: Date,
): Promise<void> {
  await tx`
    insert into alarm_events (alarm_id, at, kind, actor_id, note)
    values (${alarmId}, ${at}, ${kind}, ${actor.userId}, ${note})`;
  await appendAudit(tx, {
    actorId: actor.userId,
    action: kind === "acknowledged" ? "iot.alarm.acknowledge" : "iot.alarm.resolve",
    entity: "alarm",
    entityId: alarmId,
    data: { note },
    at,
  });
}

/**
 * Closes an alarm by hand (e.g. a sensor that was removed). If the condition still holds, the
 * next evaluation opens a new alarm.
 */
export async function resolveAlarm(
  db: Db,
  input: { alarmId: string; note: string },
  actor: { userId: string },
  opts: { now?: Date } = {},
): Promise<Alarm> {
  const now = opts.now ?? new Date();
  const note = input.note.trim();
  if (!note) throw new ConflictError("Say why the alarm is closed by hand");
  await inTx(db, async (tx) => {
    const rows = await tx`
      update alarms set state = 'resolved', resolved_at = ${now}, resolved_by = ${actor.userId},
        resolution = 'manual'
      where id = ${input.alarmId} and state <> 'resolved' returning id`;
    if (!rows.length) {
      const [exists] = await tx`select 1 from alarms where id = ${input.alarmId}`;
      if (!exists) throw new NotFoundError(`No alarm ${input.alarmId}`);
      throw new ConflictError("This alarm is already resolved");
    }
    await recordHandling(tx, input.alarmId, "resolved", actor, note, now);
  });
  return (await getAlarm(db, input.alarmId))!;
}
