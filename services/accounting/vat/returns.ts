/**
 * The VAT registers and the monthly return (issue 13 §6), from the documents behind the VAT
 * accounts (sources.ts):
 *
 * - Mushak 6.1 purchase register: every approved supplier bill, by rate: supplier, BIN, bill
 *   number and date, value, VAT (input tax).
 * - Mushak 6.2 sales register: every supply and credit note, by rate: buyer, document, value,
 *   SD, VAT.
 * - Mushak 9.1 figures, laid out as the return's notes: output by nature of supply (notes 1–9),
 *   input by nature of purchase (10–23), increasing (24–28) and decreasing (29–33) adjustments,
 *   net payable VAT (34 = 9c − 23b + 28 − 33) and SD (36), treasury deposits (58, 59). Every
 *   figure is the sum of the documents' contributions, so each drills down to them.
 *
 * Nature of supply by rate: the standard class's rate on the document's date is "standard rated"
 * (note 4/14), another rate above zero "other than standard rate" (7/16), zero "exempt" (3/12).
 */
import type { Db } from "@/services/platform/tx.ts";
import { addDays } from "@/services/platform/dhaka.ts";
import { taxRateOn } from "./tax_classes.ts";
import { salesSupplies, type VatDoc, vatDocs, type VatDocumentSources } from "./sources.ts";

/** The notes of Mushak 9.1 shown here; totals are sums of other notes. */
export const NOTES = {
  output: [1, 3, 4, 7],
  outputTotal: 9,
  input: [12, 14, 16],
  inputTotal: 23,
  increasing: [24, 26, 27],
  increasingTotal: 28,
  decreasing: [29, 31, 32],
  decreasingTotal: 33,
  netVat: 34,
  netSd: 36,
  deposits: [58, 59],
} as const;

/** Which notes each total adds up (34 adds 9 and 28 and subtracts 23 and 33). */
export const TOTAL_OF: Record<number, number[]> = {
  9: [1, 3, 4, 7],
  23: [12, 14, 16],
  28: [24, 26, 27],
  33: [29, 31, 32],
  34: [1, 3, 4, 7, 12, 14, 16, 24, 26, 27, 29, 31, 32],
  36: [1, 3, 4, 7],
};

export const ALL_NOTES = [
  1,
  3,
  4,
  7,
  9,
  12,
  14,
  16,
  23,
  24,
  26,
  27,
  28,
  29,
  31,
  32,
  33,
  34,
  36,
  58,
  59,
];

export interface Contribution {
  note: number;
  valueMinor: number;
  sdMinor: number;
  vatMinor: number;
}

export interface Figure {
  note: number;
  valueMinor: number;
  sdMinor: number;
  vatMinor: number;
  /** How many documents make it. */
  documents: number;
}

export interface VatReturn {
  month: string;
  from: string;
  to: string;
  /** The return is due by the 15th of the next month. */
  dueOn: string;
  figures: Record<number, Figure>;
  /** Note 34: net payable VAT of the period (negative: carried forward as a credit). */
  netPayableMinor: number;
  netSdMinor: number;
  /** Output VAT (note 9c) and input VAT (note 23b) in short. */
  outputVatMinor: number;
  inputVatMinor: number;
  docs: (VatDoc & { contributions: Contribution[] })[];
}

/** "2026-11" → its first and last day. */
export function monthRange(month: string): { from: string; to: string } {
  const from = `${month}-01`;
  const [y, m] = month.split("-").map(Number);
  const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, "0")}-01`;
  return { from, to: addDays(next, -1) };
}

export const isMonth = (s: string) => /^(19|20|21)[0-9]{2}-(0[1-9]|1[0-2])$/.test(s);

export function previousMonth(month: string): string {
  const [y, m] = month.split("-").map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, "0")}`;
}

function nextMonth(month: string): string {
  const [y, m] = month.split("-").map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, "0")}`;
}

/** Standard rates by date, cached per call. */
function standardRates(db: Db) {
  const cache = new Map<string, Promise<number>>();
  return (date: string) => {
    if (!cache.has(date)) {
      cache.set(date, taxRateOn(db, "standard", date).then((r) => r?.vatRateBp ?? 1500));
    }
    return cache.get(date)!;
  };
}

/** A document's contributions to the notes. */
async function contributionsOf(
  d: VatDoc,
  standardOn: (date: string) => Promise<number>,
): Promise<Contribution[]> {
  const out: Contribution[] = [];
  const add = (note: number, valueMinor: number, sdMinor: number, vatMinor: number) => {
    if (valueMinor === 0 && sdMinor === 0 && vatMinor === 0) return;
    const c = out.find((x) => x.note === note);
    if (c) {
      c.valueMinor += valueMinor;
      c.sdMinor += sdMinor;
      c.vatMinor += vatMinor;
    } else out.push({ note, valueMinor, sdMinor, vatMinor });
  };
  const standard = await standardOn(d.date);
  const nature = (rate: number, notes: [number, number, number]) =>
    rate === 0 ? notes[0] : rate === standard ? notes[1] : notes[2];
  switch (d.kind) {
    case "sale":
      for (const l of d.lines) {
        add(nature(l.rateBp, [3, 4, 7]), l.valueMinor, l.sdMinor, l.vatMinor);
      }
      break;
    case "credit_note":
      // A credit note adjusts output VAT in the period it is issued (note 31).
      add(31, d.lines.reduce((s, l) => s + l.valueMinor, 0), 0, -d.outputVat);
      break;
    case "purchase":
      for (const l of d.lines) add(nature(l.rateBp, [12, 14, 16]), l.valueMinor, 0, l.vatMinor);
      break;
    case "withholding":
      add(29, 0, 0, d.withheld);
      break;
    case "deposit":
      add(58, 0, 0, -d.outputVat - d.withheldPayable);
      add(59, 0, 0, -d.sd);
      break;
    case "offset":
      break;
    case "other": {
      // Anything else that moved a VAT account: its effect on what is payable.
      if (d.withheld) add(29, 0, 0, d.withheld);
      if (d.withheldPayable) add(24, 0, 0, d.withheldPayable);
      const rest = d.outputVat - d.inputVat;
      if (rest > 0) add(27, 0, 0, rest);
      if (rest < 0) add(32, 0, 0, -rest);
      if (d.sd) add(4, 0, d.sd, 0);
      break;
    }
  }
  return out;
}

/** The sign with which a note enters note 34 (net payable VAT). */
const IN_34: Record<number, 1 | -1> = {
  1: 1,
  3: 1,
  4: 1,
  7: 1,
  12: -1,
  14: -1,
  16: -1,
  24: 1,
  26: 1,
  27: 1,
  29: -1,
  31: -1,
  32: -1,
};

/** The Mushak 9.1 figures of a month, with the documents behind them. */
export async function vatReturn(
  db: Db,
  month: string,
  sources: VatDocumentSources = {},
): Promise<VatReturn> {
  const { from, to } = monthRange(month);
  const [others, supplies] = await Promise.all([
    vatDocs(db, from, to, sources, "others"),
    salesSupplies(db, from, to, sources),
  ]);
  const all = [
    ...supplies,
    ...others.filter((d) => d.kind !== "sale" && d.kind !== "credit_note"),
  ].sort((a, b) => a.date.localeCompare(b.date) || a.entryId - b.entryId);
  const standardOn = standardRates(db);
  const docs = await Promise.all(
    all.map(async (d) => ({ ...d, contributions: await contributionsOf(d, standardOn) })),
  );
  const figures: Record<number, Figure> = {};
  for (const n of ALL_NOTES) {
    figures[n] = { note: n, valueMinor: 0, sdMinor: 0, vatMinor: 0, documents: 0 };
  }
  for (const d of docs) {
    for (const c of d.contributions) {
      const f = figures[c.note];
      f.valueMinor += c.valueMinor;
      f.sdMinor += c.sdMinor;
      f.vatMinor += c.vatMinor;
      f.documents++;
    }
  }
  for (const [total, parts] of Object.entries(TOTAL_OF)) {
    const t = Number(total);
    if (t === 34 || t === 36) continue;
    const f = figures[t];
    for (const p of parts) {
      f.valueMinor += figures[p].valueMinor;
      f.sdMinor += figures[p].sdMinor;
      f.vatMinor += figures[p].vatMinor;
    }
    f.documents = docs.filter((d) => d.contributions.some((c) => parts.includes(c.note))).length;
  }
  const net = Object.entries(IN_34).reduce((s, [n, sign]) => s + sign * figures[+n].vatMinor, 0);
  figures[34].vatMinor = net;
  figures[34].documents = docs.filter((d) => d.contributions.some((c) => c.note in IN_34)).length;
  figures[36].vatMinor = figures[9].sdMinor;
  figures[36].documents = figures[9].sdMinor ? figures[9].documents : 0;
  return {
    month,
    from,
    to,
    dueOn: `${nextMonth(month)}-15`,
    figures,
    netPayableMinor: net,
    netSdMinor: figures[36].vatMinor,
    outputVatMinor: figures[9].vatMinor,
    inputVatMinor: figures[23].vatMinor,
    docs,
  };
}

/** The documents behind one note of a month's return, with what each adds to it. */
export function noteDocuments(r: VatReturn, note: number) {
  const parts = TOTAL_OF[note] ?? [note];
  return r.docs.flatMap((d) => {
    const cs = d.contributions.filter((c) => parts.includes(c.note));
    if (cs.length === 0) return [];
    const sign = (n: number) => (note === 34 ? IN_34[n] ?? 0 : 1);
    return [{
      doc: d,
      valueMinor: cs.reduce((s, c) => s + sign(c.note) * c.valueMinor, 0),
      sdMinor: cs.reduce((s, c) => s + sign(c.note) * c.sdMinor, 0),
      // Note 36 is the supplementary duty payable: its documents' SD.
      vatMinor: note === 36
        ? cs.reduce((s, c) => s + c.sdMinor, 0)
        : cs.reduce((s, c) => s + sign(c.note) * c.vatMinor, 0),
    }];
  });
}

export interface RegisterRow {
  entryId: number;
  date: string;
  docNo: string;
  /** The Mushak 6.3 / 6.7 number of a sale or credit note (null: none issued). */
  invoiceNo: string | null;
  docDate: string;
  kind: VatDoc["kind"];
  party: string;
  partyBin: string | null;
  docLink: string | null;
  rateBp: number;
  valueMinor: number;
  sdMinor: number;
  vatMinor: number;
  totalMinor: number;
  flags: string[];
}

export interface Register {
  from: string;
  to: string;
  rows: RegisterRow[];
  totals: { valueMinor: number; sdMinor: number; vatMinor: number; totalMinor: number };
}

function register(docs: VatDoc[], from: string, to: string): Register {
  const rows: RegisterRow[] = [];
  for (const d of docs) {
    const sign = d.kind === "credit_note" ? -1 : 1;
    for (const l of d.lines) {
      rows.push({
        entryId: d.entryId,
        date: d.date,
        docNo: d.docNo,
        invoiceNo: d.invoiceNo,
        docDate: d.docDate,
        kind: d.kind,
        party: d.party,
        partyBin: d.partyBin,
        docLink: d.docLink,
        rateBp: l.rateBp,
        valueMinor: sign * l.valueMinor,
        sdMinor: sign * l.sdMinor,
        vatMinor: sign * l.vatMinor,
        totalMinor: sign * (l.valueMinor + l.sdMinor + l.vatMinor),
        flags: d.flags,
      });
    }
  }
  const sum = (f: (r: RegisterRow) => number) => rows.reduce((s, r) => s + f(r), 0);
  return {
    from,
    to,
    rows,
    totals: {
      valueMinor: sum((r) => r.valueMinor),
      sdMinor: sum((r) => r.sdMinor),
      vatMinor: sum((r) => r.vatMinor),
      totalMinor: sum((r) => r.totalMinor),
    },
  };
}

/** Mushak 6.2: supplies and credit notes of the range (credit notes negative). */
export async function salesRegister(
  db: Db,
  from: string,
  to: string,
  sources: VatDocumentSources = {},
): Promise<Register> {
  return register(await salesSupplies(db, from, to, sources), from, to);
}

/** Mushak 6.1: approved supplier bills of the range. */
export async function purchaseRegister(
  db: Db,
  from: string,
  to: string,
  sources: VatDocumentSources = {},
): Promise<Register> {
  const docs = (await vatDocs(db, from, to, sources, "others")).filter((d) =>
    d.kind === "purchase"
  );
  return register(docs, from, to);
}
