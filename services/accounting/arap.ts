/**
 * The accounting door's use cases for sales documents, receivables and payables (issue 13 §3–4),
 * bound to the pool and the clock; mod.ts spreads them into the context's door.
 */
import type { Sql } from "@/services/platform/db.ts";
import type { Db, Tx } from "@/services/platform/tx.ts";
import { dhakaDate } from "@/services/platform/dhaka.ts";
import * as inv from "./invoices.ts";
import * as ar from "./receivables.ts";
import { documentOf } from "./invoices.ts";
import { salesDocumentHtml, salesDocumentPdf } from "./documents/mod.ts";
import type { DocLang } from "./documents/mod.ts";
import { statementPdf } from "./statement_pdf.ts";
import { poster } from "./poster.ts";
import { postingDate } from "./port.ts";
import type { Actor } from "./types.ts";

export function createArap(deps: { sql: Sql; clock?: { now(): Date } }) {
  const { sql } = deps;
  const now = () => deps.clock?.now() ?? new Date();
  const docDeps = () => ({ poster, at: now(), postingDate });
  return {
    // sales documents
    listDocuments: (f: inv.DocumentFilter = {}) => inv.listDocuments(sql, f),
    getDocument: (number: string) => inv.getDocument(sql, number),
    /** The documents of a period (the sales register, Mushak 6.2, reads these). */
    salesDocumentsInPeriod: (p: { from: string; to: string; kind?: inv.DocumentKindName }) =>
      inv.salesDocumentsInPeriod(sql, p),
    /** The printable document (both copies) of a stored record. */
    documentOf,
    documentHtml: (d: inv.SalesDocumentRecord, lang?: DocLang) =>
      salesDocumentHtml(documentOf(d, lang)),
    documentPdf: (d: inv.SalesDocumentRecord, lang?: DocLang) =>
      salesDocumentPdf(documentOf(d, lang), { createdAt: now() }),
    /** B2B: an invoice on account, in the caller's transaction. */
    issueInvoiceOnAccount: (tx: Tx, input: inv.OnAccountInput, actor?: Actor) =>
      inv.issueInvoiceOnAccount(tx, docDeps(), input, actor),
    issueCreditNote: (
      input: Parameters<typeof inv.issueCreditNote>[2],
      actor: Actor,
      db: Db = sql,
    ) => inv.issueCreditNote(db, docDeps(), input, actor),
    // receivables and payables
    openItems: (q: { side: ar.Side; asOf?: string; party?: string }, db: Db = sql) =>
      ar.openItems(db, { ...q, asOf: q.asOf ?? dhakaDate(now()) }),
    ageing: (q: { side: ar.Side; asOf?: string }) =>
      ar.ageing(sql, { side: q.side, asOf: q.asOf ?? dhakaDate(now()) }),
    allocate: (
      input: { side: ar.Side; chargeId: number; settleId: number; amountMinor: number },
      actor: Actor,
      db: Db = sql,
    ) => ar.allocate(db, input, actor),
    partiesWithOpenItems: (side: ar.Side) => ar.partiesWithOpenItems(sql, side),
    getParty: (ref: string) => ar.getParty(sql, ref),
    saveParty: (p: Parameters<typeof ar.saveParty>[1], db: Db = sql) => ar.saveParty(db, p),
    statement: (q: Parameters<typeof ar.statement>[1]) => ar.statement(sql, q),
    statementPdf: async (q: Parameters<typeof ar.statement>[1]) =>
      statementPdf(await ar.statement(sql, q), { createdAt: now() }),
    emailStatement: (q: { side: ar.Side; party: string; from: string; to: string }) =>
      ar.emailStatement(sql, q, now()),
    /** The reminder job: overdue customers, once per their interval (a daily scheduler runs it). */
    runDunning: () => ar.runDunning(sql, now()),
    dunningLog: (party: string) => ar.dunningLog(sql, party),
    openTotal: (side: ar.Side) => ar.openTotal(sql, side),
  };
}
