/**
 * Alarm rules: what fires an alarm. Each kind has its own parameters, checked with Zod here (the
 * database keeps them as jsonb). The default set is seeded by migrations/0100_iot.sql.
 *
 * - threshold: the metric beyond `value` for `durationS` (0 = at once). With `graceS` on a tank's
 *   thermometer, the duration only counts from the end of the cooling window: graceS after the
 *   latest milk-meter reading feeding that tank (or, without such readings in the last 24 h,
 *   after the end of the latest milking session: 04:00–11:00 and 15:00–22:00 farm time).
 * - rate: the metric changed by more than `change` within `windowS` ('>' rising, '<' falling).
 * - silence: no reading for `silentS`.
 * - activity_spike / rumination_drop: the sum over the last `windowH` hours against the same
 *   hours on each of the previous `baselineDays` days for the same animal (mean and standard
 *   deviation; needs `minDays` days of data since the collar was assigned).
 */
import { z } from "@/services/platform/schema.ts";
import { NotFoundError, parseInput } from "@/services/platform/errors.ts";
import { DEVICE_TYPES, type DeviceType } from "./contract.ts";
import type { Db } from "@/services/platform/tx.ts";

export const RULE_KINDS = [
  "threshold",
  "rate",
  "silence",
  "activity_spike",
  "rumination_drop",
] as const;
export type RuleKind = typeof RULE_KINDS[number];
export const SEVERITIES = ["info", "warning", "critical"] as const;
export type Severity = typeof SEVERITIES[number];

const seconds = z.number().int().min(0).max(30 * 86400);
/** Readings older than this are too old to judge a threshold or a rate by. */
const staleS = seconds.min(60).default(3600);

export const PARAM_SCHEMAS = {
  threshold: z.object({
    op: z.enum([">", "<"]),
    value: z.number(),
    durationS: seconds.default(0),
    graceS: seconds.optional(),
    staleS,
  }),
  rate: z.object({
    op: z.enum([">", "<"]),
    change: z.number().positive(),
    windowS: seconds.min(60),
    graceS: seconds.optional(),
    staleS,
  }),
  silence: z.object({ silentS: seconds.min(60) }),
  activity_spike: z.object({
    windowH: z.number().int().min(1).max(24),
    baselineDays: z.number().int().min(3).max(30),
    minDays: z.number().int().min(2).max(30),
    sigma: z.number().positive(),
    minRatio: z.number().min(1),
  }),
  rumination_drop: z.object({
    windowH: z.number().int().min(1).max(24),
    baselineDays: z.number().int().min(3).max(30),
    minDays: z.number().int().min(2).max(30),
    sigma: z.number().positive(),
    maxRatio: z.number().gt(0).lt(1),
  }),
} satisfies Record<RuleKind, z.ZodType>;

export type RuleParams<K extends RuleKind> = z.output<typeof PARAM_SCHEMAS[K]>;

export interface AlarmRule<K extends RuleKind = RuleKind> {
  id: string;
  name: string;
  kind: K;
  deviceType: DeviceType | null;
  deviceId: string | null;
  metric: string | null;
  severity: Severity;
  holdsTank: boolean;
  params: RuleParams<K>;
  enabled: boolean;
}

function toRule(r: Record<string, any>): AlarmRule {
  const kind = r.kind as RuleKind;
  return {
    id: r.id,
    name: r.name,
    kind,
    deviceType: r.device_type,
    deviceId: r.device_id,
    metric: r.metric,
    severity: r.severity,
    holdsTank: r.holds_tank,
    params: PARAM_SCHEMAS[kind].parse(r.params) as RuleParams<RuleKind>,
    enabled: r.enabled,
  };
}

export async function listRules(
  db: Db,
  opts: { enabledOnly?: boolean } = {},
): Promise<AlarmRule[]> {
  const rows = await db`
    select * from alarm_rules where ${!opts.enabledOnly} or enabled order by kind, id`;
  return rows.map(toRule);
}

export async function getRule(db: Db, id: string): Promise<AlarmRule | null> {
  if (!/^[a-z0-9][a-z0-9-]{1,63}$/.test(id)) return null; // no such id can exist
  const [row] = await db`select * from alarm_rules where id = ${id}`;
  return row ? toRule(row) : null;
}

const ruleBase = {
  name: z.string().trim().min(1, "A name is required").max(200),
  deviceType: z.enum(DEVICE_TYPES).nullish(),
  deviceId: z.string().trim().min(1).nullish(),
  metric: z.string().trim().min(1).max(64).nullish(),
  severity: z.enum(SEVERITIES),
  holdsTank: z.boolean().default(false),
  enabled: z.boolean().default(true),
};

export const ruleInputSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("threshold"), params: PARAM_SCHEMAS.threshold, ...ruleBase }),
  z.object({ kind: z.literal("rate"), params: PARAM_SCHEMAS.rate, ...ruleBase }),
  z.object({ kind: z.literal("silence"), params: PARAM_SCHEMAS.silence, ...ruleBase }),
  z.object({
    kind: z.literal("activity_spike"),
    params: PARAM_SCHEMAS.activity_spike,
    ...ruleBase,
  }),
  z.object({
    kind: z.literal("rumination_drop"),
    params: PARAM_SCHEMAS.rumination_drop,
    ...ruleBase,
  }),
]).refine((r) => r.deviceType || r.deviceId, {
  message: "A rule applies to a device type or to one device",
  path: ["deviceType"],
}).refine((r) => r.kind === "silence" || r.metric, {
  message: "This kind of rule needs a metric",
  path: ["metric"],
});
export type RuleInput = z.input<typeof ruleInputSchema>;

/** Creates or replaces a rule (the thresholds page). Active alarms of the rule stay as they are. */
export async function saveRule(db: Db, id: string, input: RuleInput): Promise<AlarmRule> {
  const r = parseInput(ruleInputSchema, input);
  const idOk = parseInput(
    z.object({
      id: z.string().regex(
        /^[a-z0-9][a-z0-9-]{1,63}$/,
        "2–64 lower-case letters, digits or hyphens",
      ),
    }),
    { id },
  ).id;
  const [row] = await db`
    insert into alarm_rules (id, name, kind, device_type, device_id, metric, severity, holds_tank,
      params, enabled)
    values (${idOk}, ${r.name}, ${r.kind}, ${r.deviceType ?? null}, ${r.deviceId ?? null},
      ${r.metric ?? null}, ${r.severity}, ${r.holdsTank}, ${db.json(r.params as never)},
      ${r.enabled})
    on conflict (id) do update set name = excluded.name, kind = excluded.kind,
      device_type = excluded.device_type, device_id = excluded.device_id,
      metric = excluded.metric, severity = excluded.severity, holds_tank = excluded.holds_tank,
      params = excluded.params, enabled = excluded.enabled, updated_at = now()
    returning *`;
  return toRule(row);
}

export async function setRuleEnabled(db: Db, id: string, enabled: boolean): Promise<AlarmRule> {
  if (!/^[a-z0-9][a-z0-9-]{1,63}$/.test(id)) throw new NotFoundError(`No alarm rule ${id}`);
  const [row] = await db`
    update alarm_rules set enabled = ${enabled}, updated_at = now() where id = ${id} returning *`;
  if (!row) throw new NotFoundError(`No alarm rule ${id}`);
  return toRule(row);
}
