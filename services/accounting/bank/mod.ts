/**
 * Bank and wallets (issue 13 §5), reached through the accounting door as `accounting.bank`:
 * bank and wallet accounts with their file layouts, one statement import (CSV per bank, camt.053,
 * the providers' settlement reports), matching with a review queue, and the reconciliation
 * report. Tables `acc_bank_accounts`, `acc_statement_imports`, `acc_statement_lines`,
 * `acc_settlements` (migrations/0530).
 *
 * Customers' bank transfers: the payments context hands over `bankTransfers` (contexts.ts); its
 * old statement page leads here, so there is one import and one queue.
 */
import type { Sql } from "@/services/platform/db.ts";
import type { Actor } from "../types.ts";
import {
  type BankAccountInput,
  getBankAccount,
  listBankAccounts,
  saveBankAccount,
} from "./accounts.ts";
import { importFile, type ImportInput } from "./import.ts";
import {
  autoMatch,
  candidates,
  getLine,
  listLines,
  type MatchDeps,
  matchLine,
  postLine,
  recentlyReconciled,
  unmatchLine,
} from "./matching.ts";
import { reconciliation } from "./reconciliation.ts";
import type { BankTransfers, ImportResult, StoredLine } from "./types.ts";

export interface BankDeps {
  sql: Sql;
  /** The payments context's port, read when needed (payments is made after accounting). */
  bankTransfers?: () => BankTransfers | undefined;
}

export function createBank(deps: BankDeps) {
  const { sql } = deps;
  const m: MatchDeps = deps;
  return {
    listAccounts: () => listBankAccounts(sql),
    getAccount: (id: number) => getBankAccount(sql, id),
    saveAccount: (id: number | null, input: BankAccountInput) => saveBankAccount(sql, id, input),
    /**
     * Imports a statement or settlement report, then matches what the rules can: the new lines,
     * and (after settlements) the queue of the bank they were paid into.
     */
    async importFile(input: ImportInput, actor: Actor): Promise<ImportResult> {
      const r = await importFile(sql, input, actor);
      const a = r.newLineIds.length
        ? await autoMatch(m, { lineIds: r.newLineIds }, actor)
        : { matched: 0, review: 0 };
      const b = r.rematch.length
        ? await autoMatch(m, { bankAccountIds: r.rematch }, actor)
        : { matched: 0, review: 0 };
      const { newLineIds: _n, rematch: _r, ...rest } = r;
      return { ...rest, matched: a.matched + b.matched, review: a.review };
    },
    /** The review queue (unmatched lines), oldest first. */
    queue: (bankAccountId?: number) => listLines(sql, { bankAccountId, status: "unmatched" }),
    lines: (q: { bankAccountId?: number; status?: StoredLine["status"]; limit?: number }) =>
      listLines(sql, q),
    line: (id: number) => getLine(sql, id),
    /** The lines reconciled most recently (matched or posted), newest first. */
    recent: (bankAccountId?: number, limit?: number) =>
      recentlyReconciled(sql, bankAccountId, limit),
    candidates: async (lineId: number) => candidates(m, await getLine(sql, lineId)),
    match: (lineId: number, key: string, actor: Actor) => matchLine(m, lineId, key, actor),
    postLine: (lineId: number, input: { account: string; memo?: string }, actor: Actor) =>
      postLine(sql, lineId, input, actor),
    unmatch: (lineId: number) => unmatchLine(sql, lineId),
    /** Runs the automatic rules over an account's queue again. */
    rematch: (bankAccountId: number, actor: Actor) =>
      autoMatch(m, { bankAccountIds: [bankAccountId] }, actor),
    reconciliation: (bankAccountId: number, from: string, to: string) =>
      reconciliation(sql, bankAccountId, from, to),
  };
}

export type Bank = ReturnType<typeof createBank>;

export type {
  BankAccount,
  BankTransfers,
  Candidate,
  ImportResult,
  OpenTransfer,
  StoredLine,
} from "./types.ts";
export { BankError } from "./types.ts";
export {
  BankImportError,
  CSV_PRESETS,
  DATE_FORMATS,
  type ImportProblem,
  parseCamt053,
  parseCsvStatement,
  parseSettlementReport,
  SETTLEMENT_PRESETS,
} from "./formats.ts";
export { type Reconciliation, reconciliationCsv } from "./reconciliation.ts";
export { type BankMessages, bankMessages } from "./messages.ts";
