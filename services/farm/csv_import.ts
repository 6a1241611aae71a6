/**
 * Herd register import from CSV (csv-parse): good rows are registered, bad rows are reported
 * line by line with every reason, and nothing is half written (one transaction; each row in a
 * savepoint). Column names follow ICAR Animal Data Exchange where practical (`identifier`,
 * `primaryBreed`, `gender`, `birthDate`, `damIdentifier`, `sireIdentifier`) and plain aliases
 * are accepted (`tag`, `breed`, `sex`, `dam`, `sire`…). A dam or sire may be another row of the
 * same file.
 */
import { parse } from "csv-parse/sync";
import { auditFarm } from "./audit.ts";
import { ValidationError } from "@/services/platform/errors.ts";
import { type AnimalInput, animalInputSchema, insertAnimal, resolveRefs } from "./animals.ts";
import { daysBetween, farmDay } from "./dates.ts";
import { type Db, inTx } from "@/services/platform/tx.ts";
import { FarmRuleError } from "./errors.ts";

export const MAX_IMPORT_ROWS = 5000;
export const MAX_IMPORT_BYTES = 1024 * 1024;

type Field = keyof AnimalInput;

/** Normalised header (lower case, letters and digits only) → field. */
const HEADERS: Record<string, Field> = {
  identifier: "tag",
  tag: "tag",
  eartag: "tag",
  animalid: "tag",
  rfid: "rfid",
  eid: "rfid",
  electronicid: "rfid",
  name: "name",
  primarybreed: "breed",
  breed: "breed",
  gender: "sex",
  sex: "sex",
  birthdate: "birthDate",
  dateofbirth: "birthDate",
  dob: "birthDate",
  damidentifier: "damTag",
  dam: "damTag",
  damtag: "damTag",
  sireidentifier: "sireTag",
  sire: "sireTag",
  siretag: "sireTag",
  origin: "origin",
  arrivaldate: "arrivalDate",
  purchasedate: "arrivalDate",
  group: "groupCode",
  groupcode: "groupCode",
  pen: "groupCode",
  status: "status",
  lastcalvingdate: "lastCalvedOn",
  lastcalvedon: "lastCalvedOn",
  parity: "parity",
  lactationnumber: "parity",
  notes: "notes",
};

const SEX: Record<string, string> = {
  f: "female",
  female: "female",
  cow: "female",
  heifer: "female",
  m: "male",
  male: "male",
  bull: "male",
  steer: "male",
};
const ORIGIN: Record<string, string> = {
  born: "born",
  bornhere: "born",
  b: "born",
  purchased: "purchased",
  bought: "purchased",
  purchase: "purchased",
  p: "purchased",
};
const STATUS: Record<string, string> = {
  calf: "calf",
  heifer: "heifer",
  lactating: "lactating",
  milking: "lactating",
  inmilk: "lactating",
  dry: "dry",
};

export interface ImportRowReport {
  /** Line in the file (the header is line 1). */
  line: number;
  tag: string;
  reasons: string[];
}

export interface ImportReport {
  rows: number;
  created: { line: number; tag: string; id: number }[];
  rejected: ImportRowReport[];
  /** Notes that did not stop a row (an unknown column, a parent left empty). */
  warnings: string[];
}

const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, "");

/** Reads the file's rows into field maps; throws ValidationError when the file itself is bad. */
export function readAnimalCsv(text: string): {
  rows: { line: number; values: Partial<Record<Field, string>> }[];
  warnings: string[];
} {
  if (new TextEncoder().encode(text).length > MAX_IMPORT_BYTES) {
    throw new ValidationError({ file: "The file is larger than 1 MB" });
  }
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      bom: true,
      skip_empty_lines: true,
      trim: true,
      relax_column_count: true,
      info: true,
      delimiter: text.split("\n", 1)[0].includes(";") && !text.split("\n", 1)[0].includes(",")
        ? ";"
        : ",",
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (e) {
    throw new ValidationError({ file: `The file is not valid CSV: ${(e as Error).message}` });
  }
  if (!records.length) throw new ValidationError({ file: "The file is empty" });
  const header = records[0].record;
  const warnings: string[] = [];
  const columns: (Field | null)[] = header.map((h) => {
    const f = HEADERS[norm(h)] ?? null;
    if (!f && h.trim()) warnings.push(`Column "${h}" is not known and was ignored`);
    return f;
  });
  for (const need of ["tag", "breed", "sex"] as Field[]) {
    if (!columns.includes(need)) {
      throw new ValidationError({
        file: `The header has no ${
          need === "tag"
            ? "identifier (ear tag)"
            : need === "breed"
            ? "primaryBreed (breed)"
            : "gender (sex)"
        } column`,
      });
    }
  }
  if (records.length - 1 > MAX_IMPORT_ROWS) {
    throw new ValidationError({ file: `At most ${MAX_IMPORT_ROWS} animals per file` });
  }
  const rows = records.slice(1).map(({ record, info }) => {
    const values: Partial<Record<Field, string>> = {};
    record.forEach((v, i) => {
      const f = columns[i];
      if (f && v !== "") values[f] = v;
    });
    if (record.length !== header.length) {
      (values as Record<string, string>)._columns = String(record.length);
    }
    return { line: info.lines, values };
  });
  return { rows, warnings };
}

/** Fills what the file may leave out: sex words, origin, and a status from age and calving. */
function normalizeRow(v: Partial<Record<Field, string>>, today: string): Record<string, unknown> {
  const out: Record<string, unknown> = { ...v };
  if (v.sex) out.sex = SEX[norm(v.sex)] ?? v.sex;
  if (v.origin) out.origin = ORIGIN[norm(v.origin)] ?? v.origin;
  else out.origin = v.arrivalDate ? "purchased" : "born";
  if (v.status) out.status = STATUS[norm(v.status)] ?? v.status;
  else if (out.sex === "male") out.status = "calf";
  else if (v.lastCalvedOn) out.status = "lactating";
  else if (v.birthDate && /^\d{4}-\d{2}-\d{2}$/.test(v.birthDate)) {
    out.status = daysBetween(v.birthDate, today) < 365 ? "calf" : "heifer";
  }
  return out;
}

export async function importAnimalsCsv(
  db: Db,
  text: string,
  actorId: string | null,
): Promise<ImportReport> {
  const { rows, warnings } = readAnimalCsv(text);
  const today = farmDay();
  const report: ImportReport = { rows: rows.length, created: [], rejected: [], warnings };
  const valid: { line: number; a: AnimalInput }[] = [];
  const seen = new Map<string, number>();
  for (const { line, values } of rows) {
    const tag = values.tag ?? "";
    const reasons: string[] = [];
    const cols = (values as Record<string, string>)._columns;
    if (cols) reasons.push(`The row has ${cols} columns, the header has a different number`);
    const parsed = animalInputSchema.safeParse(normalizeRow(values, today));
    if (!parsed.success) {
      for (const i of parsed.error.issues) {
        const col = i.path.join(".");
        reasons.push(col ? `${COLUMN[col] ?? col}: ${i.message}` : i.message);
      }
    }
    const key = tag.toLowerCase();
    if (tag && seen.has(key)) reasons.push(`Tag ${tag} appears already on line ${seen.get(key)}`);
    if (tag && !seen.has(key)) seen.set(key, line);
    if (reasons.length || !parsed.success) report.rejected.push({ line, tag, reasons });
    else valid.push({ line, a: parsed.data });
  }
  const pending = new Map(
    valid.map(({ a }) => [a.tag.toLowerCase(), { sex: a.sex, birthDate: a.birthDate ?? null }]),
  );
  await inTx(db, async (tx) => {
    const created = new Map<string, number>();
    const later: { id: number; line: number; dam: string | null; sire: string | null }[] = [];
    for (const { line, a } of valid) {
      try {
        await tx.savepoint(async (sp) => {
          const refs = await resolveRefs(sp, a, pending);
          const id = await insertAnimal(sp, a, refs);
          created.set(a.tag.toLowerCase(), id);
          report.created.push({ line, tag: a.tag, id });
          if (refs.damPending || refs.sirePending) {
            later.push({ id, line, dam: refs.damPending, sire: refs.sirePending });
          }
        });
      } catch (e) {
        if (e instanceof FarmRuleError || e instanceof ValidationError) {
          report.rejected.push({ line, tag: a.tag, reasons: [fieldPrefix(e) + e.message] });
        } else throw e;
      }
    }
    // Parents that are rows of the same file, now that they have ids.
    for (const l of later) {
      const dam = l.dam ? created.get(l.dam.toLowerCase()) ?? null : null;
      const sire = l.sire ? created.get(l.sire.toLowerCase()) ?? null : null;
      if (l.dam && dam === null) {
        warnings.push(`Line ${l.line}: the dam ${l.dam} was rejected, so the dam is left empty`);
      }
      if (l.sire && sire === null) {
        warnings.push(`Line ${l.line}: the sire ${l.sire} was rejected, so the sire is left empty`);
      }
      await tx`update animals set dam_id = coalesce(${dam}, dam_id),
        sire_id = coalesce(${sire}, sire_id) where id = ${l.id}`;
    }
    if (report.created.length) {
      await auditFarm(tx, actorId, "farm.animal.import", "animal", null, {
        created: report.created.length,
        rejected: report.rejected.length,
      });
    }
  });
  report.rejected.sort((x, y) => x.line - y.line);
  return report;
}

/** The column name a report uses for a field. */
const COLUMN: Record<string, string> = {
  tag: "identifier",
  breed: "primaryBreed",
  sex: "gender",
  damTag: "damIdentifier",
  sireTag: "sireIdentifier",
  groupCode: "group",
  lastCalvedOn: "lastCalvingDate",
};

function fieldPrefix(e: FarmRuleError | ValidationError): string {
  if (e instanceof FarmRuleError && e.field) return `${COLUMN[e.field] ?? e.field}: `;
  return "";
}
