/**
 * Farmer statements every ten days (1–10, 11–20, 21–end of month; Asia/Dhaka dates): litres,
 * litre-weighted average fat and SNF of the accepted milk, the amount in poisha, deductions and
 * the net; rejected deliveries are listed but pay nothing. Statements are (re)built for a period
 * once it is over, until they are paid; payouts mark them paid and go out as a bKash
 * disbursement file or a bank list (CSV).
 */
import { bigId, isoDate, text, z } from "@/services/platform/schema.ts";
import { NotFoundError, parseInput } from "@/services/platform/errors.ts";
import { dhakaDate } from "@/services/platform/dhaka.ts";
import { appendAudit } from "@/services/audit/mod.ts";
import { type Db, inTx } from "@/services/platform/tx.ts";
import { assertIntakeStaff, num } from "./db.ts";
import { IntakeError } from "./errors.ts";
import { periodOf, takaPlain } from "./pricing.ts";
import type { IntakeActor, IntakeLedger } from "./ports.ts";
import type { Keyring } from "@/services/crypto/field_crypto.ts";
import { openBkash } from "./farmer_numbers.ts";

export interface Statement {
  id: number;
  farmerId: number;
  farmerCode: string;
  farmerName: string;
  bkash: string | null;
  bankName: string | null;
  bankAccount: string | null;
  periodStart: string;
  periodEnd: string;
  litres: number;
  avgFat: number | null;
  avgSnf: number | null;
  deliveries: number;
  rejected: number;
  grossMinor: number;
  deductionsMinor: number;
  netMinor: number;
  status: "open" | "paid";
  paidAt: Date | null;
  paidVia: string | null;
  paidRef: string | null;
}

const toStatement = async (keyring: Keyring, r: Record<string, any>): Promise<Statement> => ({
  id: Number(r.id),
  farmerId: r.farmer_id,
  farmerCode: r.code,
  farmerName: r.name,
  bkash: await openBkash(keyring, r),
  bankName: r.bank_name,
  bankAccount: r.bank_account,
  periodStart: r.period_start,
  periodEnd: r.period_end,
  litres: num(r.litres)!,
  avgFat: num(r.avg_fat),
  avgSnf: num(r.avg_snf),
  deliveries: r.deliveries,
  rejected: r.rejected,
  grossMinor: Number(r.gross_minor),
  deductionsMinor: Number(r.deductions_minor),
  netMinor: Number(r.net_minor),
  status: r.status,
  paidAt: r.paid_at,
  paidVia: r.paid_via,
  paidRef: r.paid_ref,
});

export const periodSchema = z.object({ day: isoDate() });

/**
 * Builds (or rebuilds, while unpaid) the statements of the period `day` falls in, for every
 * farmer with deliveries or deductions in it. The period must be over (Dhaka).
 */
export async function buildStatements(
  db: Db,
  input: Record<string, unknown>,
  actor: IntakeActor,
  now: Date,
): Promise<{ periodStart: string; periodEnd: string; statements: number }> {
  assertIntakeStaff(actor);
  const { day } = parseInput(periodSchema, input);
  const p = periodOf(day);
  if (p.end >= dhakaDate(now)) {
    throw new IntakeError("period_open", `The period ${p.start} – ${p.end} is not over yet`, {
      start: p.start,
      end: p.end,
    }, "day");
  }
  return await inTx(db, async (tx) => {
    const rows = await tx`
      with d as (
        select farmer_id,
          coalesce(sum(litres) filter (where status = 'accepted'), 0) as litres,
          sum(fat_pct * litres) filter (where status = 'accepted') as fat_l,
          sum(snf_pct * litres) filter (where status = 'accepted') as snf_l,
          count(*)::int as n,
          (count(*) filter (where status = 'rejected'))::int as rejected,
          coalesce(sum(amount_minor), 0) as gross
        from intake_deliveries where delivered_on between ${p.start} and ${p.end}
        group by farmer_id
      ), x as (
        select farmer_id, sum(amount_minor) as deductions from intake_deductions
        where on_date between ${p.start} and ${p.end} group by farmer_id
      )
      select coalesce(d.farmer_id, x.farmer_id) as farmer_id, coalesce(d.litres, 0) as litres,
        case when d.litres > 0 then round(d.fat_l / d.litres, 2) end as avg_fat,
        case when d.litres > 0 then round(d.snf_l / d.litres, 2) end as avg_snf,
        coalesce(d.n, 0) as n, coalesce(d.rejected, 0) as rejected,
        coalesce(d.gross, 0) as gross, coalesce(x.deductions, 0) as deductions
      from d full join x on x.farmer_id = d.farmer_id`;
    let n = 0;
    for (const r of rows) {
      const gross = Number(r.gross), deductions = Number(r.deductions);
      const values = {
        farmer_id: r.farmer_id,
        period_start: p.start,
        period_end: p.end,
        litres: r.litres,
        avg_fat: r.avg_fat,
        avg_snf: r.avg_snf,
        deliveries: r.n,
        rejected: r.rejected,
        gross_minor: gross,
        deductions_minor: deductions,
        net_minor: gross - deductions,
        created_at: now,
      };
      const [s] = await tx`
        insert into intake_statements ${tx(values)}
        on conflict (farmer_id, period_start) do update set
          litres = excluded.litres, avg_fat = excluded.avg_fat, avg_snf = excluded.avg_snf,
          deliveries = excluded.deliveries, rejected = excluded.rejected,
          gross_minor = excluded.gross_minor, deductions_minor = excluded.deductions_minor,
          net_minor = excluded.net_minor, created_at = excluded.created_at
        where intake_statements.status = 'open'
        returning id`;
      if (!s) continue; // paid already: never changed
      n++;
      await tx`update intake_deliveries set statement_id = ${s.id}
        where farmer_id = ${r.farmer_id} and delivered_on between ${p.start} and ${p.end}`;
      await tx`update intake_deductions set statement_id = ${s.id}
        where farmer_id = ${r.farmer_id} and on_date between ${p.start} and ${p.end}`;
    }
    await appendAudit(tx, {
      actorId: actor.id,
      action: "intake.statements.build",
      entity: "intake_period",
      entityId: p.start,
      data: { ...p, statements: n },
      at: now,
    });
    return { periodStart: p.start, periodEnd: p.end, statements: n };
  });
}

export async function listStatements(
  db: Db,
  keyring: Keyring,
  q: { periodStart?: string; farmerId?: number; status?: "open" | "paid" } = {},
): Promise<Statement[]> {
  const rows = await db`
    select s.*, s.period_start::text as period_start, s.period_end::text as period_end,
      f.code, f.name, f.bkash, f.bkash_enc, f.bank_name, f.bank_account
    from intake_statements s join intake_farmers f on f.id = s.farmer_id
    where (${q.periodStart ?? null}::date is null or s.period_start = ${
    q.periodStart ?? null
  }::date)
      and (${q.farmerId ?? null}::int is null or s.farmer_id = ${q.farmerId ?? null}::int)
      and (${q.status ?? null}::text is null or s.status = ${q.status ?? null}::text)
    order by s.period_start desc, f.name limit 1000`;
  return await Promise.all(rows.map((r) => toStatement(keyring, r)));
}

export async function getStatement(db: Db, keyring: Keyring, id: number): Promise<Statement> {
  const [r] = await db`
    select s.*, s.period_start::text as period_start, s.period_end::text as period_end,
      f.code, f.name, f.bkash, f.bkash_enc, f.bank_name, f.bank_account
    from intake_statements s join intake_farmers f on f.id = s.farmer_id where s.id = ${id}`;
  if (!r) throw new NotFoundError("No such statement");
  return await toStatement(keyring, r);
}

export const PAY_METHODS = ["bkash", "bank", "cash"] as const;
export const markPaidSchema = z.object({
  ids: z.preprocess(
    (v) => (Array.isArray(v) ? v : v === undefined || v === "" ? [] : [v]),
    z.array(bigId("Choose statements")).min(1, "Choose statements").max(1000),
  ),
  via: z.enum(PAY_METHODS, { error: "Choose how it was paid" }),
  ref: z.preprocess((v) => (v === "" ? null : v), text(80).nullish()),
});

/** Marks open statements paid (all or none: a paid one among them is refused). */
export async function markPaid(
  db: Db,
  input: Record<string, unknown>,
  actor: IntakeActor,
  now: Date,
  ledger?: IntakeLedger,
): Promise<{ paid: number; totalMinor: number }> {
  assertIntakeStaff(actor);
  const m = parseInput(markPaidSchema, input);
  return await inTx(db, async (tx) => {
    const rows = await tx`
      select id, status, net_minor, gross_minor, deductions_minor, farmer_id,
        period_start::text as period_start
      from intake_statements where id = any(${m.ids}::bigint[])
      order by id for update`;
    if (rows.length !== new Set(m.ids).size) throw new NotFoundError("No such statement");
    if (rows.some((r) => r.status === "paid")) {
      throw new IntakeError("already_paid", "A chosen statement is paid already", {}, "ids");
    }
    await tx`
      update intake_statements set status = 'paid', paid_at = ${now}, paid_via = ${m.via},
        paid_ref = ${m.ref ?? null}, paid_by = ${actor.id}
      where id = any(${m.ids}::bigint[])`;
    for (const r of ledger ? rows : []) {
      await ledger!.farmerPaid(tx, {
        statementId: Number(r.id),
        farmerId: Number(r.farmer_id),
        periodStart: r.period_start,
        grossMinor: Number(r.gross_minor),
        deductionsMinor: Number(r.deductions_minor),
        via: m.via,
        ref: m.ref ?? null,
      });
    }
    const total = rows.reduce((s, r) => s + Number(r.net_minor), 0);
    await appendAudit(tx, {
      actorId: actor.id,
      action: "intake.statements.paid",
      entity: "intake_statement",
      entityId: m.ids.join(",").slice(0, 200),
      data: { ids: m.ids, via: m.via, ref: m.ref ?? null, totalMinor: total },
      at: now,
    });
    return { paid: rows.length, totalMinor: total };
  });
}

/** A CSV cell: quoted when needed; a leading = + - @ is defused for spreadsheets. */
function cell(v: string): string {
  const s = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
const csv = (rows: string[][]) => rows.map((r) => r.map(cell).join(",")).join("\r\n") + "\r\n";

export const payoutFileSchema = z.object({
  day: isoDate(),
  kind: z.enum(["bkash", "bank"]),
});

/**
 * The open statements of a period with something to pay, as a disbursement file: bKash
 * (wallet, amount in taka with 2 decimals, reference) for farmers with a wallet, or a bank list
 * for those with an account (and no wallet).
 */
export async function payoutFile(
  db: Db,
  keyring: Keyring,
  input: Record<string, unknown>,
): Promise<{ filename: string; csv: string; count: number; totalMinor: number }> {
  const f = parseInput(payoutFileSchema, input);
  const p = periodOf(f.day);
  const open = (await listStatements(db, keyring, { periodStart: p.start, status: "open" }))
    .filter((s) => s.netMinor > 0);
  const ref = (s: Statement) => `SD-${s.periodStart.replaceAll("-", "")}-${s.farmerCode}`;
  const chosen = f.kind === "bkash"
    ? open.filter((s) => s.bkash)
    : open.filter((s) => !s.bkash && s.bankAccount);
  const rows = f.kind === "bkash"
    ? [
      ["wallet", "amount", "reference"],
      ...chosen.map((s) => [
        s.bkash!,
        takaPlain(s.netMinor),
        ref(s),
      ]),
    ]
    : [
      ["name", "bank", "account", "amount", "reference"],
      ...chosen.map((s) => [
        s.farmerName,
        s.bankName ?? "",
        s.bankAccount!,
        takaPlain(s.netMinor),
        ref(s),
      ]),
    ];
  return {
    filename: `${f.kind}-payout-${p.start}.csv`,
    csv: csv(rows),
    count: chosen.length,
    totalMinor: chosen.reduce((s, x) => s + x.netMinor, 0),
  };
}
