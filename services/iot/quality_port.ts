/**
 * What the quality context needs of IoT (createQuality's `iot`, from `iot.forQuality()`): the
 * alarms IoT opened, in id order after a cursor, with the rule's metric, so that quality can hold
 * the lots stored where a critical temperature alarm fired. Quality never reads IoT's tables.
 */
import type { Db } from "@/services/platform/tx.ts";

export interface OpenedAlarm {
  id: number;
  deviceId: string;
  ruleId: string;
  /** The rule's metric (e.g. "temperature_c"), null for silence rules. */
  metric: string | null;
  severity: "info" | "warning" | "critical";
  message: string;
  value: number | null;
  openedAt: Date;
}

export interface QualityIot {
  /** Alarms opened after `cursor` (an alarm id), oldest first, at most `limit`. */
  alarmsOpenedAfter(cursor: number, limit: number): Promise<OpenedAlarm[]>;
}

export async function alarmsOpenedAfter(
  db: Db,
  cursor: number,
  limit: number,
): Promise<OpenedAlarm[]> {
  const rows = await db`
    select a.id, a.device_id, a.rule_id, r.metric, a.severity, a.message, a.value, a.opened_at
    from alarms a join alarm_rules r on r.id = a.rule_id
    where a.id > ${cursor}
    order by a.id
    limit ${Math.max(1, Math.min(limit, 1000))}`;
  return rows.map((r) => ({
    id: Number(r.id),
    deviceId: r.device_id,
    ruleId: r.rule_id,
    metric: r.metric ?? null,
    severity: r.severity,
    message: r.message,
    value: r.value === null ? null : Number(r.value),
    openedAt: new Date(r.opened_at),
  }));
}
