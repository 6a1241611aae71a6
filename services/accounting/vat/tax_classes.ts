/**
 * Tax classes with dated rates (issue 13 §6). A class (standard, reduced, exempt, zero rated,
 * with supplementary duty…) has a history of rates, each from an effective date; a rate changes
 * by adding a row with a later date (the database refuses updates and deletes), so the rate of
 * any past day stays what it was. `taxRateOn(class, date)` is what other code asks.
 *
 * Rates are basis points: 1500 = 15 %, 750 = 7.5 %.
 */
import { appendAudit } from "@/services/audit/mod.ts";
import { parseInput, ValidationError } from "@/services/platform/errors.ts";
import { isoDate, text, z } from "@/services/platform/schema.ts";
import { type Db, inTx } from "@/services/platform/tx.ts";
import type { Actor } from "../types.ts";

export const TAX_KINDS = ["standard", "reduced", "exempt", "zero_rated"] as const;
export type TaxKind = typeof TAX_KINDS[number];

export interface TaxRate {
  effectiveFrom: string;
  vatRateBp: number;
  sdRateBp: number;
  note: string;
  createdByName: string;
  createdAt: Date;
}

export interface TaxClass {
  code: string;
  nameEn: string;
  nameBn: string;
  kind: TaxKind;
  /** The rate in force on the day asked for (null: none yet). */
  current: TaxRate | null;
  /** Rates in force after that day (announced ahead). */
  upcoming: TaxRate[];
  /** Every rate, oldest first. */
  history: TaxRate[];
}

export interface RateOn {
  classCode: string;
  kind: TaxKind;
  effectiveFrom: string;
  vatRateBp: number;
  sdRateBp: number;
}

interface RateRow {
  class_code: string;
  effective_from: string;
  vat_rate_bp: number;
  sd_rate_bp: number;
  note: string;
  created_by_name: string;
  created_at: Date;
}

/** Every class with its history and the rate in force on `today`. */
export async function listTaxClasses(db: Db, today: string): Promise<TaxClass[]> {
  const [classes, rates] = await Promise.all([
    db<{ code: string; name_en: string; name_bn: string; kind: TaxKind }[]>`
      select code, name_en, name_bn, kind from acc_tax_classes order by code`,
    db<RateRow[]>`
      select class_code, to_char(effective_from, 'YYYY-MM-DD') as effective_from, vat_rate_bp,
             sd_rate_bp, note, created_by_name, created_at
        from acc_tax_rates order by class_code, effective_from`,
  ]);
  return classes.map((c) => {
    const history = rates.filter((r) => r.class_code === c.code).map((r): TaxRate => ({
      effectiveFrom: r.effective_from,
      vatRateBp: r.vat_rate_bp,
      sdRateBp: r.sd_rate_bp,
      note: r.note,
      createdByName: r.created_by_name,
      createdAt: r.created_at,
    }));
    const past = history.filter((r) => r.effectiveFrom <= today);
    return {
      code: c.code,
      nameEn: c.name_en,
      nameBn: c.name_bn,
      kind: c.kind,
      current: past[past.length - 1] ?? null,
      upcoming: history.filter((r) => r.effectiveFrom > today),
      history,
    };
  }).sort((a, b) =>
    (b.current?.vatRateBp ?? 0) - (a.current?.vatRateBp ?? 0) || a.code.localeCompare(b.code)
  );
}

/** The VAT and SD rates of a class on a date (null: unknown class, or no rate yet). */
export async function taxRateOn(db: Db, classCode: string, date: string): Promise<RateOn | null> {
  const [r] = await db<
    {
      kind: TaxKind;
      effective_from: string;
      vat_rate_bp: number;
      sd_rate_bp: number;
    }[]
  >`
    select c.kind, to_char(r.effective_from, 'YYYY-MM-DD') as effective_from, r.vat_rate_bp,
           r.sd_rate_bp
      from acc_tax_rates r join acc_tax_classes c on c.code = r.class_code
     where r.class_code = ${classCode} and r.effective_from <= ${date}::date
     order by r.effective_from desc limit 1`;
  return r
    ? {
      classCode,
      kind: r.kind,
      effectiveFrom: r.effective_from,
      vatRateBp: r.vat_rate_bp,
      sdRateBp: r.sd_rate_bp,
    }
    : null;
}

/** "7.5" or "7.5 %" → 750 basis points; null when not a percentage with ≤ 2 decimals. */
export function percentToBp(s: string): number | null {
  const m = /^\s*(\d{1,3})(?:\.(\d{1,2}))?\s*%?\s*$/.exec(s);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0"));
}

/** 750 → "7.5", 1500 → "15". */
export const bpToPercent = (bp: number) => String(bp / 100);

const percent = (max: number) =>
  z.string().trim().transform((s, ctx) => {
    const bp = s === "" ? 0 : percentToBp(s);
    if (bp === null || bp > max) {
      ctx.addIssue({ code: "custom", message: "Enter a rate in percent, e.g. 15 or 7.5" });
      return z.NEVER;
    }
    return bp;
  });

const rateSchema = z.object({
  effectiveFrom: isoDate(),
  vatRate: percent(10000),
  sdRate: percent(50000).optional().default(0),
  note: text(200).optional().default(""),
});

const classSchema = rateSchema.extend({
  code: z.string().trim().regex(/^[a-z0-9_]{2,30}$/, "Small letters, digits and _, 2 to 30"),
  nameEn: text(80, { min: 1 }),
  nameBn: text(80, { min: 1 }),
  kind: z.enum(TAX_KINDS, { error: "Choose one" }),
});

export type TaxRateInput = z.input<typeof rateSchema>;
export type TaxClassInput = z.input<typeof classSchema>;

function checkKind(kind: TaxKind, vatRateBp: number) {
  if ((kind === "exempt" || kind === "zero_rated") && vatRateBp !== 0) {
    throw new ValidationError({ vatRate: "An exempt or zero-rated class has no VAT" });
  }
  if ((kind === "standard" || kind === "reduced") && vatRateBp === 0) {
    throw new ValidationError({ vatRate: "A taxed class needs a rate above 0" });
  }
}

/**
 * Adds a rate to a class from a date. The date must come after the class's latest rate: the
 * past is never rewritten (a mistake is corrected by a further dated rate).
 */
export async function addTaxRate(
  db: Db,
  classCode: string,
  input: TaxRateInput,
  actor: Actor,
): Promise<void> {
  const v = parseInput(rateSchema, input);
  return await inTx(db, async (tx) => {
    const [c] = await tx<{ kind: TaxKind; latest: string | null }[]>`
      select c.kind, (select to_char(max(effective_from), 'YYYY-MM-DD') from acc_tax_rates
                       where class_code = c.code) as latest
        from acc_tax_classes c where c.code = ${classCode} for update`;
    if (!c) throw new ValidationError({ classCode: "No such tax class" });
    checkKind(c.kind, v.vatRate);
    if (c.latest && v.effectiveFrom <= c.latest) {
      throw new ValidationError({
        effectiveFrom: `Choose a date after ${c.latest}, the latest rate's date`,
      });
    }
    await tx`
      insert into acc_tax_rates (class_code, effective_from, vat_rate_bp, sd_rate_bp, note,
                                 created_by, created_by_name)
      values (${classCode}, ${v.effectiveFrom}, ${v.vatRate}, ${v.sdRate}, ${v.note},
              ${actor.id}, ${actor.name})`;
    await appendAudit(tx, {
      actorId: actor.id,
      action: "accounting.tax_rate.added",
      entity: "acc_tax_class",
      entityId: classCode,
      data: { effectiveFrom: v.effectiveFrom, vatRateBp: v.vatRate, sdRateBp: v.sdRate },
    });
  });
}

/** A new class with its first rate. */
export async function createTaxClass(
  db: Db,
  input: TaxClassInput,
  actor: Actor,
): Promise<string> {
  const v = parseInput(classSchema, input);
  checkKind(v.kind, v.vatRate);
  return await inTx(db, async (tx) => {
    const [taken] = await tx`select 1 from acc_tax_classes where code = ${v.code}`;
    if (taken) throw new ValidationError({ code: "This code is taken" });
    await tx`
      insert into acc_tax_classes (code, name_en, name_bn, kind)
      values (${v.code}, ${v.nameEn}, ${v.nameBn}, ${v.kind})`;
    await tx`
      insert into acc_tax_rates (class_code, effective_from, vat_rate_bp, sd_rate_bp, note,
                                 created_by, created_by_name)
      values (${v.code}, ${v.effectiveFrom}, ${v.vatRate}, ${v.sdRate}, ${v.note},
              ${actor.id}, ${actor.name})`;
    await appendAudit(tx, {
      actorId: actor.id,
      action: "accounting.tax_class.created",
      entity: "acc_tax_class",
      entityId: v.code,
      data: { kind: v.kind, vatRateBp: v.vatRate, sdRateBp: v.sdRate },
    });
    return v.code;
  });
}
