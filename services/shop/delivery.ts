/**
 * Delivery slots and their cut-offs, and the geography we deliver to (zones → thanas).
 *
 * A slot's cut-off for delivery date D is (D − cutoff_days_before) at cutoff_time, Dhaka time:
 * the morning slot's is 22:00 the evening before, so an order placed by 22:00 arrives next
 * morning. Until an order's cut-off the customer may cancel it; subscriptions may be changed for
 * a date until that date's cut-off, after which the worker turns the date into an order.
 */
import type { Queryable } from "@/services/platform/db.ts";
import { toMinor } from "@/services/platform/db.ts";
import { addDays, daysBetween, dhakaDate, dhakaInstant } from "@/services/platform/dhaka.ts";
import { ShopError } from "./errors.ts";

/** How far ahead a delivery may be booked. */
export const MAX_DAYS_AHEAD = 14;

export interface DeliverySlot {
  code: string;
  nameEn: string;
  nameBn: string;
  startsAt: string;
  endsAt: string;
  cutoffDaysBefore: number;
  cutoffTime: string;
  extraFeeMinor: number;
  active: boolean;
}

function toSlot(r: Record<string, any>): DeliverySlot {
  return {
    code: r.code,
    nameEn: r.name_en,
    nameBn: r.name_bn,
    startsAt: String(r.starts_at).slice(0, 5),
    endsAt: String(r.ends_at).slice(0, 5),
    cutoffDaysBefore: r.cutoff_days_before,
    cutoffTime: String(r.cutoff_time).slice(0, 5),
    extraFeeMinor: toMinor(r.extra_fee_minor),
    active: r.active,
  };
}

export async function listSlots(sql: Queryable, activeOnly = true): Promise<DeliverySlot[]> {
  const rows = await sql`
    select * from shop_delivery_slots where ${activeOnly} = false or active
    order by sort_order, code`;
  return rows.map(toSlot);
}

export async function getSlot(sql: Queryable, code: string): Promise<DeliverySlot | null> {
  const [row] = await sql`select * from shop_delivery_slots where code = ${code}`;
  return row ? toSlot(row) : null;
}

/** The last instant at which an order for `date` in `slot` may be placed, changed or cancelled. */
export function cutoffFor(
  slot: Pick<DeliverySlot, "cutoffDaysBefore" | "cutoffTime">,
  date: string,
) {
  return dhakaInstant(addDays(date, -slot.cutoffDaysBefore), slot.cutoffTime);
}

/** The next `count` dates that can still be booked in `slot` at `now`. */
export function availableDates(slot: DeliverySlot, now: Date, count = 7): string[] {
  const out: string[] = [];
  const today = dhakaDate(now);
  for (let i = 0; i <= MAX_DAYS_AHEAD && out.length < count; i++) {
    const d = addDays(today, i);
    if (cutoffFor(slot, d) > now) out.push(d);
  }
  return out;
}

/** A delivery that can still be booked: a date, a slot, and the cut-off it must beat. */
export interface OpenDelivery {
  date: string;
  slot: DeliverySlot;
  cutoff: Date;
}

/**
 * The (date, slot) pairs still open at `now`, soonest date first and in slot order within a
 * date, over at most `days` dates (a date with no open slot is not counted or offered). The
 * first pair is the soonest delivery a customer can still get.
 */
export function openDeliveries(slots: DeliverySlot[], now: Date, days = 7): OpenDelivery[] {
  const out: OpenDelivery[] = [];
  const today = dhakaDate(now);
  let dates = 0;
  for (let i = 0; i <= MAX_DAYS_AHEAD && dates < days; i++) {
    const date = addDays(today, i);
    let any = false;
    for (const slot of slots) {
      if (!slot.active) continue;
      const cutoff = cutoffFor(slot, date);
      if (cutoff <= now) continue;
      out.push({ date, slot, cutoff });
      any = true;
    }
    if (any) dates++;
  }
  return out;
}

/** Throws unless `date` can still be booked in `slot` at `now`. */
export function assertBookable(slot: DeliverySlot, date: string, now: Date): Date {
  if (!slot.active) throw new ShopError("slot_unavailable");
  const cutoff = cutoffFor(slot, date);
  if (cutoff <= now) throw new ShopError("past_cutoff", undefined, { date, slot: slot.code });
  if (daysBetween(dhakaDate(now), date) > MAX_DAYS_AHEAD) {
    throw new ShopError("date_too_far", undefined, { days: MAX_DAYS_AHEAD });
  }
  return cutoff;
}

// ---- geography ------------------------------------------------------------------------------

export interface GeoItem {
  id: number;
  nameEn: string;
  nameBn: string;
}
export interface Coverage {
  divisions: GeoItem[];
  districts: (GeoItem & { divisionId: number })[];
  upazilas: (GeoItem & { districtId: number; zoneIds: number[] })[];
  zones: (GeoItem & { code: string; feeMinor: number; minOrderMinor: number })[];
}

/** Where we deliver: the active zones and the divisions, districts and thanas they cover. */
export async function coverage(sql: Queryable): Promise<Coverage> {
  const rows = await sql`
    select u.id as upazila_id, u.name_en as u_en, u.name_bn as u_bn,
      d.id as district_id, d.name_en as d_en, d.name_bn as d_bn,
      v.id as division_id, v.name_en as v_en, v.name_bn as v_bn,
      array_agg(z.id order by z.sort_order) as zone_ids
    from shop_zone_upazilas zu
    join delivery_zones z on z.id = zu.zone_id and z.active
    join geo_upazilas u on u.id = zu.upazila_id
    join geo_districts d on d.id = u.district_id
    join geo_divisions v on v.id = d.division_id
    group by u.id, d.id, v.id
    order by v.name_en, d.name_en, u.name_en`;
  const zones = await sql`
    select id, code, name_en, name_bn, fee_minor, min_order_minor from delivery_zones
    where active order by sort_order, name_en`;
  const divisions = new Map<number, GeoItem>();
  const districts = new Map<number, GeoItem & { divisionId: number }>();
  for (const r of rows) {
    divisions.set(r.division_id, { id: r.division_id, nameEn: r.v_en, nameBn: r.v_bn });
    districts.set(r.district_id, {
      id: r.district_id,
      nameEn: r.d_en,
      nameBn: r.d_bn,
      divisionId: r.division_id,
    });
  }
  return {
    divisions: [...divisions.values()],
    districts: [...districts.values()],
    upazilas: rows.map((r) => ({
      id: r.upazila_id,
      nameEn: r.u_en,
      nameBn: r.u_bn,
      districtId: r.district_id,
      zoneIds: (r.zone_ids as (string | number)[]).map(Number),
    })),
    zones: zones.map((z) => ({
      id: Number(z.id),
      code: z.code,
      nameEn: z.name_en,
      nameBn: z.name_bn,
      feeMinor: toMinor(z.fee_minor),
      minOrderMinor: toMinor(z.min_order_minor),
    })),
  };
}

export interface AddressGeo {
  divisionId: number;
  districtId: number;
  upazilaId: number;
  zoneId: number;
}

/**
 * Checks that the thana lies in the district and the district in the division, and that the
 * zone is active and covers the thana; returns the zone's fee and minimum order.
 */
export async function checkAddressGeo(
  sql: Queryable,
  a: AddressGeo,
): Promise<{ zoneId: number; zoneCode: string; feeMinor: number; minOrderMinor: number }> {
  const [row] = await sql`
    select d.division_id = ${a.divisionId} as division_ok,
      u.district_id = ${a.districtId} as district_ok,
      z.id as zone_id, z.code, z.active, z.fee_minor, z.min_order_minor,
      exists (select 1 from shop_zone_upazilas zu
              where zu.zone_id = z.id and zu.upazila_id = u.id) as covered
    from geo_upazilas u
    join geo_districts d on d.id = ${a.districtId}
    left join delivery_zones z on z.id = ${a.zoneId}
    where u.id = ${a.upazilaId}`;
  if (!row || !row.division_ok || !row.district_ok) throw new ShopError("address_mismatch");
  if (!row.zone_id || !row.active) throw new ShopError("zone_unavailable");
  if (!row.covered) throw new ShopError("zone_not_covering");
  return {
    zoneId: Number(row.zone_id),
    zoneCode: row.code,
    feeMinor: toMinor(row.fee_minor),
    minOrderMinor: toMinor(row.min_order_minor),
  };
}

/** Names of a division, district and thana for showing an address. */
export async function geoNames(
  sql: Queryable,
  ids: { divisionId: number; districtId: number; upazilaId: number },
): Promise<{ division: GeoItem; district: GeoItem; upazila: GeoItem } | null> {
  const [r] = await sql`
    select v.name_en v_en, v.name_bn v_bn, d.name_en d_en, d.name_bn d_bn,
      u.name_en u_en, u.name_bn u_bn
    from geo_upazilas u join geo_districts d on d.id = ${ids.districtId}
    join geo_divisions v on v.id = ${ids.divisionId}
    where u.id = ${ids.upazilaId}`;
  if (!r) return null;
  return {
    division: { id: ids.divisionId, nameEn: r.v_en, nameBn: r.v_bn },
    district: { id: ids.districtId, nameEn: r.d_en, nameBn: r.d_bn },
    upazila: { id: ids.upazilaId, nameEn: r.u_en, nameBn: r.u_bn },
  };
}
