/**
 * What the B2B context's money and documents need from other contexts (issue 14 §5–6), handed
 * over in contexts.ts: accounting's door (open items, allocation, credit notes, the Mushak
 * documents and statements as PDF), payments' door (payments on account), inventory's port (the
 * lots an order took, goods back to their lot) and notify's outbox (receipts by SMS).
 */
import type { Db, Tx } from "@/services/platform/tx.ts";
import type { InventoryPort } from "@/services/inventory/mod.ts";
import type { OpenItem, SalesDocumentRecord } from "@/services/accounting/mod.ts";
import type { OnAccountReceipt } from "@/services/payments/mod.ts";

export interface MoneyDeps {
  books: {
    openItems(q: { side: "receivable"; party: string }, db?: Db): Promise<OpenItem[]>;
    allocate(
      input: { side: "receivable"; chargeId: number; settleId: number; amountMinor: number },
      actor: { id: string | null; name: string },
      db?: Db,
    ): Promise<unknown>;
    issueCreditNote(
      input: {
        invoiceNumber: string;
        reason: { en: string; bn?: string };
        quantities?: Record<number, string>;
        sourceRef?: string;
      },
      actor: { id: string | null; name: string },
      db?: Db,
    ): Promise<SalesDocumentRecord>;
    getDocument(number: string): Promise<SalesDocumentRecord | null>;
    documentPdf(d: SalesDocumentRecord, lang?: "en" | "bn"): Promise<Uint8Array>;
    statementPdf(
      q: { side: "receivable"; party: string; from: string; to: string; lang?: "en" | "bn" },
    ): Promise<Uint8Array>;
  };
  payments: {
    /** An online payment on account; returns its id. */
    startOnAccount(input: {
      userId: string;
      party: string;
      method: "bkash" | "nagad" | "sslcommerz";
      amountMinor: number;
      invoices: string[];
    }): Promise<string>;
    /** The provider's page for a payment (null: could not start). */
    redirectOf(paymentId: string): Promise<string | null>;
    /** Money received on account (bank transfer, cash), posted in the caller's transaction. */
    record(tx: Tx, input: OnAccountReceipt): Promise<{ paymentId: string; duplicate: boolean }>;
    list(party: string): Promise<
      { id: string; method: string; status: string; amountMinor: number; at: Date }[]
    >;
  };
  stock: Pick<InventoryPort, "picksOf" | "returnToLot">;
  /** A text message into the outbox (in the caller's transaction). */
  sms(tx: Tx, m: { to: string; body: string; locale: "en" | "bn"; dedupeKey: string }): Promise<
    void
  >;
}
