/** The chart of accounts: list, create and edit (code, names, type, parent, heading, active). */
import { appendAudit } from "@/services/audit/mod.ts";
import { parseInput } from "@/services/platform/errors.ts";
import { z } from "@/services/platform/schema.ts";
import { inTx } from "@/services/platform/tx.ts";
import type { Db } from "@/services/platform/tx.ts";
import { AccountingError } from "./errors.ts";
import { type Account, ACCOUNT_TYPES, type Actor, type Journal } from "./types.ts";

interface AccountRow {
  id: number;
  code: string;
  name_en: string;
  name_bn: string;
  type: Account["type"];
  parent_id: number | null;
  parent_code: string | null;
  is_group: boolean;
  active: boolean;
}

const toAccount = (r: AccountRow): Account => ({
  id: r.id,
  code: r.code,
  nameEn: r.name_en,
  nameBn: r.name_bn,
  type: r.type,
  parentId: r.parent_id,
  parentCode: r.parent_code,
  isGroup: r.is_group,
  active: r.active,
});

/** Every account by code (headings included), for the chart and the forms. */
export async function listAccounts(db: Db): Promise<Account[]> {
  const rows = await db<AccountRow[]>`
    select a.id, a.code, a.name_en, a.name_bn, a.type, a.parent_id, p.code as parent_code,
           a.is_group, a.active
      from acc_accounts a left join acc_accounts p on p.id = a.parent_id
     order by a.code`;
  return rows.map(toAccount);
}

export async function getAccount(db: Db, id: number): Promise<Account | null> {
  const [r] = await db<AccountRow[]>`
    select a.id, a.code, a.name_en, a.name_bn, a.type, a.parent_id, p.code as parent_code,
           a.is_group, a.active
      from acc_accounts a left join acc_accounts p on p.id = a.parent_id
     where a.id = ${id}`;
  return r ? toAccount(r) : null;
}

export async function accountByCode(db: Db, code: string): Promise<Account | null> {
  const [r] = await db<{ id: number }[]>`select id from acc_accounts where code = ${code}`;
  return r ? await getAccount(db, r.id) : null;
}

export async function listJournals(db: Db): Promise<Journal[]> {
  const rows = await db<
    { code: Journal["code"]; name_en: string; name_bn: string; kind: string }[]
  >`
    select code, name_en, name_bn, kind from acc_journals order by code`;
  return rows.map((r) => ({ code: r.code, nameEn: r.name_en, nameBn: r.name_bn, kind: r.kind }));
}

const accountSchema = z.object({
  code: z.string().trim().toUpperCase().regex(
    /^[0-9A-Z][0-9A-Z.-]{0,19}$/,
    "Digits and capital letters, up to 20",
  ),
  nameEn: z.string().trim().min(1, "Required").max(120),
  nameBn: z.string().trim().min(1, "Required").max(120),
  type: z.enum(ACCOUNT_TYPES, { message: "Choose one" }),
  parentCode: z.string().trim().max(20).optional().default(""),
  isGroup: z.boolean().optional().default(false),
  active: z.boolean().optional().default(true),
});
export type AccountInput = z.input<typeof accountSchema>;

async function parentOf(db: Db, code: string, type: string, selfId?: number) {
  if (!code) return null;
  const [p] = await db<{ id: number; type: string; is_group: boolean }[]>`
    select id, type, is_group from acc_accounts where code = ${code}`;
  if (!p || !p.is_group || p.type !== type || p.id === selfId) {
    throw new AccountingError(
      "parent_invalid",
      "The parent must be a heading of the same type",
      { code },
      "parentCode",
    );
  }
  if (selfId) {
    // Not under itself: walk up from the new parent.
    const [loop] = await db<{ hit: boolean }[]>`
      with recursive up(id, parent_id) as (
        select id, parent_id from acc_accounts where id = ${p.id}
        union all select a.id, a.parent_id from acc_accounts a join up on a.id = up.parent_id)
      select exists (select 1 from up where id = ${selfId}) as hit`;
    if (loop.hit) {
      throw new AccountingError("parent_invalid", "An account cannot sit under itself", {
        code,
      }, "parentCode");
    }
  }
  return p.id;
}

export async function createAccount(db: Db, input: AccountInput, actor: Actor): Promise<Account> {
  const v = parseInput(accountSchema, input);
  return await inTx(db, async (tx) => {
    const parentId = await parentOf(tx, v.parentCode, v.type);
    const [row] = await tx<{ id: number }[]>`
      insert into acc_accounts (code, name_en, name_bn, type, parent_id, is_group, active)
      values (${v.code}, ${v.nameEn}, ${v.nameBn}, ${v.type}, ${parentId}, ${v.isGroup},
              ${v.active})
      on conflict (code) do nothing returning id`;
    if (!row) {
      throw new AccountingError(
        "code_taken",
        `The code ${v.code} is taken`,
        { code: v.code },
        "code",
      );
    }
    await appendAudit(tx, {
      actorId: actor.id,
      action: "accounting.account.create",
      entity: "acc_account",
      entityId: row.id,
      data: v,
    });
    return (await getAccount(tx, row.id))!;
  });
}

/** Edits names, parent, heading flag and active; the code and type stay once posted to. */
export async function updateAccount(
  db: Db,
  id: number,
  input: AccountInput,
  actor: Actor,
): Promise<Account> {
  const v = parseInput(accountSchema, input);
  return await inTx(db, async (tx) => {
    const [cur] = await tx<{ code: string; type: string }[]>`
      select code, type from acc_accounts where id = ${id} for update`;
    if (!cur) throw new AccountingError("invalid", "No such account");
    const [used] = await tx<{ used: boolean }[]>`
      select exists (select 1 from acc_daily_totals where account_id = ${id})
          or exists (select 1 from acc_daily_deltas where account_id = ${id}) as used`;
    if (used.used && (cur.code !== v.code || cur.type !== v.type)) {
      throw new AccountingError(
        "invalid",
        "Entries are posted to this account: its code and type cannot change",
        {},
        cur.code !== v.code ? "code" : "type",
      );
    }
    if (used.used && v.isGroup) {
      throw new AccountingError(
        "invalid",
        "Entries are posted to this account: it cannot become a heading",
        {},
        "isGroup",
      );
    }
    const parentId = await parentOf(tx, v.parentCode, v.type, id);
    const [clash] = await tx`select 1 from acc_accounts where code = ${v.code} and id <> ${id}`;
    if (clash) {
      throw new AccountingError(
        "code_taken",
        `The code ${v.code} is taken`,
        { code: v.code },
        "code",
      );
    }
    await tx`update acc_accounts set code = ${v.code}, name_en = ${v.nameEn},
                    name_bn = ${v.nameBn}, type = ${v.type}, parent_id = ${parentId},
                    is_group = ${v.isGroup}, active = ${v.active}
              where id = ${id}`;
    await appendAudit(tx, {
      actorId: actor.id,
      action: "accounting.account.update",
      entity: "acc_account",
      entityId: id,
      data: v,
    });
    return (await getAccount(tx, id))!;
  });
}
