/**
 * Issued sales documents as records (issue 13 §3): a Mushak 6.3 tax invoice for every taxable
 * supply, a Mushak 6.7 credit note for every return, each numbered without gaps per kind, issuing
 * location and fiscal year (services/accounting/documents/numbering.ts formats the number; the
 * counter row in acc_document_series is taken in the issuing transaction, so concurrent issuers
 * queue and a rolled-back issue gives its number back).
 *
 * Everything printed is stored with the document (seller, BIN, buyer, location, officer, lines
 * with their VAT and SD), so a reprint years later gives the same document even when the
 * company's details change. Issued documents are immutable (a database trigger).
 *
 * - the shop sale at delivery: `issueShopInvoice` (the ledger port calls it right after the
 *   sale's entry, in the delivery's transaction); its refund: `issueShopCreditNote`;
 * - invoices on account (B2B): `issueInvoiceOnAccount` posts the receivable with a due date from
 *   the payment terms; `issueCreditNote` credits all or part of such an invoice.
 */
import type { Db, Tx } from "@/services/platform/tx.ts";
import { inTx } from "@/services/platform/tx.ts";
import { addDays, dhakaDate } from "@/services/platform/dhaka.ts";
import { toMinor } from "@/services/platform/db.ts";
import { NotFoundError, ValidationError } from "@/services/platform/errors.ts";
import { MONEY_MAX } from "@/services/platform/schema.ts";
import {
  type Bilingual,
  type CreditNoteInput,
  type DocLang,
  type DocLine,
  DocumentError,
  documentNumber,
  fiscalYearOf,
  formatBin,
  type InvoiceInput,
  mushak63,
  mushak67,
  type Officer,
  type Party,
  type SalesDocument,
} from "./documents/mod.ts";
import type { SaleEvent } from "./rules/shop.ts";
import { ACC } from "./rules/accounts.ts";
import type { Poster } from "./poster.ts";
import type { Actor, PostingLine } from "./types.ts";

export type DocumentKindName = "invoice" | "credit_note";
export const PAYMENT_TERMS = ["cash", "7", "15", "30"] as const;
export type PaymentTerms = typeof PAYMENT_TERMS[number];

/** An issued document as stored. */
export interface SalesDocumentRecord {
  id: number;
  kind: DocumentKindName;
  number: string;
  location: string;
  fiscalYear: string;
  seq: number;
  issuedAt: Date;
  issueDate: string;
  source: string;
  sourceRef: string;
  partyRef: string;
  partnerRef: string;
  orderNumber: string | null;
  lang: DocLang;
  seller: Party;
  buyer: Party;
  locationSnapshot: { code: string; name: Bilingual };
  officer: Officer;
  lines: DocLine[];
  reason: Bilingual | null;
  originalId: number | null;
  originalNumber: string | null;
  originalIssuedAt: Date | null;
  valueMinor: number;
  discountMinor: number;
  sdMinor: number;
  vatMinor: number;
  totalMinor: number;
  terms: PaymentTerms | null;
  dueDate: string | null;
  entryId: number | null;
  /** Credit notes issued against this invoice (numbers). */
  creditNotes: string[];
}

// deno-lint-ignore no-explicit-any
type Row = Record<string, any>;

const SELECT = `
  select d.*, to_char(d.issue_date, 'YYYY-MM-DD') as issue_day,
         to_char(d.due_date, 'YYYY-MM-DD') as due_day,
         o.number as original_number, o.issued_at as original_issued_at,
         coalesce((select array_agg(c.number order by c.id) from acc_sales_documents c
                    where c.original_id = d.id), '{}') as credit_notes
    from acc_sales_documents d left join acc_sales_documents o on o.id = d.original_id`;

function toRecord(r: Row): SalesDocumentRecord {
  return {
    id: Number(r.id),
    kind: r.kind,
    number: r.number,
    location: r.location,
    fiscalYear: r.fiscal_year,
    seq: Number(r.seq),
    issuedAt: new Date(r.issued_at),
    issueDate: r.issue_day,
    source: r.source,
    sourceRef: r.source_ref,
    partyRef: r.party_ref,
    partnerRef: r.partner_ref,
    orderNumber: r.order_number ?? null,
    lang: r.lang,
    seller: r.seller,
    buyer: r.buyer,
    locationSnapshot: r.location_snapshot,
    officer: r.officer,
    lines: r.lines,
    reason: r.reason ?? null,
    originalId: r.original_id === null ? null : Number(r.original_id),
    originalNumber: r.original_number ?? null,
    originalIssuedAt: r.original_issued_at ? new Date(r.original_issued_at) : null,
    valueMinor: toMinor(r.value_minor),
    discountMinor: toMinor(r.discount_minor),
    sdMinor: toMinor(r.sd_minor),
    vatMinor: toMinor(r.vat_minor),
    totalMinor: toMinor(r.total_minor),
    terms: r.terms ?? null,
    dueDate: r.due_day ?? null,
    entryId: r.entry_id === null ? null : Number(r.entry_id),
    creditNotes: r.credit_notes ?? [],
  };
}

/** The printable document of a record, in its own language or the one asked for. */
export function documentOf(d: SalesDocumentRecord, lang: DocLang = d.lang): SalesDocument {
  const common = {
    lang,
    seller: d.seller,
    buyer: d.buyer,
    number: d.number,
    issuedAt: d.issuedAt,
    location: d.locationSnapshot,
    lines: d.lines,
    officer: d.officer,
  };
  if (d.kind === "invoice") return mushak63(common satisfies InvoiceInput);
  return mushak67(
    {
      ...common,
      original: { number: d.originalNumber!, issuedAt: d.originalIssuedAt! },
      reason: d.reason ?? { en: "Credit" },
    } satisfies CreditNoteInput,
  );
}

export async function getDocument(db: Db, number: string): Promise<SalesDocumentRecord | null> {
  const rows = await db.unsafe(`${SELECT} where d.number = $1`, [number]);
  return rows.length ? toRecord(rows[0]) : null;
}

export async function getDocumentById(db: Db, id: number): Promise<SalesDocumentRecord | null> {
  const rows = await db.unsafe(`${SELECT} where d.id = $1`, [id]);
  return rows.length ? toRecord(rows[0]) : null;
}

export interface DocumentFilter {
  /** Number, order number, party or buyer name (part of). */
  q?: string;
  kind?: DocumentKindName | "";
  /** Exactly this party's documents (e.g. "b2b:12"; the public API's B2B invoices). */
  partyRef?: string;
  from?: string;
  to?: string;
  limit?: number;
  offset?: number;
}

export async function listDocuments(
  db: Db,
  f: DocumentFilter = {},
): Promise<{ rows: SalesDocumentRecord[]; total: number }> {
  const where: string[] = [];
  const args: (string | number)[] = [];
  const arg = (v: string | number) => (args.push(v), `$${args.length}`);
  if (f.q) {
    const p = arg(`%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    where.push(
      `(d.number ilike ${p} or d.order_number ilike ${p} or d.party_ref ilike ${p} or (d.buyer->'name'->>'en') ilike ${p})`,
    );
  }
  if (f.kind) where.push(`d.kind = ${arg(f.kind)}`);
  if (f.partyRef) where.push(`d.party_ref = ${arg(f.partyRef)}`);
  if (f.from) where.push(`d.issue_date >= ${arg(f.from)}::date`);
  if (f.to) where.push(`d.issue_date <= ${arg(f.to)}::date`);
  const w = where.length ? ` where ${where.join(" and ")}` : "";
  const [c] = await db.unsafe(`select count(*)::int as n from acc_sales_documents d${w}`, args);
  const limit = Math.min(Math.max(f.limit ?? 50, 1), 500);
  const rows = await db.unsafe(
    `${SELECT}${w} order by d.issued_at desc, d.id desc limit ${limit} offset ${
      Math.max(f.offset ?? 0, 0)
    }`,
    args,
  );
  return { rows: rows.map(toRecord), total: Number(c.n) };
}

/**
 * The documents issued in a period (Dhaka dates, inclusive), oldest first: the sales register
 * (Mushak 6.2) reads its rows here. Credit notes carry their original invoice's number.
 */
export async function salesDocumentsInPeriod(
  db: Db,
  p: { from: string; to: string; kind?: DocumentKindName },
): Promise<SalesDocumentRecord[]> {
  const args: (string | number)[] = [p.from, p.to];
  let w = ` where d.issue_date between $1::date and $2::date`;
  if (p.kind) {
    args.push(p.kind);
    w += ` and d.kind = $3`;
  }
  const rows = await db.unsafe(`${SELECT}${w} order by d.issued_at, d.id`, args);
  return rows.map(toRecord);
}

// ---- issuing ------------------------------------------------------------------------------------

async function sellerOf(tx: Tx): Promise<{ seller: Omit<Party, "address">; officer: Officer }> {
  const [s] = await tx`select * from acc_seller_profile`;
  return {
    seller: { name: { en: s.name_en, bn: s.name_bn || undefined }, bin: s.bin },
    officer: {
      name: { en: s.officer_name_en, bn: s.officer_name_bn || undefined },
      designation: { en: s.officer_title_en, bn: s.officer_title_bn || undefined },
    },
  };
}

async function locationOf(tx: Tx, code?: string) {
  const [l] = code
    ? await tx`select * from acc_issuing_locations where code = ${code}`
    : await tx`select * from acc_issuing_locations order by is_default desc, code limit 1`;
  if (!l) throw new ValidationError({ location: "No such issuing location" });
  return {
    code: l.code as string,
    name: { en: l.name_en as string, bn: (l.name_bn as string) || undefined },
    address: { en: l.address_en as string, bn: (l.address_bn as string) || undefined },
  };
}

/** The next number of a series, in the caller's transaction (the series row stays locked). */
export async function takeNumber(
  tx: Tx,
  kind: DocumentKindName,
  location: string,
  at: Date,
): Promise<{ number: string; seq: number; fiscalYear: string }> {
  const fy = fiscalYearOf(at).code;
  const [r] = await tx<{ last_seq: number }[]>`
    insert into acc_document_series as s (kind, location, fiscal_year, last_seq)
    values (${kind}, ${location}, ${fy}, 1)
    on conflict (kind, location, fiscal_year) do update set last_seq = s.last_seq + 1
    returning last_seq`;
  const seq = Number(r.last_seq);
  return { number: documentNumber({ kind, location, at, seq }), seq, fiscalYear: fy };
}

interface NewDocument {
  kind: DocumentKindName;
  at: Date;
  location?: string;
  source: string;
  sourceRef: string;
  partyRef: string;
  partnerRef: string;
  orderNumber?: string | null;
  lang: DocLang;
  buyer: Party;
  lines: DocLine[];
  original?: SalesDocumentRecord;
  reason?: Bilingual;
  terms?: PaymentTerms | null;
  dueDate?: string | null;
  entryId: number | null;
}

/** Numbers, checks (the document model refuses what cannot be printed) and stores a document. */
async function storeDocument(tx: Tx, n: NewDocument): Promise<SalesDocumentRecord> {
  const { seller, officer } = await sellerOf(tx);
  const loc = await locationOf(tx, n.location ?? n.original?.location);
  const sellerParty: Party = { ...seller, address: loc.address };
  const locationSnapshot = { code: loc.code, name: loc.name };
  const { number, seq, fiscalYear } = await takeNumber(tx, n.kind, loc.code, n.at);
  const base = {
    lang: n.lang,
    seller: sellerParty,
    buyer: n.buyer,
    number,
    issuedAt: n.at,
    location: locationSnapshot,
    lines: n.lines,
    officer,
  };
  const doc = n.kind === "invoice" ? mushak63(base) : mushak67({
    ...base,
    original: { number: n.original!.number, issuedAt: n.original!.issuedAt },
    reason: n.reason!,
  });
  const t = doc.amounts.totals;
  const [row] = await tx`
    insert into acc_sales_documents (
      kind, number, location, fiscal_year, seq, issued_at, issue_date, source, source_ref,
      party_ref, partner_ref, order_number, lang, seller, buyer, location_snapshot, officer, lines,
      reason, original_id, value_minor, discount_minor, sd_minor, vat_minor, total_minor, terms,
      due_date, entry_id)
    values (
      ${n.kind}, ${number}, ${loc.code}, ${fiscalYear}, ${seq}, ${n.at}, ${dhakaDate(n.at)},
      ${n.source}, ${n.sourceRef}, ${n.partyRef}, ${n.partnerRef}, ${n.orderNumber ?? null},
      ${n.lang}, ${tx.json(sellerParty as never)}, ${tx.json(n.buyer as never)},
      ${tx.json(locationSnapshot as never)}, ${tx.json(officer as never)},
      ${tx.json(n.lines as never)}, ${n.reason ? tx.json(n.reason as never) : null},
      ${n.original?.id ?? null}, ${t.valueMinor}, ${t.discountMinor}, ${t.sdMinor},
      ${t.vatMinor}, ${t.totalMinor}, ${n.terms ?? null}, ${n.dueDate ?? null}, ${n.entryId})
    returning id`;
  if (n.entryId !== null) {
    await tx`
      update acc_open_items set document_id = ${row.id},
             due_date = coalesce(${n.dueDate ?? null}::date, due_date)
       where entry_id = ${n.entryId} and partner_ref = ${n.partnerRef}`;
  }
  return (await getDocumentById(tx, Number(row.id)))!;
}

async function existing(tx: Tx, kind: DocumentKindName, source: string, ref: string) {
  const rows = await tx.unsafe(
    `${SELECT} where d.kind = $1 and d.source = $2 and d.source_ref = $3`,
    [kind, source, ref],
  );
  return rows.length ? toRecord(rows[0]) : null;
}

async function entryIdOf(tx: Tx, source: string, ref: string): Promise<number | null> {
  const [e] = await tx`select id from acc_entries where source = ${source} and source_ref = ${ref}`;
  return e ? Number(e.id) : null;
}

/** Names a ledger partner's party and keeps the party's name and language for statements. */
export async function linkParty(
  tx: Tx,
  partnerRef: string,
  party: { ref: string; side: "receivable" | "payable"; name: string; lang?: DocLang },
): Promise<void> {
  if (partnerRef !== party.ref) {
    await tx`insert into acc_partner_links (partner_ref, party_ref)
             values (${partnerRef}, ${party.ref}) on conflict (partner_ref) do nothing`;
  }
  await tx`
    insert into acc_parties (ref, side, name_en, lang)
    values (${party.ref}, ${party.side}, ${party.name.slice(0, 200) || party.ref},
            ${party.lang ?? "en"})
    on conflict (ref) do update set name_en = excluded.name_en, lang = excluded.lang
      where acc_parties.name_en = 'Shop customer' and excluded.name_en <> 'Shop customer'`;
}

const PCS = { en: "pcs", bn: "টি" };

/** The shop's delivered order → its Mushak 6.3 (idempotent on the order). */
export async function issueShopInvoice(
  tx: Tx,
  e: SaleEvent,
  at: Date,
): Promise<SalesDocumentRecord | null> {
  const done = await existing(tx, "invoice", "shop.order", e.orderId);
  if (done) return done;
  const entryId = await entryIdOf(tx, "shop.sale", e.orderId);
  if (entryId === null) return null; // nothing was sold (a zero order): no supply to invoice
  const lines: DocLine[] = e.lines.map((l) => {
    const qty = l.quantity && l.quantity > 0 ? l.quantity : 1;
    const gross = l.lineTotalMinor + l.discountMinor;
    const unit = l.unitPriceMinor !== undefined && l.unitPriceMinor * qty === gross
      ? l.unitPriceMinor
      : null;
    return {
      description: l.description ?? { en: "Dairy products", bn: "দুগ্ধজাত পণ্য" },
      unit: PCS,
      quantity: unit === null ? 1 : qty,
      unitPriceMinor: unit ?? gross,
      discountMinor: l.discountMinor,
      vatRateBp: l.vatRateBp,
      vatIncluded: true,
      vatMinor: l.vatMinor,
      totalMinor: l.lineTotalMinor,
    };
  });
  if (e.deliveryFeeMinor > 0) {
    lines.push({
      description: { en: "Delivery fee", bn: "ডেলিভারি চার্জ" },
      unit: { en: "service", bn: "সেবা" },
      quantity: 1,
      unitPriceMinor: e.deliveryFeeMinor,
      vatRateBp: 0,
      vatIncluded: true,
      vatMinor: 0,
      totalMinor: e.deliveryFeeMinor,
    });
  }
  const b = e.buyer;
  const partnerRef = `order:${e.orderNumber}`;
  const partyRef = b?.userId ? `customer:${b.userId}` : partnerRef;
  const name = b?.name?.trim() || "Shop customer";
  if (b) await linkParty(tx, partnerRef, { ref: partyRef, side: "receivable", name, lang: b.lang });
  const doc = await storeDocument(tx, {
    kind: "invoice",
    at,
    source: "shop.order",
    sourceRef: e.orderId,
    partyRef,
    partnerRef,
    orderNumber: e.orderNumber,
    lang: b?.lang ?? "en",
    buyer: {
      name: { en: name },
      bin: null,
      address: b
        ? { en: b.destinationEn, bn: b.destinationBn }
        : { en: "Home delivery", bn: "বাসায় সরবরাহ" },
    },
    lines,
    terms: "cash",
    entryId,
  });
  if (doc.vatMinor !== e.vatMinor || doc.totalMinor !== e.totalMinor) {
    throw new DocumentError(
      "amount_mismatch",
      `order ${e.orderNumber}: invoice VAT ${doc.vatMinor} / total ${doc.totalMinor} ≠ the order's ${e.vatMinor} / ${e.totalMinor}`,
    );
  }
  return doc;
}

/** A delivered shop order refunded in full → a Mushak 6.7 crediting its whole invoice. */
export async function issueShopCreditNote(
  tx: Tx,
  e: SaleEvent,
  at: Date,
): Promise<SalesDocumentRecord | null> {
  const done = await existing(tx, "credit_note", "shop.return", e.orderId);
  if (done) return done;
  const invoice = await existing(tx, "invoice", "shop.order", e.orderId);
  if (!invoice) return null; // delivered before invoices were kept
  return await storeDocument(tx, {
    kind: "credit_note",
    at,
    source: "shop.return",
    sourceRef: e.orderId,
    partyRef: invoice.partyRef,
    partnerRef: invoice.partnerRef,
    orderNumber: invoice.orderNumber,
    lang: invoice.lang,
    buyer: invoice.buyer,
    lines: invoice.lines,
    original: invoice,
    reason: { en: "Delivered order refunded in full", bn: "সরবরাহকৃত অর্ডারের সম্পূর্ণ মূল্য ফেরত" },
    entryId: await entryIdOf(tx, "shop.return", e.orderId),
  });
}

// ---- invoices on account (B2B) -------------------------------------------------------------------

export interface OnAccountCustomer {
  /** The party: "b2b:17", "customer:<uuid>"… (1–80 characters, the receivable's partner). */
  ref: string;
  name: string;
  nameBn?: string;
  /** 13 digits when the buyer is VAT-registered. */
  bin?: string | null;
  address: string;
  addressBn?: string;
  lang?: DocLang;
  email?: string | null;
  phone?: string | null;
}

export interface OnAccountInput {
  customer: OnAccountCustomer;
  lines: DocLine[];
  terms: PaymentTerms;
  /** The caller's reference (a B2B order number): a repeated call issues once. */
  sourceRef: string;
  location?: string;
}

/** Days to pay by payment terms. */
export function dueDateOf(issueDate: string, terms: PaymentTerms): string {
  return terms === "cash" ? issueDate : addDays(issueDate, Number(terms));
}

function checkCustomer(c: OnAccountCustomer): Record<string, string> {
  const bad: Record<string, string> = {};
  if (typeof c?.ref !== "string" || !/^[a-z][a-z0-9_-]{0,19}:[A-Za-z0-9_.-]{1,60}$/.test(c.ref)) {
    bad["customer.ref"] = "A customer reference like b2b:17";
  }
  if (typeof c?.name !== "string" || !c.name.trim() || c.name.length > 200) {
    bad["customer.name"] = "The customer's name is required (at most 200 characters)";
  }
  if (typeof c?.address !== "string" || !c.address.trim() || c.address.length > 300) {
    bad["customer.address"] = "The delivery address is required (at most 300 characters)";
  }
  if (c?.bin) {
    try {
      formatBin(c.bin);
    } catch {
      bad["customer.bin"] = "A BIN has 13 digits";
    }
  }
  if (c?.phone && !/^\+[1-9]\d{7,14}$/.test(c.phone)) {
    bad["customer.phone"] = "A number in international form (+8801…)";
  }
  if (c?.email && (c.email.length > 320 || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(c.email))) {
    bad["customer.email"] = "An email address";
  }
  return bad;
}

async function postDocument(
  tx: Tx,
  poster: Poster,
  date: string,
  p: { source: string; ref: string; memo: string; lines: PostingLine[]; actor: Actor },
): Promise<number> {
  const posted = await poster.post(tx, {
    source: p.source,
    sourceRef: p.ref,
    date,
    journal: "SALES",
    memo: p.memo,
    lines: p.lines.filter((l) => (l.debitMinor ?? l.creditMinor ?? 0) > 0),
    actor: p.actor,
  });
  return posted.id;
}

/**
 * A customer invoice on account (B2B): the Mushak 6.3, and its entry Dr 1210 trade receivables
 * (due by the terms) / Cr 4120 B2B sales (value after discount), 2320 SD, 2310 VAT output.
 */
export async function issueInvoiceOnAccount(
  tx: Tx,
  deps: { poster: Poster; at: Date; postingDate: (tx: Tx, today: string) => Promise<string> },
  input: OnAccountInput,
  actor: Actor = { id: null, name: "b2b" },
): Promise<SalesDocumentRecord> {
  const bad = checkCustomer(input.customer);
  if (!PAYMENT_TERMS.includes(input.terms)) bad.terms = "Terms are cash, 7, 15 or 30 days";
  if (typeof input.sourceRef !== "string" || !input.sourceRef || input.sourceRef.length > 120) {
    bad.sourceRef = "A reference of 1–120 characters";
  }
  if (!Array.isArray(input.lines) || input.lines.length === 0 || input.lines.length > 200) {
    bad.lines = "One to 200 lines";
  }
  if (Object.keys(bad).length) throw new ValidationError(bad);
  const done = await existing(tx, "invoice", "acc.on_account", input.sourceRef);
  if (done) return done;
  const c = input.customer;
  const lang = c.lang === "bn" ? "bn" : "en";
  // The document's arithmetic first (it refuses bad lines before a number is taken).
  const probe = mushak63({
    lang,
    seller: { name: { en: "probe" }, bin: "0000000000000", address: { en: "probe" } },
    buyer: { name: { en: c.name }, bin: c.bin || null, address: { en: c.address } },
    number: "probe",
    issuedAt: deps.at,
    location: { code: "XX", name: { en: "probe" } },
    lines: input.lines,
    officer: { name: { en: "probe" }, designation: { en: "probe" } },
  });
  const t = probe.amounts.totals;
  if (t.totalMinor <= 0 || t.totalMinor > MONEY_MAX) {
    throw new ValidationError({ lines: "The invoice's total must be more than zero" });
  }
  const issueDate = dhakaDate(deps.at);
  const dueDate = dueDateOf(issueDate, input.terms);
  await linkParty(tx, c.ref, { ref: c.ref, side: "receivable", name: c.name, lang });
  await tx`
    update acc_parties set name_en = ${c.name}, name_bn = ${c.nameBn ?? ""},
           email = coalesce(${c.email ?? null}, email), phone = coalesce(${c.phone ?? null}, phone),
           bin = coalesce(${c.bin ? c.bin.replace(/[\s-]/g, "") : null}, bin),
           address = ${c.address}, lang = ${lang}, updated_at = now()
     where ref = ${c.ref}`;
  // The number is taken inside storeDocument; the entry references the invoice by the caller's ref.
  const date = await deps.postingDate(tx, issueDate);
  const entryId = await postDocument(tx, deps.poster, date, {
    source: "acc.invoice",
    ref: input.sourceRef,
    memo: `Invoice on account to ${c.name.slice(0, 100)} (${input.sourceRef.slice(0, 60)})`,
    actor,
    lines: [
      { account: "1210", debitMinor: t.totalMinor, partnerRef: c.ref },
      { account: "4120", creditMinor: t.valueAfterDiscountMinor, memo: "B2B sales" },
      { account: "2320", creditMinor: t.sdMinor, memo: "SD" },
      { account: ACC.vatOutput, creditMinor: t.vatMinor, memo: "VAT output" },
    ],
  });
  return await storeDocument(tx, {
    kind: "invoice",
    at: deps.at,
    location: input.location,
    source: "acc.on_account",
    sourceRef: input.sourceRef,
    partyRef: c.ref,
    partnerRef: c.ref,
    lang,
    buyer: {
      name: { en: c.name, bn: c.nameBn || undefined },
      bin: c.bin || null,
      address: { en: c.address, bn: c.addressBn || undefined },
    },
    lines: input.lines,
    terms: input.terms,
    dueDate,
    entryId,
  });
}

/**
 * A credit note (Mushak 6.7) against an invoice on account: all of it, or some quantity of some
 * lines (the line's discount credited in proportion). Posts Dr 4400 sales returns, 2320 SD,
 * 2310 VAT / Cr the invoice's receivable. Refuses more than is left to credit.
 */
export async function issueCreditNote(
  db: Db,
  deps: { poster: Poster; at: Date; postingDate: (tx: Tx, today: string) => Promise<string> },
  input: {
    invoiceNumber: string;
    reason: Bilingual;
    /** Line index (0-based) → quantity credited; absent: every line in full. */
    quantities?: Record<number, string>;
    sourceRef?: string;
  },
  actor: Actor,
): Promise<SalesDocumentRecord> {
  return await inTx(db, async (tx) => {
    const inv = await getDocument(tx, input.invoiceNumber);
    if (!inv || inv.kind !== "invoice") throw new NotFoundError("No such invoice");
    if (inv.source !== "acc.on_account") {
      // A shop order is credited by its refund (shopReturn posts the return and its 6.7).
      throw new ValidationError({
        quantity: "A shop order's invoice is credited by refunding the order",
      });
    }
    if (!input.reason?.en?.trim() || input.reason.en.length > 300) {
      throw new ValidationError({ reason: "Give the reason for the credit note" });
    }
    await tx`select id from acc_sales_documents where id = ${inv.id} for key share`;
    const lines: DocLine[] = [];
    inv.lines.forEach((l, i) => {
      const q = input.quantities ? input.quantities[i] : String(l.quantity);
      if (q === undefined || q === "" || Number(q) === 0) return;
      const origMilli = Math.round(Number(l.quantity) * 1000);
      const milli = Math.round(Number(q) * 1000);
      if (!/^\d+(\.\d{1,3})?$/.test(String(q)) || milli > origMilli) {
        throw new ValidationError({ [`quantity.${i}`]: "At most the invoiced quantity" });
      }
      const part = (v: number | undefined) =>
        v === undefined ? undefined : Math.round(v * milli / origMilli);
      lines.push({
        ...l,
        quantity: String(q),
        discountMinor: part(l.discountMinor) ?? 0,
        sdMinor: undefined,
        vatMinor: undefined,
        totalMinor: undefined,
      });
    });
    if (!lines.length) throw new ValidationError({ quantity: "Credit at least one line" });
    const sourceRef = input.sourceRef ?? `${inv.number}:${crypto.randomUUID().slice(0, 8)}`;
    // Draft to know the amounts; refuse crediting more than the invoice less earlier credits.
    const draft = mushak67({
      lang: inv.lang,
      seller: inv.seller,
      buyer: inv.buyer,
      number: "draft",
      issuedAt: deps.at,
      location: inv.locationSnapshot,
      officer: inv.officer,
      lines,
      original: { number: inv.number, issuedAt: inv.issuedAt },
      reason: input.reason,
    }).amounts.totals;
    const [{ credited }] = await tx`
      select coalesce(sum(total_minor), 0)::bigint as credited from acc_sales_documents
       where original_id = ${inv.id}`;
    if (toMinor(credited) + draft.totalMinor > inv.totalMinor) {
      throw new ValidationError({ quantity: "More than is left to credit on this invoice" });
    }
    const date = await deps.postingDate(tx, dhakaDate(deps.at));
    const receivable = "1210";
    const entryId = await postDocument(tx, deps.poster, date, {
      source: "acc.credit_note",
      ref: sourceRef,
      memo: `Credit note on ${inv.number}`,
      actor,
      lines: [
        { account: ACC.salesReturns, debitMinor: draft.valueAfterDiscountMinor, memo: "Returned" },
        { account: "2320", debitMinor: draft.sdMinor, memo: "SD" },
        { account: ACC.vatOutput, debitMinor: draft.vatMinor, memo: "VAT output" },
        { account: receivable, creditMinor: draft.totalMinor, partnerRef: inv.partnerRef },
      ],
    });
    return await storeDocument(tx, {
      kind: "credit_note",
      at: deps.at,
      source: "acc.credit_note",
      sourceRef,
      partyRef: inv.partyRef,
      partnerRef: inv.partnerRef,
      orderNumber: inv.orderNumber,
      lang: inv.lang,
      buyer: inv.buyer,
      lines,
      original: inv,
      reason: input.reason,
      entryId,
    });
  });
}
