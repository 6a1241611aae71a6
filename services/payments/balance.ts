/**
 * The prepaid balance: a ledger of entries (top-ups, charges for subscription deliveries,
 * refunds) and the running balance, changed together in one transaction. Each entry has a
 * (kind, ref) that is unique, so a retried top-up or charge is applied once.
 */
import type { Queryable, Tx } from "@/services/platform/db.ts";
import { toMinor } from "@/services/platform/db.ts";
import { ShopError } from "@/services/shop/mod.ts";

export async function getBalance(sql: Queryable, userId: string): Promise<number> {
  const [r] = await sql`select balance_minor from shop_balances where user_id = ${userId}`;
  return r ? toMinor(r.balance_minor) : 0;
}

/** Adds money (top-up, refund, adjustment); false when this (kind, ref) was applied already. */
export async function creditBalance(
  tx: Tx,
  userId: string,
  amountMinor: number,
  kind: "topup" | "refund" | "adjust",
  ref: string,
  note?: string,
): Promise<boolean> {
  if (!(amountMinor > 0)) throw new RangeError("credit must be positive");
  const rows = await tx`
    insert into shop_balance_entries (user_id, amount_minor, kind, ref, note)
    values (${userId}, ${amountMinor}, ${kind}, ${ref}, ${note ?? null})
    on conflict (kind, ref) do nothing returning id`;
  if (!rows.length) return false;
  await tx`
    insert into shop_balances (user_id, balance_minor) values (${userId}, ${amountMinor})
    on conflict (user_id) do update
      set balance_minor = shop_balances.balance_minor + excluded.balance_minor, updated_at = now()`;
  return true;
}

/** Takes money for an order; refuses when the balance is short. Idempotent per ref. */
export async function chargeBalance(
  tx: Tx,
  userId: string,
  amountMinor: number,
  ref: string,
): Promise<void> {
  if (!(amountMinor > 0)) throw new RangeError("charge must be positive");
  const rows = await tx`
    insert into shop_balance_entries (user_id, amount_minor, kind, ref)
    values (${userId}, ${-amountMinor}, 'charge', ${ref})
    on conflict (kind, ref) do nothing returning id`;
  if (!rows.length) return;
  const ok = await tx`
    update shop_balances set balance_minor = balance_minor - ${amountMinor}, updated_at = now()
    where user_id = ${userId} and balance_minor >= ${amountMinor} returning balance_minor`;
  if (!ok.length) throw new ShopError("insufficient_balance");
}

export interface BalanceEntry {
  id: number;
  amountMinor: number;
  kind: string;
  ref: string;
  note: string | null;
  at: Date;
}

export async function balanceEntries(sql: Queryable, userId: string, limit = 20) {
  const rows = await sql`
    select * from shop_balance_entries where user_id = ${userId} order by id desc limit ${limit}`;
  return rows.map((r): BalanceEntry => ({
    id: Number(r.id),
    amountMinor: toMinor(r.amount_minor),
    kind: r.kind,
    ref: r.ref,
    note: r.note,
    at: r.at,
  }));
}
