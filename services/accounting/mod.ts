/**
 * The accounting context's one door (issue 13 §1, the ledger): the chart of accounts, journals,
 * fiscal years (July–June) with monthly periods that are closed and reopened, journal entries in
 * integer poisha (balanced and immutable by the database's own rules), reversals, the opening
 * balances import, the trial balance and the general ledger. Tables `acc_*` (migrations/0500).
 *
 * Other contexts post through the port `accounting.poster` (`post(tx, posting)` in their own
 * transaction, idempotent on source and reference), handed over in contexts.ts.
 *
 *   const accounting = createAccounting({ sql, clock });
 *   await sql.begin((tx) => accounting.poster.post(tx, { source: "shop.order", sourceRef, … }));
 */
import { dhakaDate } from "@/services/platform/dhaka.ts";
import type { Sql } from "@/services/platform/db.ts";
import type { Db } from "@/services/platform/tx.ts";
import * as accounts from "./accounts.ts";
import * as entries from "./entries.ts";
import * as opening from "./opening.ts";
import * as periods from "./periods.ts";
import { poster } from "./poster.ts";
import { createLedgerPort } from "./port.ts";
import * as reports from "./reports.ts";
import * as yearEnd from "./year_end.ts";
import { numberEntries } from "./journal_numbers.ts";
import type { Actor } from "./types.ts";
import { type BankTransfers, createBank } from "./bank/mod.ts";
import * as valuation from "./valuation.ts";
import { inTx } from "@/services/platform/tx.ts";
import { createArap } from "./arap.ts";
import { createFinance } from "./finance.ts";

export interface AccountingDeps {
  sql: Sql;
  clock?: { now(): Date };
  /** The payments context's bank transfers (read when matching; payments is made later). */
  bankTransfers?: () => BankTransfers | undefined;
}

export function createAccounting(deps: AccountingDeps) {
  const { sql } = deps;
  const today = () => dhakaDate(deps.clock?.now() ?? new Date());
  const bind = <A extends unknown[], R>(fn: (db: Db, ...a: A) => R) => (...a: A): R =>
    fn(sql, ...a);
  return {
    today,
    /** The posting port for other contexts: runs in the caller's transaction. */
    poster,
    /** The operations' port (one method per business event, rules in rules/*.ts). */
    ledger: createLedgerPort(poster, deps.clock),
    // chart of accounts and journals
    listAccounts: bind(accounts.listAccounts),
    getAccount: bind(accounts.getAccount),
    accountByCode: bind(accounts.accountByCode),
    createAccount: bind(accounts.createAccount),
    updateAccount: bind(accounts.updateAccount),
    listJournals: bind(accounts.listJournals),
    // entries
    listEntries: bind(entries.listEntries),
    getEntry: bind(entries.getEntry),
    postManual: bind(entries.postManual),
    reverseEntry: (id: number, input: { date?: string; memo?: string }, actor: Actor) =>
      entries.reverseEntry(sql, id, { ...input, date: input.date || today() }, actor),
    // periods
    listPeriods: () => periods.listPeriods(sql, today()),
    addFiscalYear: (actor: Actor) => periods.addFiscalYear(sql, today(), actor),
    closePeriod: (id: number, actor: Actor) => periods.setPeriodStatus(sql, id, "closed", actor),
    reopenPeriod: (id: number, reason: string, actor: Actor) =>
      periods.setPeriodStatus(sql, id, "open", actor, reason),
    // year-end close (year_end.ts)
    listFiscalYears: bind(yearEnd.listFiscalYears),
    closeFiscalYear: (code: string, actor: Actor) => yearEnd.closeFiscalYear(sql, code, actor),
    reopenFiscalYear: (code: string, reason: string, actor: Actor) =>
      yearEnd.reopenFiscalYear(sql, code, reason, actor),
    /** Gives the committed entries their journal numbers (pages showing entries do it too). */
    numberEntries: () => numberEntries(sql),
    // opening balances
    importOpening: bind(opening.importOpening),
    // reports
    trialBalance: bind(reports.trialBalance),
    generalLedger: bind(reports.generalLedger),
    /** Every line of the range (exports follow all pages). */
    wholeGeneralLedger: bind(reports.wholeGeneralLedger),
    /** Folds the posters' per-day deltas into the totals (a minute job; reports do it too). */
    compactTotals: () => reports.compactTotals(sql),
    /** Bank and wallets: statement import, matching, settlements, reconciliation (bank/). */
    bank: createBank({ sql, bankTransfers: deps.bankTransfers }),
    // stock valuation (FIFO or moving average per item, kind or default)
    valuationMethods: () => valuation.listMethods(sql),
    setValuationMethod: (
      input: { scope: string; method: valuation.ValuationMethod | null },
      actor: Actor,
    ) => inTx(sql, (tx) => valuation.setMethod(tx, input, actor)),
    /** Each valued item (quantity, value, method) and the inventory accounts' balances. */
    stockValuation: () => valuation.valuationReport(sql),
    // sales documents (Mushak 6.3/6.7 records), receivables and payables (arap.ts)
    ...createArap(deps),
    // VAT (tax classes, registers, 9.1, 6.6) and statements (finance.ts)
    ...createFinance(sql, today),
  };
}

export type Accounting = ReturnType<typeof createAccounting>;

export { AccountingError, type AccountingErrorCode } from "./errors.ts";
export { ConflictError, NotFoundError, ValidationError } from "@/services/platform/errors.ts";
export { checkPosting, type Poster, poster } from "./poster.ts";
export { fiscalYearOf } from "./periods.ts";
export {
  type BillEvent,
  type CodCollectedEvent,
  type CodHandinEvent,
  createLedgerPort,
  type LedgerPort,
  type PaymentEvent,
  type PaymentsLedger,
  postingDate,
  type PurchaseLedger,
  type ReceiptEvent,
  type RefundEvent,
  type SaleEvent,
  type ShopLedger,
} from "./port.ts";
export { poishaToTaka, takaToPoisha } from "./money.ts";
export type { IntakeLedger, InventoryLedger, ProductionLedger } from "./port.ts";
export type {
  MilkReceivedEvent,
  OperationsLedger,
  PayoutEvent,
  PayoutVia,
  ProductionConsumedEvent,
  ProductionFinishedEvent,
  StockCountedEvent,
  StockIssuedEvent,
  StockLine,
  StockOpenedEvent,
  StockScrappedEvent,
} from "./operations.ts";
export {
  type MethodSetting,
  STOCK_KINDS,
  VALUATION_METHODS,
  type ValuationMethod,
  type ValuationReport,
  type ValuationRow,
} from "./valuation.ts";
export { csvCells, OpeningImportError, type OpeningProblem } from "./opening.ts";
export { trialBalanceCsv } from "./reports.ts";
export { LEDGER_PAGE } from "./reports.ts";
export type { FiscalYear, YearCloseResult } from "./year_end.ts";
export { formatEntryNumber } from "./journal_numbers.ts";
export { seedAccounting } from "./seed.ts";
export { createDemoBooks, type DemoBooks, type DemoBooksPort } from "./demo_books.ts";
export type { GeneralLedger, LedgerLine, TrialBalance, TrialBalanceRow } from "./reports.ts";
export type { EntryFilter, ManualEntryInput } from "./entries.ts";
export type { AccountInput } from "./accounts.ts";
export type {
  Account,
  AccountType,
  Actor,
  Entry,
  EntryLine,
  EntrySummary,
  Journal,
  JournalCode,
  Period,
  PostedEntry,
  Posting,
  PostingLine,
} from "./types.ts";
export { ACCOUNT_TYPES, JOURNALS } from "./types.ts";
export {
  type Bank,
  type BankAccount,
  BankError,
  BankImportError,
  type BankMessages,
  bankMessages,
  type BankTransfers,
  type Candidate,
  CSV_PRESETS,
  DATE_FORMATS,
  type ImportProblem,
  type ImportResult,
  type OpenTransfer,
  type Reconciliation,
  reconciliationCsv,
  SETTLEMENT_PRESETS,
  type StoredLine,
} from "./bank/mod.ts";
export {
  type DocumentFilter,
  dueDateOf,
  type OnAccountCustomer,
  type OnAccountInput,
  PAYMENT_TERMS,
  type PaymentTerms,
  type SalesDocumentRecord,
  salesDocumentsInPeriod,
} from "./invoices.ts";
export {
  type Ageing,
  type AgeingRow,
  type Bucket,
  bucketOf,
  BUCKETS,
  type OpenItem,
  type Party,
  type Side,
  SIDES,
  type Statement,
} from "./receivables.ts";
export { type ArapTexts, arapTexts } from "./arap_messages.ts";
export { type SalesDocument, SalesDocumentView } from "./documents/mod.ts";
export { type AccountingMessages, accountingMessages } from "./messages.ts";
export { type ValuationMessages, valuationMessages } from "./valuation_messages.ts";
/** Query and path ids for the pages (a bad path id is a 404), query text, form tokens. */
export { cleanQuery, formToken, optionalId, pathId } from "@/services/platform/schema.ts";
export { dhakaDate, dhakaTime } from "@/services/platform/dhaka.ts";
export type { Finance } from "./finance.ts";
export * as vatReturns from "./vat/returns.ts";
export type { Register, RegisterRow, VatReturn } from "./vat/returns.ts";
export type { RateOn, TaxClass, TaxKind } from "./vat/tax_classes.ts";
export { bpToPercent, TAX_KINDS } from "./vat/tax_classes.ts";
export type { VatDoc, VatDocumentSources } from "./vat/sources.ts";
export type { Withholding } from "./vat/withholding.ts";
export type {
  BalanceSheet,
  CashFlow,
  FinanceDashboard,
  ProfitAndLoss,
  Range,
  Section,
} from "./statements.ts";
export { type ExportFormat, exportResponse, type ExportTable, toCsv, toXlsx } from "./export.ts";
export * as financeTables from "./finance_tables.ts";
export {
  SALES_DIMENSIONS,
  type SalesDimension,
  type SalesReport,
  type SalesRow,
  type SalesSources,
} from "./sales_report.ts";
export { type FinanceMessages, financeMessages } from "./finance_messages.ts";
/** A plain document (title, headings, a table) as PDF with Bangla shaped: other contexts' papers. */
export { type TableDoc, tablePdf } from "./documents/pdf/table.ts";
