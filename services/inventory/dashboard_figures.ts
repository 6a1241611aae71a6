/**
 * Inventory's figures for the back office's home page (/admin): lots with stock that are on hold,
 * in quarantine (awaiting quality's release), and expiring within N days of one day (expired ones
 * included, as on the near-expiry screen). One query, driven by the balances with stock (so it
 * grows with the stock on hand, not with the years of lots behind it).
 */
import { addDays, isDate } from "@/services/platform/dhaka.ts";
import type { Db } from "./types.ts";

export interface InventoryDashboardFigures {
  day: string;
  /** Lots with stock whose status is hold. */
  onHold: number;
  /** Lots with stock in quarantine: received, awaiting quality's decision. */
  quarantine: number;
  /** Lots with stock expiring on or before day + nearDays (expired ones included). */
  nearExpiry: number;
  /** Of those, lots already past their expiry date. */
  expired: number;
  nearDays: number;
}

export async function inventoryDashboardFigures(
  db: Db,
  day: string,
  nearDays = 7,
): Promise<InventoryDashboardFigures> {
  if (!isDate(day)) throw new RangeError(`Not a date: ${day}`);
  const until = addDays(day, Math.max(0, Math.min(nearDays, 365)));
  const [r] = await db`
    select count(*) filter (where status = 'hold')::int as hold,
      count(*) filter (where status = 'quarantine')::int as quarantine,
      count(*) filter (where expires_on <= ${until}::date)::int as near,
      count(*) filter (where expires_on < ${day}::date)::int as expired
    from inv_lots l
    join (select distinct lot_id from inv_balances where on_hand > 0) b on b.lot_id = l.id`;
  return {
    day,
    onHold: r.hold,
    quarantine: r.quarantine,
    nearExpiry: r.near,
    expired: r.expired,
    nearDays,
  };
}
