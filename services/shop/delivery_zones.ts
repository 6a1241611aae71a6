/** Delivery zones: where we deliver, for what fee, above what order value. */
import type postgres from "postgres";
import type { Queryable } from "@/services/platform/db.ts";
import { toMinor } from "@/services/platform/db.ts";
import { z } from "@/services/platform/schema.ts";
import type { Tx } from "@/services/platform/db.ts";
import { appendAudit } from "@/services/audit/mod.ts";
import { takaSchema } from "./catalog.ts";

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
  return rows.map(zoneFromRow);
}

/** A delivery_zones row as a DeliveryZone. */
function zoneFromRow(r: postgres.Row): DeliveryZone {
  return {
    id: Number(r.id),
    code: r.code,
    nameEn: r.name_en,
    nameBn: r.name_bn,
    district: r.district,
    feeMinor: toMinor(r.fee_minor),
    minOrderMinor: toMinor(r.min_order_minor),
  };
}

// ---- back office --------------------------------------------------------------------------

export interface ZoneAdmin extends DeliveryZone {
  active: boolean;
  upazilaIds: number[];
}

/** Every zone (active or not) with the thanas it covers. */
export async function listZonesAdmin(sql: Queryable): Promise<ZoneAdmin[]> {
  const rows = await sql`
    select z.*, coalesce(array_agg(zu.upazila_id order by zu.upazila_id)
      filter (where zu.upazila_id is not null), '{}') as upazila_ids
    from delivery_zones z left join shop_zone_upazilas zu on zu.zone_id = z.id
    group by z.id order by z.sort_order, z.name_en`;
  return rows.map((r) => ({
    ...zoneFromRow(r),
    active: r.active,
    upazilaIds: (r.upazila_ids as number[]).map(Number),
  }));
}

/** The thanas and upazilas of a district, for choosing a zone's coverage. */
export async function upazilasOfDistrict(sql: Queryable, districtId: number) {
  const rows = await sql`
    select id, name_en, name_bn, kind from geo_upazilas where district_id = ${districtId}
    order by kind desc, name_en`;
  return rows.map((r) => ({
    id: r.id as number,
    nameEn: r.name_en as string,
    kind: r.kind as string,
  }));
}

export const zoneInputSchema = z.object({
  fee: takaSchema,
  minOrder: takaSchema,
  active: z.boolean(),
  upazilaIds: z.array(z.coerce.number().int().positive()).max(200),
});

/** Fee, minimum order, availability and coverage of a zone; audited. */
export async function updateZone(
  tx: Tx,
  zoneId: number,
  input: z.output<typeof zoneInputSchema>,
  actorId: string | null,
): Promise<void> {
  const [old] = await tx`select * from delivery_zones where id = ${zoneId} for update`;
  if (!old) throw new Error("zone not found");
  await tx`
    update delivery_zones set fee_minor = ${input.fee}, min_order_minor = ${input.minOrder},
      active = ${input.active}
    where id = ${zoneId}`;
  await tx`delete from shop_zone_upazilas where zone_id = ${zoneId}`;
  if (input.upazilaIds.length) {
    await tx`
      insert into shop_zone_upazilas (zone_id, upazila_id)
      select ${zoneId}, u.id from geo_upazilas u where u.id = any(${input.upazilaIds}::int[])`;
  }
  await appendAudit(tx, {
    actorId,
    action: "shop.zone.updated",
    entity: "delivery_zone",
    entityId: old.code,
    data: {
      feeMinor: { from: toMinor(old.fee_minor), to: input.fee },
      minOrderMinor: { from: toMinor(old.min_order_minor), to: input.minOrder },
      active: input.active,
      upazilas: input.upazilaIds.length,
    },
  });
}
