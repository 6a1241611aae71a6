/**
 * Outlets (issue 14 §1, §3): each with its delivery address, delivery zone, slot and receiving
 * hours, kept by the account's admin; the minimum order value per delivery zone, kept by sales.
 * Zones and slots are the shop's (its door, handed in as `deliveryOptions`).
 */
import type { Db, Sql } from "@/services/platform/tx.ts";
import { inTx } from "@/services/platform/tx.ts";
import { ConflictError, NotFoundError, ValidationError } from "@/services/platform/errors.ts";
import { appendAudit } from "@/services/audit/mod.ts";
import { isCleanText } from "@/services/platform/schema.ts";
import type { Actor, B2bDeps } from "./service.ts";

export interface OutletDetail {
  id: number;
  name: string;
  address: string;
  zoneCode: string | null;
  slotCode: string | null;
  receivingFrom: string | null;
  receivingTo: string | null;
}

export interface OutletInput {
  /** null: a new outlet. */
  id: number | null;
  name: string;
  address: string;
  zoneCode: string;
  slotCode: string;
  receivingFrom: string;
  receivingTo: string;
}

// deno-lint-ignore no-explicit-any
type Row = Record<string, any>;

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

export async function outletDetails(db: Db, accountId: number): Promise<OutletDetail[]> {
  const rows = await db`select id, name, address, zone_code, slot_code,
      to_char(receiving_from, 'HH24:MI') as rf, to_char(receiving_to, 'HH24:MI') as rt
    from b2b_outlets where account_id = ${accountId} and active order by id`;
  return rows.map((r: Row) => ({
    id: Number(r.id),
    name: r.name,
    address: r.address,
    zoneCode: r.zone_code,
    slotCode: r.slot_code,
    receivingFrom: r.rf,
    receivingTo: r.rt,
  }));
}

/** The account's admin adds or changes an outlet (zone and slot from the shop's lists). */
export async function saveOutlet(
  deps: B2bDeps,
  userId: string,
  accountId: number,
  o: OutletInput,
  now: Date,
): Promise<number> {
  const [me] = await deps.sql`select role from b2b_members
    where account_id = ${accountId} and user_id = ${userId}`;
  if (me?.role !== "admin") throw new ConflictError("not_account_admin");
  const opts = await deps.deliveryOptions?.();
  const bad: Record<string, string> = {};
  const name = o.name.trim();
  const address = o.address.trim();
  if (!name || name.length > 120 || !isCleanText(name)) bad.name = "outletName";
  if (address.length < 5 || address.length > 300 || !isCleanText(address)) {
    bad.address = "address";
  }
  if (o.zoneCode && !opts?.zones.some((z) => z.code === o.zoneCode)) bad.zoneCode = "zone";
  if (o.slotCode && !opts?.slots.some((s) => s.code === o.slotCode)) bad.slotCode = "slot";
  const from = o.receivingFrom.trim();
  const to = o.receivingTo.trim();
  if (from && !TIME.test(from)) bad.receivingFrom = "time";
  if (to && !TIME.test(to)) bad.receivingTo = "time";
  if (!bad.receivingFrom && !bad.receivingTo && from && to && to <= from) {
    bad.receivingTo = "hours";
  }
  if (o.id !== null && (!Number.isSafeInteger(o.id) || o.id <= 0)) bad.id = "outlet";
  if (Object.keys(bad).length) throw new ValidationError(bad);
  return await inTx(deps.sql, async (tx) => {
    let id = o.id;
    if (id === null) {
      const [r] = await tx`insert into b2b_outlets (account_id, name, address, zone_code,
          slot_code, receiving_from, receiving_to)
        values (${accountId}, ${name}, ${address}, ${o.zoneCode || null}, ${o.slotCode || null},
          ${from || null}, ${to || null})
        returning id`;
      id = Number(r.id);
    } else {
      // Only the account's own outlet: another account's id is not found.
      const r = await tx`update b2b_outlets set name = ${name}, address = ${address},
          zone_code = ${o.zoneCode || null}, slot_code = ${o.slotCode || null},
          receiving_from = ${from || null}, receiving_to = ${to || null}
        where id = ${id} and account_id = ${accountId} and active returning id`;
      if (r.length === 0) throw new NotFoundError("b2b outlet");
    }
    await appendAudit(tx, {
      actorId: userId,
      action: "b2b.outlet.saved",
      entity: "b2b_account",
      entityId: accountId,
      data: { outletId: id, name, zoneCode: o.zoneCode || null, slotCode: o.slotCode || null },
      at: now,
    });
    return id;
  });
}

export async function zoneMinimums(db: Db) {
  const rows = await db`select zone_code, min_order_minor from b2b_zone_minimums
    order by zone_code`;
  return rows.map((r: Row) => ({
    zoneCode: r.zone_code as string,
    minOrderMinor: Number(r.min_order_minor),
  }));
}

/** Sales set the minimum B2B order value (without VAT) for deliveries to a zone (0: none). */
export async function setZoneMinimum(
  deps: B2bDeps,
  zoneCode: string,
  minOrderMinor: number,
  actor: Actor,
  now: Date,
) {
  const opts = await deps.deliveryOptions?.();
  const bad: Record<string, string> = {};
  if (!opts?.zones.some((z) => z.code === zoneCode)) bad.zoneCode = "zone";
  if (!Number.isSafeInteger(minOrderMinor) || minOrderMinor < 0) bad.minOrder = "money";
  if (Object.keys(bad).length) throw new ValidationError(bad);
  await inTx(deps.sql as Sql, async (tx) => {
    await tx`insert into b2b_zone_minimums (zone_code, min_order_minor, updated_at)
      values (${zoneCode}, ${minOrderMinor}, ${now})
      on conflict (zone_code) do update set min_order_minor = excluded.min_order_minor,
        updated_at = excluded.updated_at`;
    await appendAudit(tx, {
      actorId: actor.id,
      action: "b2b.zone_minimum",
      entity: "b2b_zone_minimum",
      entityId: zoneCode,
      data: { minOrderMinor },
      at: now,
    });
  });
}
