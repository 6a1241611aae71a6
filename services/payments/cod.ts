/**
 * Cash on delivery: the rider's collection is recorded when the order is marked delivered, which
 * settles the order's open COD payment when the amount is right; at the end of the day each rider
 * hands the cash in, and reconciliation compares hand-ins with collections (shortfalls flagged).
 */
import { emitWebhookEvent } from "@/services/webhooks/mod.ts";
import type { Queryable, Tx } from "@/services/platform/db.ts";
import { toMinor } from "@/services/platform/db.ts";
import { appendAudit } from "@/services/audit/mod.ts";
import { flagIssue } from "./issues.ts";
import type { OrderLedger } from "@/services/shop/mod.ts";
import type { PaymentsLedger } from "@/services/accounting/port.ts";

/** Tells one recording transaction from the next (a corrected figure posts its difference). */
async function txKey(tx: Tx): Promise<string> {
  const [r] = await tx`select txid_current()::text as id`;
  return `tx${r.id}`;
}

/** Couriers that collect cash for us (their remittance is reconciled in delivery). */
export const COD_COURIERS = ["pathao", "steadfast", "paperfly", "redx"] as const;
export type CodCourier = typeof COD_COURIERS[number];

/**
 * Who collected a COD order's cash: one of our riders (a staff user with the rider role; `rider`
 * is their name for the books' memo) or a courier (`rider` is the courier's name).
 */
export type CodCollector =
  | { riderId: string; rider: string; courier?: undefined }
  | { courier: CodCourier; rider: string; riderId?: undefined };

/** Records what the rider collected for a delivered COD order (in the delivery's transaction). */
export async function recordCodCollection(
  tx: Tx,
  orders: OrderLedger,
  input: CodCollector & {
    orderId: string;
    amountMinor: number;
    collectedOn: string;
    actorId: string | null;
  },
  ledger?: PaymentsLedger,
): Promise<{ settled: boolean }> {
  if (!!input.riderId === !!input.courier) {
    throw new RangeError("A COD collection names one rider or one courier");
  }
  const o = (await orders.lock(tx, input.orderId))!;
  const due = o.totalMinor - o.paidMinor;
  const [before] = await tx`
    select amount_minor from shop_cod_collections where order_id = ${input.orderId}`;
  await tx`
    insert into shop_cod_collections (order_id, rider, rider_id, courier, amount_minor,
      collected_on, recorded_by)
    values (${input.orderId}, ${input.rider}, ${input.riderId ?? null}, ${input.courier ?? null},
      ${input.amountMinor}, ${input.collectedOn}, ${input.actorId})
    on conflict (order_id) do update set rider = excluded.rider, rider_id = excluded.rider_id,
      courier = excluded.courier,
      amount_minor = excluded.amount_minor, collected_on = excluded.collected_on,
      recorded_by = excluded.recorded_by, recorded_at = now()`;
  await ledger?.codCollected(tx, {
    orderId: o.id,
    orderNumber: o.number,
    rider: input.rider,
    deltaMinor: input.amountMinor - (before ? toMinor(before.amount_minor) : 0),
    key: await txKey(tx),
  });
  await appendAudit(tx, {
    actorId: input.actorId,
    action: "shop.cod.collected",
    entity: "shop_order",
    entityId: o.number,
    data: { rider: input.rider, amountMinor: input.amountMinor, dueMinor: due },
  });
  if (input.amountMinor !== due) {
    await flagIssue(tx, "cod_not_collected", `order:${o.id}`, {
      orderId: o.id,
      orderNumber: o.number,
      detail: { dueMinor: due, collectedMinor: input.amountMinor, rider: input.rider },
    });
    return { settled: false };
  }
  const [p] = await tx`
    update shop_payments set status = 'succeeded', provider_trx_id = ${"cod:" + o.id},
      completed_at = now(), updated_at = now(), details = details || ${
    tx.json({ rider: input.rider })
  }
    where order_id = ${o.id} and method = 'cod' and status = 'pending'
    returning id`;
  if (p) await orders.addCash(tx, o.id, due);
  if (p) {
    // Partners' webhooks (services/webhooks): cash on delivery collected is a confirmed payment.
    await emitWebhookEvent(tx, {
      type: "payment.confirmed",
      data: {
        paymentId: String(p.id),
        orderNumber: o.number,
        purpose: "order",
        method: "cod",
        amountMinor: due,
        currency: "BDT",
      },
      dedupeKey: `payment.confirmed:${p.id}`,
    });
  }
  return { settled: !!p };
}

export interface HandinResult {
  riderId: string;
  rider: string;
  handedOn: string;
  /** What the rider collected that day (the delivered COD orders' cash they recorded). */
  expectedMinor: number;
  amountMinor: number;
  /** Handed in minus expected: negative is short, positive is over. */
  differenceMinor: number;
}

/**
 * A rider's end-of-day cash hand-in, received by a cashier (one per rider and day; entering it
 * again corrects it). Compared with what the rider collected that day: the difference is kept,
 * audited and flagged for reconciliation when it is not zero.
 */
export async function recordHandin(
  tx: Tx,
  input: {
    riderId: string;
    /** The rider's name (for the books' memo). */
    rider: string;
    handedOn: string;
    amountMinor: number;
    actorId: string | null;
    note?: string;
  },
  ledger?: PaymentsLedger,
): Promise<HandinResult> {
  const [before] = await tx`
    select amount_minor from shop_cod_handins
    where rider_id = ${input.riderId} and handed_on = ${input.handedOn} for update`;
  const [c] = await tx`
    select coalesce(sum(amount_minor), 0) as v from shop_cod_collections
    where rider_id = ${input.riderId} and collected_on = ${input.handedOn}`;
  const expected = toMinor(c.v);
  await tx`
    insert into shop_cod_handins (rider, rider_id, handed_on, amount_minor, expected_minor,
      received_by, note)
    values (${input.rider}, ${input.riderId}, ${input.handedOn}, ${input.amountMinor},
      ${expected}, ${input.actorId}, ${input.note ?? null})
    on conflict (rider_id, handed_on) where rider_id is not null do update
      set amount_minor = excluded.amount_minor, expected_minor = excluded.expected_minor,
        received_by = excluded.received_by, note = excluded.note`;
  await ledger?.codHandedIn(tx, {
    rider: input.rider,
    day: input.handedOn,
    deltaMinor: input.amountMinor - (before ? toMinor(before.amount_minor) : 0),
    key: await txKey(tx),
  });
  const difference = input.amountMinor - expected;
  await appendAudit(tx, {
    actorId: input.actorId,
    action: "shop.cod.handin",
    entity: "shop_cod_handin",
    entityId: `${input.riderId}:${input.handedOn}`,
    data: {
      rider: input.rider,
      amountMinor: input.amountMinor,
      expectedMinor: expected,
      differenceMinor: difference,
      corrected: !!before,
    },
  });
  const subject = `rider:${input.riderId}:${input.handedOn}`;
  if (difference === 0) {
    // A corrected hand-in that now agrees closes the finding it had raised.
    await tx`
      update shop_reconciliation_issues set status = 'resolved', resolved_by = ${input.actorId},
        resolution = 'hand-in corrected: agrees with the collections', resolved_at = now()
      where kind = 'cod_rider_difference' and subject = ${subject} and status = 'open'`;
  } else {
    await flagIssue(tx, "cod_rider_difference", subject, {
      detail: {
        rider: input.rider,
        day: input.handedOn,
        collectedMinor: expected,
        handedInMinor: input.amountMinor,
      },
    });
  }
  return {
    riderId: input.riderId,
    rider: input.rider,
    handedOn: input.handedOn,
    expectedMinor: expected,
    amountMinor: input.amountMinor,
    differenceMinor: difference,
  };
}

export interface RiderDay {
  riderId: string;
  rider: string;
  day: string;
  collectedMinor: number;
  handedInMinor: number | null;
  /** Handed in minus collected (null: nothing handed in yet). */
  differenceMinor: number | null;
  orders: number;
}

/** Our riders' collections against their hand-ins per rider and day, newest first. */
export async function riderDays(sql: Queryable, sinceDays = 14): Promise<RiderDay[]> {
  const rows = await sql`
    with c as (
      select rider_id, max(rider) as rider, collected_on as day, sum(amount_minor) as collected,
        count(*)::int as orders
      from shop_cod_collections
      where rider_id is not null and collected_on >= current_date - ${sinceDays}::int
      group by rider_id, collected_on
    )
    select coalesce(c.rider_id, h.rider_id) as rider_id, coalesce(c.rider, h.rider) as rider,
      coalesce(c.day, h.handed_on)::text as day,
      coalesce(c.collected, 0) as collected, h.amount_minor as handed, coalesce(c.orders, 0) as orders
    from c full join (select * from shop_cod_handins
      where rider_id is not null and handed_on >= current_date - ${sinceDays}::int) h
      on h.rider_id = c.rider_id and h.handed_on = c.day
    order by 3 desc, 2`;
  return rows.map((r) => {
    const collected = toMinor(r.collected);
    const handed = r.handed === null ? null : toMinor(r.handed);
    return {
      riderId: r.rider_id,
      rider: r.rider,
      day: r.day,
      collectedMinor: collected,
      handedInMinor: handed,
      differenceMinor: handed === null ? null : handed - collected,
      orders: r.orders,
    };
  });
}
