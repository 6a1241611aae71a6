/** Shapes several API resources share. */
import { isDate, z } from "@/services/api/mod.ts";

export const bilingual = z.object({ en: z.string(), bn: z.string() }).describe(
  "Text in English and Bangla",
);
export const money = z.number().int().describe("Integer poisha (1 BDT = 100 poisha)");
export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine(isDate, "Not a calendar date").describe("A date, YYYY-MM-DD");
export const isoDateTime = z.string().describe("An ISO 8601 date-time (UTC)");
export const idParam = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
export const uuidParam = z.uuid();

export const iso = (d: Date | null): string | null => d === null ? null : d.toISOString();
