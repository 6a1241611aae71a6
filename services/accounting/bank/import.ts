/**
 * One statement import for every bank and wallet account (the payments context's bank transfers
 * included: their credits are matched from here, see matching.ts).
 *
 * - A bank account takes its CSV layout or a camt.053 XML file. Each line is stored once: a
 *   fingerprint of date, amount, reference and description (and which identical line of the
 *   file it is) is unique per account, so the same file, an overlapping export, or the camt.053
 *   twin of a CSV already imported adds nothing twice.
 * - A wallet account takes its provider's settlement report: each settlement (unique per wallet
 *   and reference) posts Dr bank (net) + Dr provider fees / Cr wallet (gross) through the poster.
 *
 * A bad file is refused whole with every problem by line (BankImportError, 422).
 */
import { appendAudit } from "@/services/audit/mod.ts";
import { inTx } from "@/services/platform/tx.ts";
import type { Sql, Tx } from "@/services/platform/db.ts";
import { postMany } from "../poster.ts";
import { settlementEntry } from "../rules/bank.ts";
import type { Actor } from "../types.ts";
import { getBankAccount } from "./accounts.ts";
import {
  type CsvFormat,
  parseSettlementReport,
  parseStatement,
  type SettlementFormat,
  type StatementLine,
} from "./formats.ts";
import { BankError, type ImportResult } from "./types.ts";

async function sha256(text: string): Promise<string> {
  const d = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(d), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Fingerprints of a file's lines: the nth identical line of a file is its own line. */
export async function fingerprints(lines: StatementLine[]): Promise<string[]> {
  const seen = new Map<string, number>();
  return await Promise.all(lines.map((l) => {
    const base = `${l.valueDate}|${l.amountMinor}|${l.reference.trim().toUpperCase()}|${
      l.description.trim().replace(/\s+/g, " ").toUpperCase()
    }`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return sha256(`${base}|${n}`);
  }));
}

export interface ImportInput {
  bankAccountId: number;
  text: string;
  fileName?: string;
}

export interface Imported extends Omit<ImportResult, "matched" | "review"> {
  /** The new statement lines (to match). */
  newLineIds: number[];
  /** The bank accounts whose queue should be matched again (a settlement's bank). */
  rematch: number[];
}

/** The import's row, before its lines are added (its counts come with closeImport). */
async function openImport(
  tx: Tx,
  accountId: number,
  kind: string,
  fileName: string,
  lineCount: number,
  actor: Actor,
  statedClosing: { minor: number; on: string } | null = null,
): Promise<number> {
  const [imp] = await tx<{ id: string }[]>`
    insert into acc_statement_imports (bank_account_id, kind, file_name, line_count,
                                       added_count, duplicate_count, stated_closing_minor,
                                       stated_closing_on, imported_by, imported_by_name)
    values (${accountId}, ${kind}, ${fileName}, ${lineCount}, 0, 0,
            ${statedClosing?.minor ?? null}, ${statedClosing?.on ?? null},
            ${actor.id}, ${actor.name})
    returning id`;
  return Number(imp.id);
}

/** The import's counts (lines added, duplicates left out) and its audit line. */
async function closeImport(
  tx: Tx,
  importId: number,
  actor: Actor,
  data: { account: string; kind: string; lines: number; added: number },
) {
  await tx`
    update acc_statement_imports set added_count = ${data.added},
           duplicate_count = ${data.lines - data.added}
     where id = ${importId}`;
  await appendAudit(tx, {
    actorId: actor.id,
    action: "accounting.bank.import",
    entity: "acc_statement_import",
    entityId: importId,
    data,
  });
}

export async function importFile(sql: Sql, input: ImportInput, actor: Actor): Promise<Imported> {
  if (!input.text.trim()) throw new BankError("no_text", "Choose a file to import", {}, "file");
  const account = await getBankAccount(sql, input.bankAccountId);
  const fileName = (input.fileName ?? "").slice(0, 200);
  if (account.kind === "wallet") {
    const rows = parseSettlementReport(input.text, account.format as SettlementFormat);
    if (!account.settlesTo) {
      throw new BankError(
        "wallet_import",
        "Say which bank account this wallet settles to",
        {},
        "settlesTo",
      );
    }
    const bank = await getBankAccount(sql, account.settlesTo);
    return await inTx(sql, async (tx) => {
      const importId = await openImport(tx, account.id, "settlement", fileName, rows.length, actor);
      const known = new Set(
        (await tx<{ reference: string }[]>`
          select reference from acc_settlements
           where wallet_id = ${account.id} and reference = any(${
          rows.map((r) => r.reference)
        }::text[])`)
          .map((r) => r.reference),
      );
      const todo = rows.filter((r) => !known.has(r.reference));
      const posted = await postMany(
        tx,
        todo.map((r) => ({
          ...settlementEntry({
            walletCode: account.code,
            bankCode: bank.code,
            provider: account.provider!,
            reference: r.reference,
            settledOn: r.settledOn,
            grossMinor: r.grossMinor,
            feeMinor: r.feeMinor,
            netMinor: r.netMinor,
          }),
          actor,
        })),
      );
      if (todo.length) {
        await tx`
          insert into acc_settlements (wallet_id, bank_id, reference, settled_on, gross_minor,
                                       fee_minor, net_minor, entry_id, import_id)
          select ${account.id}, ${bank.id}, x.reference, x.settled_on, x.gross, x.fee, x.net,
                 x.entry_id, ${importId}
            from unnest(${todo.map((r) => r.reference)}::text[],
                        ${todo.map((r) => r.settledOn)}::date[],
                        ${todo.map((r) => r.grossMinor)}::bigint[],
                        ${todo.map((r) => r.feeMinor)}::bigint[],
                        ${todo.map((r) => r.netMinor)}::bigint[],
                        ${posted.map((p) => p.id)}::bigint[])
                 as x(reference, settled_on, gross, fee, net, entry_id)
          on conflict (wallet_id, reference) do nothing`;
      }
      await closeImport(tx, importId, actor, {
        account: account.code,
        kind: "settlement",
        lines: rows.length,
        added: todo.length,
      });
      return {
        importId,
        kind: "settlement" as const,
        lines: rows.length,
        added: todo.length,
        duplicates: rows.length - todo.length,
        settlementsPosted: posted.filter((p) => p.created).length,
        newLineIds: [],
        rematch: [bank.id],
      };
    });
  }

  const parsed = parseStatement(input.text, account.format as CsvFormat);
  const prints = await fingerprints(parsed.lines);
  return await inTx(sql, async (tx) => {
    const importId = await openImport(
      tx,
      account.id,
      parsed.kind,
      fileName,
      parsed.lines.length,
      actor,
      parsed.statedClosing,
    );
    const ls = parsed.lines;
    const added = await tx<{ id: string }[]>`
      insert into acc_statement_lines (bank_account_id, import_id, value_date, amount_minor,
                                       reference, description, balance_minor, fingerprint)
      select ${account.id}, ${importId}, x.d, x.a, x.r, x.t, x.b, x.f
        from unnest(${ls.map((l) => l.valueDate)}::date[], ${
      ls.map((l) => l.amountMinor)
    }::bigint[],
                    ${ls.map((l) => l.reference)}::text[], ${ls.map((l) => l.description)}::text[],
                    ${ls.map((l) => l.balanceMinor)}::bigint[], ${prints}::text[])
             with ordinality as x(d, a, r, t, b, f, n)
       order by x.n
      on conflict (bank_account_id, fingerprint) do nothing
      returning id`;
    await closeImport(tx, importId, actor, {
      account: account.code,
      kind: parsed.kind,
      lines: ls.length,
      added: added.length,
    });
    return {
      importId,
      kind: parsed.kind,
      lines: ls.length,
      added: added.length,
      duplicates: ls.length - added.length,
      settlementsPosted: 0,
      newLineIds: added.map((r) => Number(r.id)).sort((a, b) => a - b),
      rematch: [],
    };
  });
}
