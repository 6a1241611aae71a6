/**
 * Receivables and payables (issue 13 §4). The open items are made by the database from the
 * journal lines on the control accounts (1210 and 1220 receivable, 2110 payable; migrations/0520),
 * so each control account always equals the sum of its open items, whoever posted. An item's
 * amount is what the party owes us (receivable) or we owe the party (payable); negative items are
 * payments and credits. An order's items settle each other automatically; everything else is
 * allocated here (partly, and a payment larger than the invoices stays open as a credit on
 * account).
 *
 * The party of an item is its partner (`b2b:17`, `supplier:12`) or, for an order's lines, the
 * order's customer (acc_partner_links).
 */
import type { Db, Tx } from "@/services/platform/tx.ts";
import { inTx } from "@/services/platform/tx.ts";
import { daysBetween, dhakaDate } from "@/services/platform/dhaka.ts";
import { toMinor } from "@/services/platform/db.ts";
import { ConflictError, NotFoundError, ValidationError } from "@/services/platform/errors.ts";
import { MONEY_MAX } from "@/services/platform/schema.ts";
import { enqueueMessage } from "@/services/notify/mod.ts";
import { formatTaka } from "@/services/i18n/mod.ts";
import type { Actor } from "./types.ts";
import { arapTexts } from "./arap_messages.ts";

export type Side = "receivable" | "payable";
export const SIDES: readonly Side[] = ["receivable", "payable"];

export interface OpenItem {
  id: number;
  side: Side;
  party: string;
  partnerRef: string | null;
  date: string;
  dueDate: string;
  source: string;
  sourceRef: string;
  memo: string;
  /** The sales document's number, when the item is an invoice or credit note. */
  documentNumber: string | null;
  amountMinor: number;
  /** Open as of the date asked (today when not given). */
  openMinor: number;
  entryId: number;
}

export interface Party {
  ref: string;
  side: Side;
  name: string;
  nameBn: string;
  email: string | null;
  phone: string | null;
  lang: "en" | "bn";
  dunningIntervalDays: number;
}

// deno-lint-ignore no-explicit-any
type Row = Record<string, any>;

const PARTY = `coalesce(pl.party_ref, i.partner_ref, '-')`;

/** Items of a side as of a date: open amount = amount less allocations effective by then. */
async function itemsAsOf(
  db: Db,
  side: Side,
  asOf: string,
  opts: { party?: string; from?: string; openOnly?: boolean } = {},
): Promise<OpenItem[]> {
  const args: (string | number)[] = [side, asOf];
  let extra = "";
  if (opts.party) {
    args.push(opts.party);
    extra += ` and ${PARTY} = $${args.length}`;
  }
  if (opts.from) {
    args.push(opts.from);
    extra += ` and i.item_date >= $${args.length}::date`;
  }
  const rows = await db.unsafe(
    `
    with a as (
      select item, sum(amt) as amt from (
        select charge_item_id as item, amount_minor as amt from acc_allocations
         where effective_on <= $2::date
        union all
        select settle_item_id, -amount_minor from acc_allocations where effective_on <= $2::date
      ) x group by item
    )
    select i.id, i.side, ${PARTY} as party, i.partner_ref,
           to_char(i.item_date, 'YYYY-MM-DD') as date, to_char(i.due_date, 'YYYY-MM-DD') as due,
           i.source, i.source_ref, i.memo, d.number as doc_number, i.amount_minor,
           i.amount_minor - coalesce(a.amt, 0) as open_minor, i.entry_id
      from acc_open_items i
      left join acc_partner_links pl on pl.partner_ref = i.partner_ref
      left join acc_sales_documents d on d.id = i.document_id
      left join a on a.item = i.id
     where i.side = $1 and i.item_date <= $2::date${extra}
       ${opts.openOnly ? "and i.amount_minor - coalesce(a.amt, 0) <> 0" : ""}
     order by i.item_date, i.id`,
    args,
  );
  return rows.map((r: Row) => ({
    id: Number(r.id),
    side: r.side,
    party: r.party,
    partnerRef: r.partner_ref,
    date: r.date,
    dueDate: r.due,
    source: r.source,
    sourceRef: r.source_ref,
    memo: r.memo,
    documentNumber: r.doc_number ?? null,
    amountMinor: toMinor(r.amount_minor),
    openMinor: toMinor(r.open_minor),
    entryId: Number(r.entry_id),
  }));
}

export function openItems(
  db: Db,
  q: { side: Side; asOf: string; party?: string },
): Promise<OpenItem[]> {
  return itemsAsOf(db, q.side, q.asOf, { party: q.party, openOnly: true });
}

async function partiesByRef(db: Db, refs: string[]): Promise<Map<string, Party>> {
  if (!refs.length) return new Map();
  const rows = await db`select * from acc_parties where ref = any(${refs}::text[])`;
  return new Map(rows.map((r: Row) => [r.ref, toParty(r)]));
}

function toParty(r: Row): Party {
  return {
    ref: r.ref,
    side: r.side,
    name: r.name_en,
    nameBn: r.name_bn,
    email: r.email ?? null,
    phone: r.phone ?? null,
    lang: r.lang,
    dunningIntervalDays: Number(r.dunning_interval_days),
  };
}

export async function getParty(db: Db, ref: string): Promise<Party | null> {
  return (await partiesByRef(db, [ref])).get(ref) ?? null;
}

/** A party's contacts and reminder interval (B2B and purchasing call this; the pages too). */
export async function saveParty(
  db: Db,
  p: {
    ref: string;
    side: Side;
    name: string;
    nameBn?: string;
    email?: string | null;
    phone?: string | null;
    lang?: "en" | "bn";
    dunningIntervalDays?: number;
  },
): Promise<Party> {
  const bad: Record<string, string> = {};
  if (!/^[a-z][a-z0-9_-]{0,19}:[A-Za-z0-9_.-]{1,60}$/.test(p.ref ?? "")) bad.ref = "Not a party";
  if (!SIDES.includes(p.side)) bad.side = "Receivable or payable";
  if (!p.name?.trim() || p.name.length > 200) bad.name = "A name of at most 200 characters";
  if (p.email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(p.email)) bad.email = "An email address";
  if (p.phone && !/^\+[1-9]\d{7,14}$/.test(p.phone)) {
    bad.phone = "A number in international form (+8801…)";
  }
  const days = p.dunningIntervalDays ?? 7;
  if (!Number.isInteger(days) || days < 1 || days > 365) bad.dunningIntervalDays = "1–365 days";
  if (Object.keys(bad).length) throw new ValidationError(bad);
  const [r] = await db`
    insert into acc_parties (ref, side, name_en, name_bn, email, phone, lang, dunning_interval_days)
    values (${p.ref}, ${p.side}, ${p.name.trim()}, ${p.nameBn ?? ""}, ${p.email || null},
            ${p.phone || null}, ${p.lang ?? "en"}, ${days})
    on conflict (ref) do update set name_en = excluded.name_en, name_bn = excluded.name_bn,
      email = excluded.email, phone = excluded.phone, lang = excluded.lang,
      dunning_interval_days = excluded.dunning_interval_days, updated_at = now()
    returning *`;
  return toParty(r);
}

// ---- ageing ---------------------------------------------------------------------------------------

export const BUCKETS = ["d0_30", "d31_60", "d61_90", "d90"] as const;
export type Bucket = typeof BUCKETS[number];

export interface AgeingRow {
  party: string;
  name: string;
  buckets: Record<Bucket, number>;
  /** Unallocated payments and credits (negative). */
  creditMinor: number;
  balanceMinor: number;
}

export interface Ageing {
  side: Side;
  asOf: string;
  rows: AgeingRow[];
  totals: { buckets: Record<Bucket, number>; creditMinor: number; balanceMinor: number };
}

/** Days past due → bucket (not yet due counts as 0–30). */
export function bucketOf(daysPastDue: number): Bucket {
  return daysPastDue <= 30
    ? "d0_30"
    : daysPastDue <= 60
    ? "d31_60"
    : daysPastDue <= 90
    ? "d61_90"
    : "d90";
}

const zero = (): Record<Bucket, number> => ({ d0_30: 0, d31_60: 0, d61_90: 0, d90: 0 });

export async function ageing(db: Db, q: { side: Side; asOf: string }): Promise<Ageing> {
  const items = await itemsAsOf(db, q.side, q.asOf, { openOnly: true });
  const by = new Map<string, AgeingRow>();
  const totals = { buckets: zero(), creditMinor: 0, balanceMinor: 0 };
  for (const i of items) {
    let row = by.get(i.party);
    if (!row) {
      row = { party: i.party, name: i.party, buckets: zero(), creditMinor: 0, balanceMinor: 0 };
      by.set(i.party, row);
    }
    if (i.openMinor > 0) {
      const b = bucketOf(daysBetween(i.dueDate, q.asOf));
      row.buckets[b] += i.openMinor;
      totals.buckets[b] += i.openMinor;
    } else {
      row.creditMinor += i.openMinor;
      totals.creditMinor += i.openMinor;
    }
    row.balanceMinor += i.openMinor;
    totals.balanceMinor += i.openMinor;
  }
  const parties = await partiesByRef(db, [...by.keys()]);
  for (const r of by.values()) r.name = parties.get(r.party)?.name ?? r.party;
  return {
    side: q.side,
    asOf: q.asOf,
    rows: [...by.values()].sort((a, b) =>
      b.balanceMinor - a.balanceMinor || a.name.localeCompare(b.name)
    ),
    totals,
  };
}

// ---- allocation ------------------------------------------------------------------------------------

/**
 * Settles `amountMinor` of a charge (positive item) with a settlement (negative item) of the same
 * party and side. Partial allocations leave the rest open; what a payment has left over stays
 * open as a credit on account.
 */
export async function allocate(
  db: Db,
  input: { side: Side; chargeId: number; settleId: number; amountMinor: number },
  actor: Actor,
): Promise<{ chargeOpenMinor: number; settleOpenMinor: number }> {
  const amount = input.amountMinor;
  if (!Number.isSafeInteger(amount) || amount <= 0 || amount > MONEY_MAX) {
    throw new ValidationError({ amount: "Enter an amount more than zero" });
  }
  return await inTx(db, async (tx) => {
    const rows = await tx`
      select i.id, i.side, i.open_minor, i.item_date, ${tx.unsafe(PARTY)} as party
        from acc_open_items i left join acc_partner_links pl on pl.partner_ref = i.partner_ref
       where i.id in (${input.chargeId}, ${input.settleId})
       order by i.id for update of i`;
    const c = rows.find((r: Row) => Number(r.id) === input.chargeId);
    const s = rows.find((r: Row) => Number(r.id) === input.settleId);
    if (!c || !s || c.side !== input.side || s.side !== input.side) {
      throw new NotFoundError("No such open item");
    }
    if (c.party !== s.party) {
      throw new ValidationError({ settle: "Both items must be of the same party" });
    }
    const cOpen = toMinor(c.open_minor), sOpen = toMinor(s.open_minor);
    if (cOpen <= 0) throw new ValidationError({ charge: "Choose an open invoice or bill" });
    if (sOpen >= 0) throw new ValidationError({ settle: "Choose an open payment or credit" });
    if (amount > cOpen) {
      throw new ValidationError({ amount: "More than is open on the invoice" });
    }
    if (amount > -sOpen) {
      throw new ValidationError({ amount: "More than is left of the payment" });
    }
    await tx`update acc_open_items set open_minor = open_minor - ${amount} where id = ${c.id}`;
    await tx`update acc_open_items set open_minor = open_minor + ${amount} where id = ${s.id}`;
    await tx`
      insert into acc_allocations (charge_item_id, settle_item_id, amount_minor, effective_on,
                                   created_by_name)
      values (${c.id}, ${s.id}, ${amount}, greatest(${c.item_date}::date, ${s.item_date}::date),
              ${actor.name.slice(0, 120)})`;
    return { chargeOpenMinor: cOpen - amount, settleOpenMinor: sOpen + amount };
  });
}

/** The parties with open items on a side (for the allocation form's chooser). */
export async function partiesWithOpenItems(
  db: Db,
  side: Side,
): Promise<{ ref: string; name: string; openMinor: number }[]> {
  const rows = await db.unsafe(
    `select ${PARTY} as party, sum(i.open_minor)::bigint as open
       from acc_open_items i left join acc_partner_links pl on pl.partner_ref = i.partner_ref
      where i.side = $1 and i.open_minor <> 0 group by 1 order by 1`,
    [side],
  );
  const parties = await partiesByRef(db, rows.map((r: Row) => r.party));
  return rows.map((r: Row) => ({
    ref: r.party,
    name: parties.get(r.party)?.name ?? r.party,
    openMinor: toMinor(r.open),
  }));
}

// ---- statements ----------------------------------------------------------------------------------

export interface StatementLine {
  date: string;
  dueDate: string;
  reference: string;
  memo: string;
  /** Charges (invoices, bills) and settlements (payments, credits), positive numbers. */
  chargeMinor: number;
  settleMinor: number;
  balanceMinor: number;
}

export interface Statement {
  side: Side;
  party: string;
  name: string;
  lang: "en" | "bn";
  from: string;
  to: string;
  openingMinor: number;
  lines: StatementLine[];
  closingMinor: number;
  open: (OpenItem & { daysOverdue: number })[];
  ageing: Record<Bucket, number>;
  creditMinor: number;
}

const referenceOf = (i: OpenItem) => i.documentNumber ?? `${i.source} ${i.sourceRef}`;

export async function statement(
  db: Db,
  q: { side: Side; party: string; from: string; to: string; lang?: "en" | "bn" },
): Promise<Statement> {
  const party = await getParty(db, q.party);
  const all = await itemsAsOf(db, q.side, q.to, { party: q.party });
  if (!party && all.length === 0) throw new NotFoundError("No such party");
  let balance = all.filter((i) => i.date < q.from).reduce((a, i) => a + i.amountMinor, 0);
  const openingMinor = balance;
  const lines: StatementLine[] = all.filter((i) => i.date >= q.from).map((i) => {
    balance += i.amountMinor;
    return {
      date: i.date,
      dueDate: i.dueDate,
      reference: referenceOf(i),
      memo: i.memo,
      chargeMinor: Math.max(i.amountMinor, 0),
      settleMinor: Math.max(-i.amountMinor, 0),
      balanceMinor: balance,
    };
  });
  const open = all.filter((i) => i.openMinor !== 0).map((i) => ({
    ...i,
    daysOverdue: Math.max(0, daysBetween(i.dueDate, q.to)),
  }));
  const buckets = zero();
  let creditMinor = 0;
  for (const i of open) {
    if (i.openMinor > 0) buckets[bucketOf(daysBetween(i.dueDate, q.to))] += i.openMinor;
    else creditMinor += i.openMinor;
  }
  return {
    side: q.side,
    party: q.party,
    name: party ? (q.lang === "bn" && party.nameBn ? party.nameBn : party.name) : q.party,
    lang: q.lang ?? party?.lang ?? "en",
    from: q.from,
    to: q.to,
    openingMinor,
    lines,
    closingMinor: balance,
    open,
    ageing: buckets,
    creditMinor,
  };
}

/** The statement as plain text (the email's body). */
export function statementText(s: Statement): string {
  const t = arapTexts[s.lang];
  const money = (m: number) => formatTaka(m, s.lang);
  const out = [
    t.statementTitle(s.side),
    `${s.name}`,
    `${t.period}: ${s.from} – ${s.to}`,
    "",
    `${t.opening}: ${money(s.openingMinor)}`,
    ...s.lines.map((l) =>
      `${l.date}  ${l.reference}  ${l.chargeMinor ? money(l.chargeMinor) : ""}${
        l.settleMinor ? `−${money(l.settleMinor)}` : ""
      }  = ${money(l.balanceMinor)}`
    ),
    `${t.closing}: ${money(s.closingMinor)}`,
    "",
    t.openItems + ":",
    ...s.open.map((i) =>
      `${referenceOf(i)}  ${t.due} ${i.dueDate}  ${money(i.openMinor)}${
        i.openMinor > 0 && i.daysOverdue > 0 ? `  (${t.daysOverdue(i.daysOverdue)})` : ""
      }`
    ),
    "",
    t.signOff,
  ];
  return out.join("\n");
}

/** Queues the statement to the party's email (notify's outbox), in the party's language. */
export async function emailStatement(
  db: Db,
  q: { side: Side; party: string; from: string; to: string },
  now: Date,
): Promise<{ messageId: string; to: string }> {
  const party = await getParty(db, q.party);
  if (!party) throw new NotFoundError("No such party");
  if (!party.email) {
    throw new ValidationError({ email: "The party has no email address" });
  }
  const s = await statement(db, { ...q, lang: party.lang });
  const t = arapTexts[party.lang];
  const r = await enqueueMessage(db as Tx, {
    channel: "email",
    to: party.email,
    subject: `${t.statementTitle(q.side)} ${q.from} – ${q.to}`,
    body: statementText(s),
    locale: party.lang,
    template: "accounting_statement",
    dedupeKey: `acc-statement:${q.side}:${q.party}:${q.from}:${q.to}:${now.getTime()}`.slice(
      0,
      200,
    ),
  });
  return { messageId: r.id, to: party.email };
}

// ---- dunning --------------------------------------------------------------------------------------

export interface DunningResult {
  party: string;
  channels: string[];
  overdueMinor: number;
  lang: "en" | "bn";
}

/**
 * Reminds customers of overdue invoices: for each party with items past due on `now`'s Dhaka
 * date and an email or phone, unless a reminder went out within the party's interval, one SMS
 * and/or email in the party's language, recorded in acc_dunning_log. Returns who was reminded.
 */
export async function runDunning(db: Db, now: Date): Promise<DunningResult[]> {
  const today = dhakaDate(now);
  const items = (await itemsAsOf(db, "receivable", today, { openOnly: true }))
    .filter((i) => i.openMinor > 0 && i.dueDate < today);
  const byParty = new Map<string, OpenItem[]>();
  for (const i of items) byParty.set(i.party, [...(byParty.get(i.party) ?? []), i]);
  const parties = await partiesByRef(db, [...byParty.keys()]);
  const out: DunningResult[] = [];
  for (const [ref, overdue] of byParty) {
    const p = parties.get(ref);
    if (!p || (!p.email && !p.phone)) continue;
    const sent = await inTx(db, async (tx: Tx) => {
      // One run at a time per party: the party row is locked while we look and write.
      await tx`select ref from acc_parties where ref = ${ref} for update`;
      const [last] = await tx`
        select sent_at from acc_dunning_log where party_ref = ${ref}
         order by sent_at desc limit 1`;
      if (
        last && now.getTime() - new Date(last.sent_at).getTime() <
          p.dunningIntervalDays * 86_400_000
      ) return null;
      const t = arapTexts[p.lang];
      const total = overdue.reduce((a, i) => a + i.openMinor, 0);
      const vars = {
        name: p.lang === "bn" && p.nameBn ? p.nameBn : p.name,
        amount: formatTaka(total, p.lang),
        count: overdue.length,
        numbers: overdue.map(referenceOf).slice(0, 5).join(", "),
        oldest: overdue[0].dueDate,
      };
      const channels: string[] = [];
      const ids: string[] = [];
      const remind = async (
        channel: "sms" | "email",
        to: string,
        body: string,
        subject?: string,
      ) => {
        const m = await enqueueMessage(tx, {
          channel,
          to,
          subject,
          body,
          locale: p.lang,
          template: "accounting_dunning",
          dedupeKey: `acc-dunning:${ref}:${today}:${channel}`.slice(0, 200),
        });
        channels.push(channel);
        ids.push(m.id);
      };
      if (p.phone) await remind("sms", p.phone, t.dunningSms(vars));
      if (p.email) await remind("email", p.email, t.dunningEmail(vars), t.dunningSubject);
      await tx`
        insert into acc_dunning_log (party_ref, sent_at, lang, channels, overdue_minor, items,
                                     message_ids)
        values (${ref}, ${now}, ${p.lang}, ${channels}, ${total},
                ${
        tx.json(overdue.map((i) => ({ id: i.id, ref: referenceOf(i), open: i.openMinor })) as never)
      },
                ${ids})`;
      return { party: ref, channels, overdueMinor: total, lang: p.lang };
    });
    if (sent) out.push(sent);
  }
  return out;
}

/** The reminders sent to a party, newest first. */
export async function dunningLog(
  db: Db,
  party: string,
): Promise<{ sentAt: Date; channels: string[]; overdueMinor: number; lang: string }[]> {
  const rows = await db`
    select sent_at, channels, overdue_minor, lang from acc_dunning_log
     where party_ref = ${party} order by sent_at desc limit 50`;
  return rows.map((r: Row) => ({
    sentAt: new Date(r.sent_at),
    channels: r.channels,
    overdueMinor: toMinor(r.overdue_minor),
    lang: r.lang,
  }));
}

/** The sum of open items of a side (the control accounts' balance, by construction). */
export async function openTotal(db: Db, side: Side): Promise<number> {
  const [r] = await db`
    select coalesce(sum(open_minor), 0)::bigint as v from acc_open_items where side = ${side}`;
  return toMinor(r.v);
}

export { ConflictError };
