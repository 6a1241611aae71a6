/** The bank and wallet accounts: each a ledger account with its bank, number and file layout. */
import { z } from "zod";
import type { Db } from "@/services/platform/tx.ts";
import { NotFoundError, ValidationError } from "@/services/platform/errors.ts";
import {
  CSV_PRESETS,
  csvFormatOf,
  csvFormatSchema,
  settlementFormatOf,
  settlementFormatSchema,
} from "./formats.ts";
import { type BankAccount, BankError, type Provider } from "./types.ts";

interface Row {
  id: number;
  account_id: number;
  code: string;
  account_name: string;
  kind: "bank" | "wallet";
  provider: Provider | null;
  bank_name: string;
  account_number: string;
  format: unknown;
  window_days: number;
  opening_balance_minor: string | number;
  settles_to: number | null;
  active: boolean;
}

const toAccount = (r: Row): BankAccount => ({
  id: r.id,
  accountId: r.account_id,
  code: r.code,
  accountName: r.account_name,
  kind: r.kind,
  provider: r.provider,
  bankName: r.bank_name,
  accountNumber: r.account_number,
  format: r.provider ? settlementFormatOf(r.provider, r.format) : csvFormatOf(r.format),
  windowDays: r.window_days,
  openingBalanceMinor: Number(r.opening_balance_minor),
  settlesTo: r.settles_to,
  active: r.active,
});

const select = (db: Db) =>
  db<Row[]>`
    select b.id, b.account_id, a.code, a.name_en as account_name, b.kind, b.provider,
           b.bank_name, b.account_number, b.format, b.window_days, b.opening_balance_minor,
           b.settles_to, b.active
      from acc_bank_accounts b join acc_accounts a on a.id = b.account_id
     order by b.kind, a.code`;

export async function listBankAccounts(db: Db): Promise<BankAccount[]> {
  return (await select(db)).map(toAccount);
}

export async function getBankAccount(db: Db, id: number): Promise<BankAccount> {
  const [r] = await db<Row[]>`
    select b.id, b.account_id, a.code, a.name_en as account_name, b.kind, b.provider,
           b.bank_name, b.account_number, b.format, b.window_days, b.opening_balance_minor,
           b.settles_to, b.active
      from acc_bank_accounts b join acc_accounts a on a.id = b.account_id
     where b.id = ${id}`;
  if (!r) throw new NotFoundError(`No bank account ${id}`);
  return toAccount(r);
}

const money = z.coerce.number().int().min(-1e14).max(1e14);

export const bankAccountSchema = z.object({
  code: z.string().trim().regex(
    /^[0-9A-Z][0-9A-Z.-]{0,19}$/,
    "Digits and capital letters, up to 20",
  ),
  kind: z.enum(["bank", "wallet"]).default("bank"),
  provider: z.enum(["bkash", "nagad", "sslcommerz"]).nullable().default(null),
  bankName: z.string().trim().min(1, "Required").max(120),
  accountNumber: z.string().trim().max(40).default(""),
  windowDays: z.coerce.number().int().min(0).max(60).default(3),
  openingBalanceMinor: money.default(0),
  settlesTo: z.coerce.number().int().positive().nullable().default(null),
  format: z.record(z.string(), z.unknown()).default({}),
});
export type BankAccountInput = z.input<typeof bankAccountSchema>;

function checkedFormat(kind: "bank" | "wallet", provider: Provider | null, f: unknown) {
  const schema = kind === "wallet" ? settlementFormatSchema : csvFormatSchema;
  const preset = (f as { preset?: string })?.preset;
  if (kind === "bank" && !(f as { date?: unknown }).date) {
    // A preset's name alone (or nothing: the generic layout).
    return (CSV_PRESETS[preset ?? ""] ?? CSV_PRESETS.generic).format;
  }
  if (kind === "wallet" && !(f as { date?: unknown }).date) {
    return settlementFormatOf(provider!, f);
  }
  const r = schema.safeParse(f);
  if (!r.success) {
    const fields: Record<string, string> = {};
    for (const i of r.error.issues) fields[`format.${i.path.join(".")}`] ??= i.message;
    throw new ValidationError(fields);
  }
  return r.data;
}

/** Adds a bank or wallet account on a posting account of the chart. */
export async function saveBankAccount(
  db: Db,
  id: number | null,
  input: BankAccountInput,
): Promise<number> {
  const r = bankAccountSchema.safeParse(input);
  if (!r.success) throw ValidationError.fromZod(r.error);
  const v = r.data;
  if ((v.kind === "wallet") !== (v.provider !== null)) {
    throw new ValidationError({ provider: "Choose one" });
  }
  const [acc] = await db<{ id: number; is_group: boolean }[]>`
    select id, is_group from acc_accounts where code = ${v.code}`;
  if (!acc || acc.is_group) {
    throw new BankError("bank_unknown", `No posting account ${v.code}`, { code: v.code }, "code");
  }
  const format = checkedFormat(v.kind, v.provider, v.format);
  try {
    if (id === null) {
      const [row] = await db<{ id: number }[]>`
        insert into acc_bank_accounts (account_id, kind, provider, bank_name, account_number,
                                       format, window_days, opening_balance_minor, settles_to)
        values (${acc.id}, ${v.kind}, ${v.provider}, ${v.bankName}, ${v.accountNumber},
                ${db.json(format as never)}, ${v.windowDays}, ${v.openingBalanceMinor},
                ${v.settlesTo})
        returning id`;
      return row.id;
    }
    const [row] = await db<{ id: number }[]>`
      update acc_bank_accounts set account_id = ${acc.id}, kind = ${v.kind},
             provider = ${v.provider}, bank_name = ${v.bankName},
             account_number = ${v.accountNumber}, format = ${db.json(format as never)},
             window_days = ${v.windowDays}, opening_balance_minor = ${v.openingBalanceMinor},
             settles_to = ${v.settlesTo}
       where id = ${id} returning id`;
    if (!row) throw new NotFoundError(`No bank account ${id}`);
    return row.id;
  } catch (e) {
    if ((e as { code?: string }).code === "23505") {
      throw new ValidationError({ code: "Another bank account uses this ledger account" });
    }
    if ((e as { code?: string }).code === "23503") {
      throw new ValidationError({ settlesTo: "Choose one" });
    }
    throw e;
  }
}
