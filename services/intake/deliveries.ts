/**
 * Contract farmers' deliveries at collection points: litres, fat/SNF/temperature tests and the
 * price per litre from the chart in force that day. A delivery is rejected (and not paid) when
 * the antibiotic test is positive, the milk is adulterated, warmer than the chart allows, or the
 * collector refuses it for another reason. A point's accepted milk of one day is received into
 * stock as one RAW-MILK intake lot whose attrs list the deliveries; after that the day is closed.
 */
import { id, isoDate, text, z } from "@/services/platform/schema.ts";
import { parseInput } from "@/services/platform/errors.ts";
import { addDays, dhakaDate } from "@/services/platform/dhaka.ts";
import { appendAudit } from "@/services/audit/mod.ts";
import { type Db, inTx } from "@/services/platform/tx.ts";
import { assertIntakeStaff, insertOnce, milkTest, milkTestOf, num } from "./db.ts";
import { IntakeError } from "./errors.ts";
import { amountFor, priceFor } from "./pricing.ts";
import { chartOn } from "./register.ts";
import { ensureRawMilk, RAW_MILK, RAW_MILK_DAYS, SILO, type TankDeps } from "./tanks.ts";
import type { IntakeActor } from "./ports.ts";

export const DELIVERY_SESSIONS = ["am", "pm"] as const;
export const REJECT_REASONS = ["antibiotic", "adulteration", "too_warm", "other"] as const;
export type RejectReason = typeof REJECT_REASONS[number];

const checkbox = z.preprocess((v) => v === true || v === "on" || v === "true", z.boolean());

export const deliverySchema = z.object({
  farmerId: id("Choose a farmer"),
  pointId: id("Choose a collection point"),
  day: isoDate(),
  session: z.enum(DELIVERY_SESSIONS, { error: "Morning or evening" }),
  ...milkTest(2000),
  antibiotic: z.enum(["negative", "positive", "not_tested"]).default("not_tested"),
  adulterated: checkbox.default(false),
  /** The collector refuses the milk for another reason (then a note says why). */
  refuse: checkbox.default(false),
  note: z.preprocess((v) => (v === "" ? null : v), text(500).nullish()),
}).refine((d) => !d.refuse || !!d.note, {
  path: ["note"],
  message: "Say why the milk is refused",
});
/** A delivery as the form posts it (the schema validates every field). */
export type DeliveryInput = Record<string, unknown>;

export interface Delivery {
  id: number;
  farmerId: number;
  farmerCode: string;
  farmerName: string;
  pointId: number;
  pointCode: string;
  day: string;
  session: string;
  litres: number;
  fatPct: number;
  snfPct: number;
  tempC: number;
  antibiotic: string;
  adulterated: boolean;
  status: "accepted" | "rejected";
  rejectReason: RejectReason | null;
  note: string | null;
  priceMinor: number | null;
  amountMinor: number;
  lotId: number | null;
  statementId: number | null;
}

const toDelivery = (r: Record<string, any>): Delivery => ({
  id: Number(r.id),
  farmerId: r.farmer_id,
  farmerCode: r.farmer_code,
  farmerName: r.farmer_name,
  pointId: r.point_id,
  pointCode: r.point_code,
  day: r.day,
  session: r.session,
  ...milkTestOf(r),
  antibiotic: r.antibiotic,
  adulterated: r.adulterated,
  status: r.status,
  rejectReason: r.reject_reason,
  note: r.note,
  priceMinor: r.price_minor,
  amountMinor: Number(r.amount_minor),
  lotId: r.lot_id === null ? null : Number(r.lot_id),
  statementId: r.statement_id === null ? null : Number(r.statement_id),
});

export async function recordDelivery(
  db: Db,
  input: DeliveryInput,
  actor: IntakeActor,
  now: Date,
): Promise<Delivery> {
  assertIntakeStaff(actor);
  const d = parseInput(deliverySchema, input);
  if (d.day > dhakaDate(now)) {
    throw new IntakeError("future_date", "The date is in the future", {}, "day", 422);
  }
  return await inTx(db, async (tx) => {
    const [farmer] = await tx`select id, active from intake_farmers where id = ${d.farmerId}`;
    if (!farmer) throw new IntakeError("unknown_farmer", "No such farmer", {}, "farmerId", 422);
    if (!farmer.active) {
      throw new IntakeError("inactive_farmer", "This farmer is not active", {}, "farmerId", 422);
    }
    const [point] = await tx`select id from intake_points where id = ${d.pointId} and active`;
    if (!point) throw new IntakeError("unknown_point", "No such point", {}, "pointId", 422);
    const [closed] = await tx`
      select lot_code from intake_point_lots where point_id = ${d.pointId} and day = ${d.day}`;
    if (closed) {
      throw new IntakeError(
        "day_closed",
        `This point's milk of ${d.day} was received already (lot ${closed.lot_code})`,
        { day: d.day, lot: closed.lot_code },
        "day",
      );
    }
    const [paid] = await tx`
      select 1 from intake_statements where farmer_id = ${d.farmerId} and status = 'paid'
        and ${d.day}::date between period_start and period_end`;
    if (paid) throw new IntakeError("period_paid", "That period was paid already", {}, "day");
    const chart = await chartOn(tx, d.day);
    if (!chart) {
      throw new IntakeError("no_chart", `No price chart is in force on ${d.day}`, {
        day: d.day,
      }, "day");
    }
    const reason: RejectReason | null = d.antibiotic === "positive"
      ? "antibiotic"
      : d.adulterated
      ? "adulteration"
      : chart.maxTempC !== null && d.tempC > chart.maxTempC
      ? "too_warm"
      : d.refuse
      ? "other"
      : null;
    const price = reason ? null : priceFor(chart, d.fatPct, d.snfPct).perLitreMinor;
    const values = {
      farmer_id: d.farmerId,
      point_id: d.pointId,
      delivered_on: d.day,
      session: d.session,
      litres: d.litres,
      fat_pct: d.fatPct,
      snf_pct: d.snfPct,
      temp_c: d.tempC,
      antibiotic: d.antibiotic,
      adulterated: d.adulterated,
      status: reason ? "rejected" : "accepted",
      reject_reason: reason,
      note: d.note ?? null,
      chart_id: chart.id,
      price_minor: price,
      amount_minor: price === null ? 0 : amountFor(d.litres, price),
      recorded_at: now,
      recorded_by: actor.id,
    };
    const newId = await insertOnce(
      tx,
      (sp) => sp`insert into intake_deliveries ${sp(values)} returning id`,
      new IntakeError(
        "duplicate_delivery",
        "This farmer's delivery of that session is recorded already",
        {},
        "farmerId",
      ),
    );
    await appendAudit(tx, {
      actorId: actor.id,
      action: reason ? "intake.delivery.reject" : "intake.delivery.accept",
      entity: "intake_delivery",
      entityId: newId,
      data: { farmerId: d.farmerId, day: d.day, session: d.session, litres: d.litres, reason },
      at: now,
    });
    return (await listDeliveries(tx, { id: newId }))[0];
  });
}

export interface DeliveryQuery {
  id?: number;
  farmerId?: number;
  pointId?: number;
  from?: string;
  to?: string;
  limit?: number;
}

export async function listDeliveries(db: Db, q: DeliveryQuery = {}): Promise<Delivery[]> {
  const rows = await db`
    select d.*, d.delivered_on::text as day, f.code as farmer_code, f.name as farmer_name,
      p.code as point_code
    from intake_deliveries d join intake_farmers f on f.id = d.farmer_id
      join intake_points p on p.id = d.point_id
    where (${q.id ?? null}::bigint is null or d.id = ${q.id ?? null}::bigint)
      and (${q.farmerId ?? null}::int is null or d.farmer_id = ${q.farmerId ?? null}::int)
      and (${q.pointId ?? null}::int is null or d.point_id = ${q.pointId ?? null}::int)
      and (${q.from ?? null}::date is null or d.delivered_on >= ${q.from ?? null}::date)
      and (${q.to ?? null}::date is null or d.delivered_on <= ${q.to ?? null}::date)
    order by d.delivered_on desc, d.session desc, d.id desc
    limit ${Math.min(q.limit ?? 200, 1000)}`;
  return rows.map(toDelivery);
}

export const closeDaySchema = z.object({
  pointId: id("Choose a collection point"),
  day: isoDate(),
});

/** Receives a point's accepted, not yet received milk of one day as one intake lot. */
export async function receivePointDay(
  db: Db,
  deps: Pick<TankDeps, "inventory" | "ledger">,
  input: Record<string, unknown>,
  actor: IntakeActor,
  now: Date,
): Promise<{ lotId: number; lotCode: string; litres: number; deliveries: number }> {
  assertIntakeStaff(actor);
  const c = parseInput(closeDaySchema, input);
  return await inTx(db, async (tx) => {
    const [point] = await tx`select id, code from intake_points where id = ${c.pointId}
      for update`;
    if (!point) throw new IntakeError("unknown_point", "No such point", {}, "pointId", 422);
    const [closed] = await tx`
      select lot_code from intake_point_lots where point_id = ${c.pointId} and day = ${c.day}`;
    if (closed) {
      throw new IntakeError("day_closed", `Received already (lot ${closed.lot_code})`, {
        day: c.day,
        lot: closed.lot_code,
      }, "day");
    }
    const rows = await tx`
      select d.id, d.session, d.litres, d.fat_pct, d.snf_pct, f.code as farmer, d.farmer_id,
        d.amount_minor
      from intake_deliveries d join intake_farmers f on f.id = d.farmer_id
      where d.point_id = ${c.pointId} and d.delivered_on = ${c.day} and d.status = 'accepted'
      order by d.session, f.code`;
    if (!rows.length) {
      throw new IntakeError(
        "nothing_to_receive",
        "No accepted deliveries at this point that day",
        {},
        "day",
      );
    }
    const ml = rows.reduce((s, r) => s + Math.round(num(r.litres)! * 1000), 0);
    const weighted = (col: string) =>
      Math.round(
        rows.reduce((s, r) => s + num(r[col])! * num(r.litres)! * 1000, 0) / ml * 100,
      ) / 100;
    await ensureRawMilk(tx, deps.inventory);
    const lot = await deps.inventory.receive(tx, {
      itemCode: RAW_MILK,
      locationCode: SILO,
      qty: ml,
      producedOn: c.day,
      expiresOn: addDays(c.day, RAW_MILK_DAYS),
      status: "quarantine",
      ref: { kind: "intake", id: `point-${point.code}-${c.day}` },
      actor: { id: actor.id, name: actor.name },
      attrs: {
        source: "collection",
        pointCode: point.code,
        date: c.day,
        fat: weighted("fat_pct"),
        snf: weighted("snf_pct"),
        deliveries: rows.map((r) => ({
          id: Number(r.id),
          farmer: r.farmer,
          session: r.session,
          litres: num(r.litres),
          fat: num(r.fat_pct),
          snf: num(r.snf_pct),
        })),
      },
    });
    await tx`
      insert into intake_point_lots (point_id, day, litres, lot_id, lot_code, received_at,
        received_by)
      values (${c.pointId}, ${c.day}, ${ml / 1000}, ${lot.lotId}, ${lot.lotCode}, ${now},
        ${actor.id})`;
    await tx`update intake_deliveries set lot_id = ${lot.lotId}
      where id = any(${rows.map((r) => Number(r.id))}::bigint[])`;
    // The books: the milk into stock at what each farmer is owed for it.
    await deps.ledger?.milkReceived(tx, {
      ref: `point-${point.code}-${c.day}`,
      itemCode: RAW_MILK,
      qty: ml,
      lines: rows.map((r) => ({
        farmerId: Number(r.farmer_id),
        valueMinor: Number(r.amount_minor),
      })),
    });
    await appendAudit(tx, {
      actorId: actor.id,
      action: "intake.point.receive",
      entity: "intake_point",
      entityId: c.pointId,
      data: { day: c.day, litres: ml / 1000, lotId: lot.lotId, deliveries: rows.length },
      at: now,
    });
    return { ...lot, litres: ml / 1000, deliveries: rows.length };
  });
}

/** Per point and day: accepted/rejected litres and whether it was received into stock. */
export async function pointDays(
  db: Db,
  q: { from: string; to: string },
): Promise<
  {
    pointId: number;
    pointCode: string;
    day: string;
    acceptedL: number;
    rejectedL: number;
    deliveries: number;
    lotCode: string | null;
  }[]
> {
  const rows = await db`
    select d.point_id, p.code, d.delivered_on::text as day,
      sum(d.litres) filter (where d.status = 'accepted') as accepted,
      sum(d.litres) filter (where d.status = 'rejected') as rejected, count(*)::int as n,
      max(l.lot_code) as lot_code
    from intake_deliveries d join intake_points p on p.id = d.point_id
      left join intake_point_lots l on l.point_id = d.point_id and l.day = d.delivered_on
    where d.delivered_on between ${q.from} and ${q.to}
    group by d.point_id, p.code, d.delivered_on
    order by d.delivered_on desc, p.code`;
  return rows.map((r) => ({
    pointId: r.point_id,
    pointCode: r.code,
    day: r.day,
    acceptedL: num(r.accepted) ?? 0,
    rejectedL: num(r.rejected) ?? 0,
    deliveries: r.n,
    lotCode: r.lot_code,
  }));
}
