/**
 * Checkout's address starts from the area: the shopper picks one of the thanas a delivery zone
 * serves, and the division and district follow from it (no free choice of those). Also the
 * minimum order of a zone and how much is missing.
 */
import type { AddressGeo, Coverage } from "./delivery.ts";

/** The form value of a (thana, zone) pair: "123-4". */
export const placeValue = (upazilaId: number, zoneId: number) => `${upazilaId}-${zoneId}`;

/** The served thanas grouped by zone (the zones in their own order). */
export function placeGroups(cov: Coverage) {
  return cov.zones.map((zone) => ({
    zone,
    upazilas: cov.upazilas.filter((u) => u.zoneIds.includes(zone.id)),
  })).filter((g) => g.upazilas.length > 0);
}

/**
 * The full place (division, district, thana, zone) of a posted "thana-zone" value, or null when
 * the value is not a served pair.
 */
export function resolvePlace(cov: Coverage, value: string): AddressGeo | null {
  const m = /^(\d{1,9})-(\d{1,9})$/.exec(value.trim());
  if (!m) return null;
  const upazila = cov.upazilas.find((u) => u.id === Number(m[1]));
  if (!upazila || !upazila.zoneIds.includes(Number(m[2]))) return null;
  const district = cov.districts.find((d) => d.id === upazila.districtId);
  if (!district) return null;
  return {
    divisionId: district.divisionId,
    districtId: district.id,
    upazilaId: upazila.id,
    zoneId: Number(m[2]),
  };
}

/** How much the order (after discount) lacks of the zone's minimum; 0 when it reaches it. */
export function minOrderShortMinor(
  zone: { minOrderMinor: number },
  subtotalMinor: number,
  discountMinor: number,
): number {
  return Math.max(0, zone.minOrderMinor - (subtotalMinor - discountMinor));
}
