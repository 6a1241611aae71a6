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

/** Records what the rider collected for a delivered COD order (in the delivery's transaction). */
export async function recordCodCollection(
  tx: Tx,
  orders: OrderLedger,
  input: {
    orderId: string;
    rider: string;
    amountMinor: number;
    collectedOn: string;
    actorId: string | null;
  },
  ledger?: PaymentsLedger,
): Promise<{ settled: boolean }> {
  const o = (await orders.lock(tx, input.orderId))!;
  const due = o.totalMinor - o.paidMinor;
  const [before] = await tx`
    select amount_minor from shop_cod_collections where order_id = ${input.orderId}`;
  await tx`
    insert into shop_cod_collections (order_id, rider, amount_minor, collected_on, recorded_by)
    values (${input.orderId}, ${input.rider}, ${input.amountMinor}, ${input.collectedOn},
      ${input.actorId})
    on conflict (order_id) do update set rider = excluded.rider,
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

/** A rider's end-of-day cash hand-in (one per rider and day; re-entering corrects it). */
export async function recordHandin(
  tx: Tx,
  input: {
    rider: string;
    handedOn: string;
    amountMinor: number;
    actorId: string | null;
    note?: string;
  },
  ledger?: PaymentsLedger,
): Promise<void> {
  const [before] = await tx`
    select amount_minor from shop_cod_handins
    where rider = ${input.rider} and handed_on = ${input.handedOn} for update`;
  await tx`
    insert into shop_cod_handins (rider, handed_on, amount_minor, received_by, note)
    values (${input.rider}, ${input.handedOn}, ${input.amountMinor}, ${input.actorId},
      ${input.note ?? null})
    on conflict (rider, handed_on) do update set amount_minor = excluded.amount_minor,
      received_by = excluded.received_by, note = excluded.note`;
  await ledger?.codHandedIn(tx, {
    rider: input.rider,
    day: input.handedOn,
    deltaMinor: input.amountMinor - (before ? toMinor(before.amount_minor) : 0),
    key: await txKey(tx),
  });
  await appendAudit(tx, {
    actorId: input.actorId,
    action: "shop.cod.handin",
    entity: "shop_cod_handin",
    entityId: `${input.rider}:${input.handedOn}`,
    data: { amountMinor: input.amountMinor },
  });
}

export interface RiderDay {
  rider: string;
  day: string;
  collectedMinor: number;
  handedInMinor: number | null;
  orders: number;
}

/** Collections against hand-ins per rider and day, newest first. */
export async function riderDays(sql: Queryable, sinceDays = 14): Promise<RiderDay[]> {
  const rows = await sql`
    with c as (
      select rider, collected_on as day, sum(amount_minor) as collected, count(*)::int as orders
      from shop_cod_collections where collected_on >= current_date - ${sinceDays}::int
      group by rider, collected_on
    )
    select coalesce(c.rider, h.rider) as rider, coalesce(c.day, h.handed_on)::text as day,
      coalesce(c.collected, 0) as collected, h.amount_minor as handed, coalesce(c.orders, 0) as orders
    from c full join (select * from shop_cod_handins
      where handed_on >= current_date - ${sinceDays}::int) h
      on h.rider = c.rider and h.handed_on = c.day
    order by 2 desc, 1`;
  return rows.map((r) => ({
    rider: r.rider,
    day: r.day,
    collectedMinor: toMinor(r.collected),
    handedInMinor: r.handed === null ? null : toMinor(r.handed),
    orders: r.orders,
  }));
}
