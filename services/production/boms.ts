/**
 * Bills of materials, one per output item, kept by version: a new version starts on its
 * `valid_from` and ends the one before it the day before (`valid_to`), so the version in force on
 * any date — and the Mushak 4.3 coefficient declared from it — can always be found again.
 * Quantities are integer base units per batch of `output_qty`; percentages are kept as basis points.
 */
import { appendAudit } from "@/services/audit/mod.ts";
import { addDays } from "@/services/platform/dhaka.ts";
import type { Db, Tx } from "@/services/platform/tx.ts";
import { inTx } from "@/services/platform/tx.ts";
import { NotFoundError, parseInput } from "@/services/platform/errors.ts";
import { isoDate, text, z } from "@/services/platform/schema.ts";
import { camelRow } from "@/services/platform/rows.ts";
import { ProductionError } from "./errors.ts";
import type { InvActor, InvItem, ProductionInventory } from "./inventory_port.ts";

export type InputRole = "main" | "ingredient" | "packaging";

export interface BomInput {
  lineNo: number;
  itemCode: string;
  role: InputRole;
  qty: number;
  wastageBp: number;
}
export interface BomByproduct {
  lineNo: number;
  itemCode: string;
  qty: number;
}
export interface Bom {
  id: number;
  outputItemCode: string;
  version: number;
  nameEn: string;
  nameBn: string;
  hsCode: string | null;
  outputQty: number;
  lossBp: number;
  toleranceBp: number;
  targetFatBp: number | null;
  targetSnfBp: number | null;
  validFrom: string;
  validTo: string | null;
  note: string | null;
  createdAt: Date;
  inputs: BomInput[];
  byproducts: BomByproduct[];
}

const MAX_QTY = 1_000_000_000;
const itemCode = z.string().trim().toUpperCase().regex(
  /^[A-Z0-9][A-Z0-9-]{1,59}$/,
  "Enter an item code (capital letters, digits and dashes)",
);
const qty = z.coerce.number({ error: "Enter a whole quantity" }).int("Enter a whole quantity")
  .min(1, "Enter a quantity above zero").max(MAX_QTY, "The quantity is too large");
/** A percentage with at most two decimals ("1.5"), kept as basis points (150). */
export const percentBp = (max = 99.99) =>
  z.union([z.string().trim(), z.number(), z.null()]).optional().transform((v, ctx) => {
    const s = String(v ?? "").replace(",", ".");
    if (s === "") return 0;
    if (!/^\d{1,2}(\.\d{1,2})?$/.test(s) || Number(s) > max) {
      ctx.addIssue({ code: "custom", message: `Enter a percentage from 0 to ${max}` });
      return z.NEVER;
    }
    return Math.round(Number(s) * 100);
  });
const optionalPercentBp = z.union([z.string().trim(), z.number(), z.null(), z.undefined()])
  .transform((v, ctx) => {
    if (v === null || v === undefined || v === "") return null;
    const r = percentBp().safeParse(v);
    if (!r.success) {
      ctx.addIssue({ code: "custom", message: "Enter a percentage from 0 to 99.99" });
      return z.NEVER;
    }
    return r.data;
  });

export const bomSchema = z.object({
  outputItemCode: itemCode,
  nameEn: text(120, { min: 1 }),
  nameBn: text(120, { min: 1 }),
  hsCode: text(20).optional().transform((v) => v || null),
  outputQty: qty,
  lossPct: percentBp(),
  tolerancePct: percentBp(),
  targetFatPct: optionalPercentBp,
  targetSnfPct: optionalPercentBp,
  validFrom: isoDate(),
  note: text(1000, { multiline: true }).optional().transform((v) => v || null),
  inputs: z.array(z.object({
    itemCode,
    role: z.enum(["main", "ingredient", "packaging"], { error: "Choose a role" }),
    qty,
    wastagePct: percentBp(),
  })).min(1, "Add at least one input").max(30, "At most 30 inputs"),
  byproducts: z.array(z.object({ itemCode, qty })).max(10, "At most 10 by-products")
    .default([]),
});
export type BomForm = z.input<typeof bomSchema>;

const BOM_COLUMNS = `id, output_item_code, version, name_en, name_bn, hs_code, output_qty, loss_bp,
  tolerance_bp, target_fat_bp, target_snf_bp, valid_from::text as valid_from,
  valid_to::text as valid_to, note, created_at`;

async function withLines(db: Db, rows: Record<string, unknown>[]): Promise<Bom[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id as number);
  const inputs = await db<Record<string, unknown>[]>`
    select bom_id, line_no, item_code, role, qty, wastage_bp from prod_bom_inputs
    where bom_id = any(${ids}::int[]) order by bom_id, line_no`;
  const byps = await db<Record<string, unknown>[]>`
    select bom_id, line_no, item_code, qty from prod_bom_byproducts
    where bom_id = any(${ids}::int[]) order by bom_id, line_no`;
  return rows.map((r) => {
    const bom = camelRow<Bom>(r);
    bom.inputs = inputs.filter((i) => i.bom_id === bom.id).map((i) => {
      const { bomId: _, ...line } = camelRow<BomInput & { bomId: number }>(i);
      return line;
    });
    bom.byproducts = byps.filter((i) => i.bom_id === bom.id).map((i) => {
      const { bomId: _, ...line } = camelRow<BomByproduct & { bomId: number }>(i);
      return line;
    });
    return bom;
  });
}

export async function getBom(db: Db, id: number): Promise<Bom> {
  const rows = await db.unsafe(`select ${BOM_COLUMNS} from prod_boms where id = $1`, [id]);
  const [bom] = await withLines(db, rows as Record<string, unknown>[]);
  if (!bom) throw new NotFoundError("No such bill of materials");
  return bom;
}

/** The version of the item's bill of materials in force on `date`, or null. */
export async function bomInForce(db: Db, outputItemCode: string, date: string) {
  const rows = await db.unsafe(
    `select ${BOM_COLUMNS} from prod_boms where output_item_code = $1 and valid_from <= $2::date
       and (valid_to is null or valid_to >= $2::date) order by valid_from desc limit 1`,
    [outputItemCode, date],
  );
  const [bom] = await withLines(db, rows as Record<string, unknown>[]);
  return bom ?? null;
}

/** Every version of one product's bill of materials, newest first. */
export async function bomVersions(db: Db, outputItemCode: string): Promise<Bom[]> {
  const rows = await db.unsafe(
    `select ${BOM_COLUMNS} from prod_boms where output_item_code = $1 order by version desc`,
    [outputItemCode],
  );
  return await withLines(db, rows as Record<string, unknown>[]);
}

export interface BomListRow {
  outputItemCode: string;
  nameEn: string;
  nameBn: string;
  versions: number;
  /** The version in force on the day asked (null when none is). */
  inForce: { id: number; version: number; validFrom: string; validTo: string | null } | null;
  latest: { id: number; version: number; validFrom: string };
}

/** One row per product: how many versions, which is in force on `on`, the latest. */
export async function listBoms(db: Db, on: string, q = ""): Promise<BomListRow[]> {
  const rows = await db<Record<string, unknown>[]>`
    select b.output_item_code, b.name_en, b.name_bn, b.id, b.version, b.valid_from::text as valid_from,
      count(*) over (partition by b.output_item_code)::int as versions,
      f.id as f_id, f.version as f_version, f.valid_from::text as f_from, f.valid_to::text as f_to
    from prod_boms b
    left join prod_boms f on f.output_item_code = b.output_item_code and f.valid_from <= ${on}::date
      and (f.valid_to is null or f.valid_to >= ${on}::date)
    where ${q} = '' or b.output_item_code ilike ${"%" + q + "%"} or b.name_en ilike ${"%" + q + "%"}
      or b.name_bn ilike ${"%" + q + "%"}
    order by b.output_item_code, b.version desc`;
  const out = new Map<string, BomListRow>();
  for (const r of rows) {
    const code = r.output_item_code as string;
    if (out.has(code)) continue;
    out.set(code, {
      outputItemCode: code,
      nameEn: r.name_en as string,
      nameBn: r.name_bn as string,
      versions: r.versions as number,
      inForce: r.f_id
        ? {
          id: r.f_id as number,
          version: r.f_version as number,
          validFrom: r.f_from as string,
          validTo: (r.f_to as string | null) ?? null,
        }
        : null,
      latest: {
        id: r.id as number,
        version: r.version as number,
        validFrom: r.valid_from as string,
      },
    });
  }
  return [...out.values()];
}

/** The inventory items named in a BoM (refused when unknown), by code. */
export async function bomItems(
  tx: Tx,
  inventory: ProductionInventory,
  codes: string[],
): Promise<Map<string, InvItem>> {
  const out = new Map<string, InvItem>();
  for (const code of new Set(codes)) {
    const item = await inventory.item(tx, code);
    if (item) out.set(code, item);
  }
  return out;
}

/**
 * Saves a new version of the product's bill of materials, in force from `validFrom`; the version
 * before it ends the day before. A start date on or before the latest version's is refused (a
 * declaration already filed is never rewritten).
 */
export async function saveBomVersion(
  db: Db,
  inventory: ProductionInventory,
  form: unknown,
  actor: InvActor,
): Promise<Bom> {
  const f = parseInput(bomSchema, form);
  const mains = f.inputs.filter((i) => i.role === "main").length;
  if (mains !== 1) {
    throw new ProductionError(
      "main_input",
      "Mark exactly one input as the main input",
      {},
      "inputs",
    );
  }
  const id = await inTx(db, async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtext(${"prod_bom:" + f.outputItemCode}))`;
    const items = await bomItems(tx, inventory, [
      f.outputItemCode,
      ...f.inputs.map((i) => i.itemCode),
      ...f.byproducts.map((b) => b.itemCode),
    ]);
    const check = (code: string, field: string) => {
      if (!items.has(code)) {
        throw new ProductionError("unknown_item", `No item ${code} in inventory`, { code }, field);
      }
    };
    check(f.outputItemCode, "outputItemCode");
    f.inputs.forEach((i, n) => check(i.itemCode, `inputs.${n}.itemCode`));
    f.byproducts.forEach((b, n) => check(b.itemCode, `byproducts.${n}.itemCode`));
    const [latest] = await tx<{ version: number; valid_from: string }[]>`
      select version, valid_from::text as valid_from from prod_boms
      where output_item_code = ${f.outputItemCode} order by version desc limit 1`;
    if (latest && f.validFrom <= latest.valid_from) {
      throw new ProductionError(
        "bom_date",
        `A new version must start after ${latest.valid_from}`,
        { date: latest.valid_from },
        "validFrom",
      );
    }
    if (latest) {
      await tx`update prod_boms set valid_to = ${addDays(f.validFrom, -1)}::date
        where output_item_code = ${f.outputItemCode} and version = ${latest.version}`;
    }
    const [row] = await tx<{ id: number }[]>`
      insert into prod_boms (output_item_code, version, name_en, name_bn, hs_code, output_qty,
        loss_bp, tolerance_bp, target_fat_bp, target_snf_bp, valid_from, note, created_by)
      values (${f.outputItemCode}, ${(latest?.version ?? 0) + 1}, ${f.nameEn}, ${f.nameBn},
        ${f.hsCode}, ${f.outputQty}, ${f.lossPct}, ${f.tolerancePct}, ${f.targetFatPct},
        ${f.targetSnfPct}, ${f.validFrom}::date, ${f.note}, ${actor.id})
      returning id`;
    for (const [n, i] of f.inputs.entries()) {
      await tx`insert into prod_bom_inputs (bom_id, line_no, item_code, role, qty, wastage_bp)
        values (${row.id}, ${n + 1}, ${i.itemCode}, ${i.role}, ${i.qty}, ${i.wastagePct})`;
    }
    for (const [n, b] of f.byproducts.entries()) {
      await tx`insert into prod_bom_byproducts (bom_id, line_no, item_code, qty)
        values (${row.id}, ${n + 1}, ${b.itemCode}, ${b.qty})`;
    }
    await appendAudit(tx, {
      actorId: actor.id,
      action: "production.bom_version",
      entity: "prod_bom",
      entityId: row.id,
      data: { item: f.outputItemCode, version: (latest?.version ?? 0) + 1, from: f.validFrom },
    });
    return row.id;
  });
  return await getBom(db, id);
}
