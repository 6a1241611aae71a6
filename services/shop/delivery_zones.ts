/** Delivery zones: where we deliver, for what fee, above what order value. */
import type { Queryable } from "@/services/platform/db.ts";
import { toMinor } from "@/services/platform/db.ts";

export interface DeliveryZone {
  id: number;
  code: string;
  nameEn: string;
  nameBn: string;
  district: string;
  feeMinor: number;
  minOrderMinor: number;
}

export async function listActiveZones(sql: Queryable): Promise<DeliveryZone[]> {
  const rows = await sql<
    {
      id: string;
      code: string;
      name_en: string;
      name_bn: string;
      district: string;
      fee_minor: string;
      min_order_minor: string;
    }[]
  >`select id, code, name_en, name_bn, district, fee_minor, min_order_minor
    from delivery_zones where active order by sort_order, name_en`;
  return rows.map((r) => ({
    id: Number(r.id),
    code: r.code,
    nameEn: r.name_en,
    nameBn: r.name_bn,
    district: r.district,
    feeMinor: toMinor(r.fee_minor),
    minOrderMinor: toMinor(r.min_order_minor),
  }));
}
