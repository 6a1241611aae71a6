/** Suppliers (name, BIN, category, payment terms, contact) and what each sells us at what price. */
import type postgres from "postgres";
import { parseInput } from "@/services/platform/errors.ts";
import { money, text, z } from "@/services/platform/schema.ts";
import { type Db, inTx, type Tx } from "@/services/platform/tx.ts";
import { PurchaseError } from "./errors.ts";
import type { Actor, PurchaseInventory } from "./port.ts";
import { isUnit, UNIT_CODES, UNITS } from "./units.ts";
import { audit } from "./audit.ts";

export const SUPPLIER_CATEGORIES = [
  "feed",
  "medicine",
  "packaging",
  "ingredient",
  "services",
] as const;
export type SupplierCategory = typeof SUPPLIER_CATEGORIES[number];

export interface Supplier {
  id: number;
  name: string;
  bin: string | null;
  category: SupplierCategory;
  paymentTermsDays: number;
  contactName: string;
  contactPhone: string;
  contactEmail: string;
  address: string;
  active: boolean;
}

/** A BIN is 13 digits (spaces and dashes as people write them are dropped); empty = unregistered. */
export function normaliseBin(v: string): string | null | undefined {
  const s = v.replace(/[\s-]/g, "");
  if (s === "") return null;
  return /^\d{13}$/.test(s) ? s : undefined;
}

const optional = (max: number) => text(max).optional().transform((v) => v ?? "");

export const supplierSchema = z.object({
  name: text(160, { min: 1 }),
  bin: z.string().max(40).optional().default(""),
  category: z.enum(SUPPLIER_CATEGORIES, { error: "Choose a category" }),
  paymentTermsDays: z.coerce.number({ error: "Days from 0 to 365" }).int("Days from 0 to 365")
    .min(0, "Days from 0 to 365").max(365, "Days from 0 to 365"),
  contactName: optional(120),
  contactPhone: optional(20).refine((v) => v === "" || /^\+?[0-9 -]{6,20}$/.test(v), {
    message: "Enter a phone number",
  }),
  contactEmail: optional(254).refine((v) => v === "" || /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v), {
    message: "Enter an e-mail address",
  }),
  address: optional(300),
  active: z.boolean().optional().default(true),
});
export type SupplierInput = z.input<typeof supplierSchema>;

function fromRow(r: postgres.Row): Supplier {
  return {
    id: r.id,
    name: r.name,
    bin: r.bin,
    category: r.category,
    paymentTermsDays: r.payment_terms_days,
    contactName: r.contact_name ?? "",
    contactPhone: r.contact_phone ?? "",
    contactEmail: r.contact_email ?? "",
    address: r.address ?? "",
    active: r.active,
  };
}

function checked(input: SupplierInput) {
  const v = parseInput(supplierSchema, input);
  const bin = normaliseBin(v.bin);
  if (bin === undefined) {
    throw new PurchaseError("bin_invalid", "A BIN has 13 digits", {}, "bin");
  }
  return { ...v, bin };
}

async function assertUnique(tx: Tx, v: { name: string; bin: string | null }, id: number | null) {
  const [clash] = await tx`
    select lower(name) = lower(${v.name}) as same_name from pur_suppliers
    where (lower(name) = lower(${v.name}) or bin = ${v.bin}) and id is distinct from ${id}
    limit 1`;
  if (!clash) return;
  if (clash.same_name) {
    throw new PurchaseError("name_taken", "A supplier has this name", {}, "name");
  }
  throw new PurchaseError("bin_taken", "Another supplier has this BIN", {}, "bin");
}

export function createSupplier(db: Db, input: SupplierInput, actor: Actor): Promise<Supplier> {
  const v = checked(input);
  return inTx(db, async (tx) => {
    await assertUnique(tx, v, null);
    const [row] = await tx`
      insert into pur_suppliers (name, bin, category, payment_terms_days, contact_name,
        contact_phone, contact_email, address, active)
      values (${v.name}, ${v.bin}, ${v.category}, ${v.paymentTermsDays}, ${v.contactName},
        ${v.contactPhone}, ${v.contactEmail}, ${v.address}, ${v.active})
      returning *`;
    await audit(tx, actor, "purchase.supplier.create", ["pur_supplier", row.id], {
      name: v.name,
      bin: v.bin,
    });
    return fromRow(row);
  });
}

export function updateSupplier(
  db: Db,
  id: number,
  input: SupplierInput,
  actor: Actor,
): Promise<Supplier> {
  const v = checked(input);
  return inTx(db, async (tx) => {
    await assertUnique(tx, v, id);
    const [row] = await tx`
      update pur_suppliers set name = ${v.name}, bin = ${v.bin}, category = ${v.category},
        payment_terms_days = ${v.paymentTermsDays}, contact_name = ${v.contactName},
        contact_phone = ${v.contactPhone}, contact_email = ${v.contactEmail},
        address = ${v.address}, active = ${v.active}
      where id = ${id} returning *`;
    if (!row) throw new PurchaseError("supplier_unknown", "No such supplier");
    await audit(tx, actor, "purchase.supplier.update", ["pur_supplier", id], {
      name: v.name,
      bin: v.bin,
      active: v.active,
    });
    return fromRow(row);
  });
}

export async function listSuppliers(
  db: Db,
  q: { category?: string; activeOnly?: boolean } = {},
): Promise<Supplier[]> {
  const rows = await db`
    select * from pur_suppliers
    where (${q.category ?? null}::text is null or category = ${q.category ?? null})
      and (${q.activeOnly ?? false} = false or active)
    order by active desc, name`;
  return rows.map(fromRow);
}

export async function getSupplier(db: Db, id: number): Promise<Supplier | null> {
  const [row] = await db`select * from pur_suppliers where id = ${id}`;
  return row ? fromRow(row) : null;
}

// ---- price lists ----------------------------------------------------------------------------

export interface PriceListEntry {
  supplierId: number;
  supplierName: string;
  itemCode: string;
  unit: string;
  unitPriceMinor: number;
  vatRateBp: number;
  preferred: boolean;
  leadDays: number;
}

export const priceSchema = z.object({
  supplierId: z.coerce.number().int().min(1, "Choose a supplier"),
  itemCode: text(60, { min: 1 }),
  unit: z.string().refine(isUnit, { message: `One of ${UNIT_CODES.join(", ")}` }),
  unitPriceMinor: money(),
  vatRateBp: z.coerce.number({ error: "A rate from 0 to 100 %" }).int().min(0).max(10_000),
  preferred: z.boolean().optional().default(false),
  leadDays: z.coerce.number().int().min(0).max(365).optional().default(0),
});
export type PriceInput = z.input<typeof priceSchema>;

function priceFromRow(r: postgres.Row): PriceListEntry {
  return {
    supplierId: r.supplier_id,
    supplierName: r.supplier_name,
    itemCode: r.item_code,
    unit: r.unit,
    unitPriceMinor: Number(r.unit_price_minor),
    vatRateBp: r.vat_rate_bp,
    preferred: r.preferred,
    leadDays: r.lead_days,
  };
}

/** Sets what a supplier charges for an item; marking it preferred unmarks the item's other one. */
export function setPrice(
  db: Db,
  inventory: PurchaseInventory,
  input: PriceInput,
  actor: Actor,
): Promise<PriceListEntry> {
  const v = parseInput(priceSchema, input);
  return inTx(db, async (tx) => {
    const item = await inventory.item(tx, v.itemCode);
    if (!item) {
      throw new PurchaseError("item_unknown", "No such item", { code: v.itemCode }, "itemCode");
    }
    if (UNITS[v.unit as keyof typeof UNITS].base !== item.base) {
      throw new PurchaseError("unit_mismatch", "This unit does not fit the item", {
        base: item.base,
      }, "unit");
    }
    if (!(await getSupplier(tx, v.supplierId))) {
      throw new PurchaseError("supplier_unknown", "No such supplier", {}, "supplierId");
    }
    if (v.preferred) {
      await tx`update pur_price_list set preferred = false
               where item_code = ${v.itemCode} and supplier_id <> ${v.supplierId}`;
    }
    await tx`
      insert into pur_price_list (supplier_id, item_code, unit, unit_price_minor, vat_rate_bp,
        preferred, lead_days)
      values (${v.supplierId}, ${v.itemCode}, ${v.unit}, ${v.unitPriceMinor}, ${v.vatRateBp},
        ${v.preferred}, ${v.leadDays})
      on conflict (supplier_id, item_code) do update set unit = excluded.unit,
        unit_price_minor = excluded.unit_price_minor, vat_rate_bp = excluded.vat_rate_bp,
        preferred = excluded.preferred, lead_days = excluded.lead_days, updated_at = now()`;
    await audit(tx, actor, "purchase.price.set", ["pur_supplier", v.supplierId], {
      item: v.itemCode,
      unit: v.unit,
      price: v.unitPriceMinor,
      preferred: v.preferred,
    });
    return (await priceList(tx, { supplierId: v.supplierId, itemCode: v.itemCode }))[0];
  });
}

export async function priceList(
  db: Db,
  q: { supplierId?: number; itemCode?: string } = {},
): Promise<PriceListEntry[]> {
  const rows = await db`
    select p.*, s.name as supplier_name from pur_price_list p
    join pur_suppliers s on s.id = p.supplier_id
    where (${q.supplierId ?? null}::int is null or p.supplier_id = ${q.supplierId ?? null})
      and (${q.itemCode ?? null}::text is null or p.item_code = ${q.itemCode ?? null})
    order by p.item_code, p.preferred desc, s.name`;
  return rows.map(priceFromRow);
}
