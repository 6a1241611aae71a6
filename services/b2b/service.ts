/**
 * The B2B context's use cases (issue 14 §1–4): business accounts and their applications, outlets,
 * contacts and users; price lists per customer group and per account with quantity breaks; orders
 * priced at contract prices, stock reserved by lot (FEFO) through inventory's port, approval and
 * credit holds; the invoice on account at delivery through accounting's door.
 */
import type { Sql } from "@/services/platform/db.ts";
import type { Db, Tx } from "@/services/platform/tx.ts";
import { inTx } from "@/services/platform/tx.ts";
import { addDays, dhakaDate, isDate } from "@/services/platform/dhaka.ts";
import { ConflictError, NotFoundError, ValidationError } from "@/services/platform/errors.ts";
import { appendAudit } from "@/services/audit/mod.ts";
import type { InventoryPort } from "@/services/inventory/mod.ts";
import type { CataloguePack } from "@/services/shop/mod.ts";

export const ACCOUNT_STATUSES = ["applied", "active", "on_hold", "closed"] as const;
export type AccountStatus = typeof ACCOUNT_STATUSES[number];
export const MEMBER_ROLES = ["buyer", "approver", "admin"] as const;
export type MemberRole = typeof MEMBER_ROLES[number];
export const TERMS = ["cash", "7", "15", "30"] as const;
export type Terms = typeof TERMS[number];
export const ORDER_STATUSES = [
  "pending_approval",
  "credit_hold",
  "confirmed",
  "delivered",
  "cancelled",
] as const;
export type OrderStatus = typeof ORDER_STATUSES[number];
/** Orders still owed for (they count in the exposure against the credit limit). */
const OPEN_ORDER = ["pending_approval", "credit_hold", "confirmed"];
export const MAX_LINES = 200;

export interface Actor {
  id: string | null;
  name: string;
}

export interface B2bDeps {
  sql: Sql;
  clock?: { now(): Date };
  /** The shop's catalogue (its door): names, public prices and VAT rates by SKU. */
  catalogue: (skus: readonly string[] | null) => Promise<Map<string, CataloguePack>>;
  /** Inventory's port: lots reserved FEFO, fulfilled when the goods leave. */
  stock: Pick<InventoryPort, "reserve" | "releaseReservation" | "fulfil">;
  /** Accounting's door: the party's open receivables and the invoice on account. */
  books: {
    openItems(q: { side: "receivable"; party: string }): Promise<
      { dueDate: string | null; openMinor: number }[]
    >;
    issueInvoiceOnAccount(tx: Tx, input: OnAccountInput): Promise<{ number: string }>;
  };
  /** Identity's door: a person by phone or email (to add them to an account), names by id. */
  people?: {
    findId(identifier: string): Promise<string | null>;
    names(ids: readonly string[]): Promise<Map<string, string>>;
  };
  /** The shop's delivery zones and slots (outlets choose theirs). */
  deliveryOptions?: () => Promise<{
    zones: { code: string; nameEn: string; nameBn: string }[];
    slots: { code: string; nameEn: string; nameBn: string; startsAt: string; endsAt: string }[];
  }>;
  /** The public site's wholesale enquiries (the contact form, through the site's door). */
  enquiries?: () => Promise<Enquiry[]>;
}

export interface OnAccountInput {
  customer: { ref: string; name: string; address: string; lang?: "en" | "bn"; bin?: string | null };
  lines: {
    description: { en: string; bn?: string };
    unit: { en: string; bn?: string };
    quantity: number;
    unitPriceMinor: number;
    vatRateBp: number;
  }[];
  terms: Terms;
  sourceRef: string;
}

/** A wholesale enquiry from the public site's contact form. */
export interface Enquiry {
  id: number;
  name: string;
  phone: string;
  email: string | null;
  message: string;
  createdAt: Date;
}

// ---- applications and accounts ----------------------------------------------------------------

/** A company's papers: what an application states and an account keeps. */
export interface CompanyPapers {
  company: string;
  tradeLicenceNo: string;
  tradeLicenceExpires: string;
  bin: string;
  tin: string;
  ownerNid: string;
}

export interface ApplicationInput extends CompanyPapers {
  lang?: "en" | "bn";
  outlets: { name: string; address: string }[];
  contacts: { name: string; phone: string }[];
}

/** A Bangladeshi mobile number as +8801…, or null. */
export function normalPhone(s: string): string | null {
  const d = s.replace(/[\s-]/g, "");
  if (/^01[3-9]\d{8}$/.test(d)) return `+88${d}`;
  if (/^8801[3-9]\d{8}$/.test(d)) return `+${d}`;
  if (/^\+8801[3-9]\d{8}$/.test(d)) return d;
  return null;
}

/** Field codes of what is wrong with an application (empty: fine). */
export function checkApplication(a: ApplicationInput, today: string): Record<string, string> {
  const bad: Record<string, string> = {};
  const t = (s: unknown) => (typeof s === "string" ? s.trim() : "");
  if (t(a.company).length < 2 || t(a.company).length > 200) bad.company = "company";
  if (!/^[A-Za-z0-9/-]{3,60}$/.test(t(a.tradeLicenceNo))) bad.tradeLicenceNo = "tradeLicenceNo";
  if (!isDate(t(a.tradeLicenceExpires))) bad.tradeLicenceExpires = "date";
  else if (t(a.tradeLicenceExpires) < today) bad.tradeLicenceExpires = "expired";
  if (!/^\d{13}$/.test(t(a.bin).replace(/[\s-]/g, ""))) bad.bin = "bin";
  if (!/^\d{12}$/.test(t(a.tin).replace(/[\s-]/g, ""))) bad.tin = "tin";
  if (!/^(\d{10}|\d{13}|\d{17})$/.test(t(a.ownerNid).replace(/[\s-]/g, ""))) bad.ownerNid = "nid";
  const outlets = (a.outlets ?? []).filter((o) => t(o.name) || t(o.address));
  if (outlets.length === 0) bad["outlets.0.name"] = "outletRequired";
  outlets.forEach((o, i) => {
    if (!t(o.name) || t(o.name).length > 120) bad[`outlets.${i}.name`] = "outletName";
    if (t(o.address).length < 5 || t(o.address).length > 300) {
      bad[`outlets.${i}.address`] = "address";
    }
  });
  const contacts = (a.contacts ?? []).filter((c) => t(c.name) || t(c.phone));
  if (contacts.length === 0) bad["contacts.0.name"] = "contactRequired";
  contacts.forEach((c, i) => {
    if (!t(c.name) || t(c.name).length > 120) bad[`contacts.${i}.name`] = "contactName";
    if (!normalPhone(t(c.phone))) bad[`contacts.${i}.phone`] = "phone";
  });
  return bad;
}

/**
 * An application by `userId`, or made by sales from a wholesale enquiry (`from`; the applicant is
 * the enquirer's user when they have one, else none).
 */
export async function apply(
  db: Sql,
  userId: string | null,
  a: ApplicationInput,
  now: Date,
  from?: { enquiryId: number; actor: Actor },
) {
  const bad = checkApplication(a, dhakaDate(now));
  if (Object.keys(bad).length) throw new ValidationError(bad);
  return await inTx(db, async (tx) => {
    const [open] = await tx`
      select id from b2b_accounts where applicant_user_id = ${userId} and status <> 'closed'`;
    if (open) throw new ConflictError("already_applied");
    const digits = (s: string) => s.replace(/[\s-]/g, "");
    const [r] = await tx`
      insert into b2b_accounts (company, trade_licence_no, trade_licence_expires, bin, tin,
        owner_nid, lang, applicant_user_id, enquiry_id)
      values (${a.company.trim()}, ${a.tradeLicenceNo.trim()}, ${a.tradeLicenceExpires.trim()},
        ${digits(a.bin)}, ${digits(a.tin)}, ${digits(a.ownerNid)}, ${a.lang ?? "en"}, ${userId},
        ${from?.enquiryId ?? null})
      returning id`;
    const id = Number(r.id);
    for (const o of a.outlets.filter((o) => o.name.trim() || o.address.trim())) {
      await tx`insert into b2b_outlets (account_id, name, address)
        values (${id}, ${o.name.trim()}, ${o.address.trim()})`;
    }
    for (const c of a.contacts.filter((c) => c.name.trim() || c.phone.trim())) {
      await tx`insert into b2b_contacts (account_id, name, phone)
        values (${id}, ${c.name.trim()}, ${normalPhone(c.phone)!})`;
    }
    await appendAudit(tx, {
      actorId: from ? from.actor.id : userId,
      action: "b2b.applied",
      entity: "b2b_account",
      entityId: id,
      data: { company: a.company.trim(), enquiryId: from?.enquiryId ?? null },
      at: now,
    });
    return id;
  });
}

export interface Account extends CompanyPapers {
  id: number;
  status: AccountStatus;
  lang: "en" | "bn";
  applicantUserId: string | null;
  customerGroup: string;
  creditLimitMinor: number;
  terms: Terms;
  requiresApproval: boolean;
  minOrderMinor: number;
  createdAt: Date;
}

// deno-lint-ignore no-explicit-any
type Row = Record<string, any>;

function toAccount(r: Row): Account {
  return {
    id: Number(r.id),
    status: r.status,
    company: r.company,
    tradeLicenceNo: r.trade_licence_no,
    tradeLicenceExpires: r.trade_licence_expires_text,
    bin: r.bin,
    tin: r.tin,
    ownerNid: r.owner_nid,
    lang: r.lang,
    applicantUserId: r.applicant_user_id ?? null,
    customerGroup: r.customer_group,
    creditLimitMinor: Number(r.credit_limit_minor),
    terms: r.terms,
    requiresApproval: r.requires_approval,
    minOrderMinor: Number(r.min_order_minor),
    createdAt: new Date(r.created_at),
  };
}

const ACCOUNT_COLS = (db: Db) =>
  db`a.*, a.trade_licence_expires::text as trade_licence_expires_text`;

export async function getAccount(db: Db, id: number, lock = false): Promise<Account | null> {
  if (!Number.isSafeInteger(id) || id <= 0) return null;
  const [r] = lock
    ? await db`select ${ACCOUNT_COLS(db)} from b2b_accounts a where id = ${id} for update`
    : await db`select ${ACCOUNT_COLS(db)} from b2b_accounts a where id = ${id}`;
  return r ? toAccount(r) : null;
}

export async function listAccounts(db: Db, status: AccountStatus | null) {
  const rows = await db`
    select ${ACCOUNT_COLS(db)},
      (select count(*) from b2b_orders o where o.account_id = a.id and o.status = 'credit_hold')::int
        as holds
    from b2b_accounts a
    where (${status}::text is null or a.status = ${status})
    order by a.status = 'applied' desc, a.company limit 500`;
  return rows.map((r: Row) => ({ ...toAccount(r), holds: Number(r.holds) }));
}

export async function outletsOf(db: Db, accountId: number) {
  const rows = await db`select id, name, address from b2b_outlets
    where account_id = ${accountId} and active order by id`;
  return rows.map((r: Row) => ({ id: Number(r.id), name: r.name, address: r.address }));
}

export async function contactsOf(db: Db, accountId: number) {
  const rows = await db`select name, phone from b2b_contacts where account_id = ${accountId}
    order by id`;
  return rows.map((r: Row) => ({ name: r.name as string, phone: r.phone as string }));
}

export async function membersOf(db: Db, accountId: number) {
  const rows = await db`select user_id, role from b2b_members where account_id = ${accountId}
    order by added_at`;
  return rows.map((r: Row) => ({ userId: r.user_id as string, role: r.role as MemberRole }));
}

/** The account a user belongs to (their role in it), or their pending application. */
export async function membershipOf(db: Db, userId: string) {
  const [m] = await db`
    select m.account_id, m.role from b2b_members m join b2b_accounts a on a.id = m.account_id
    where m.user_id = ${userId} and a.status <> 'closed' order by m.added_at limit 1`;
  if (m) {
    return { account: (await getAccount(db, Number(m.account_id)))!, role: m.role as MemberRole };
  }
  return null;
}

export async function applicationOf(db: Db, userId: string): Promise<Account | null> {
  const [r] = await db`select ${ACCOUNT_COLS(db)} from b2b_accounts a
    where applicant_user_id = ${userId} order by id desc limit 1`;
  return r ? toAccount(r) : null;
}

/** Staff: applied → active (the applicant becomes the account's admin), on hold, closed. */
export async function setStatus(
  db: Sql,
  id: number,
  to: AccountStatus,
  reason: string,
  actor: Actor,
  now: Date,
) {
  if (!ACCOUNT_STATUSES.includes(to)) throw new ValidationError({ status: "status" });
  return await inTx(db, async (tx) => {
    const a = await getAccount(tx, id, true);
    if (!a) throw new NotFoundError("b2b account");
    const allowed: Record<AccountStatus, AccountStatus[]> = {
      applied: ["active", "closed"],
      active: ["on_hold", "closed"],
      on_hold: ["active", "closed"],
      closed: [],
    };
    if (!allowed[a.status].includes(to)) throw new ConflictError("status_change", "status");
    if ((to === "on_hold" || to === "closed") && !reason.trim()) {
      throw new ValidationError({ reason: "reason" });
    }
    await tx`update b2b_accounts set status = ${to}, updated_at = now() where id = ${id}`;
    if (to === "active" && a.status === "applied" && a.applicantUserId) {
      await tx`insert into b2b_members (account_id, user_id, role)
        values (${id}, ${a.applicantUserId}, 'admin') on conflict do nothing`;
    }
    await appendAudit(tx, {
      actorId: actor.id,
      action: "b2b.account.status",
      entity: "b2b_account",
      entityId: id,
      data: { from: a.status, to, reason: reason.trim() || null },
      at: now,
    });
  });
}

export interface CreditInput {
  creditLimitMinor: number;
  terms: Terms;
  requiresApproval: boolean;
  minOrderMinor: number;
  customerGroup: string;
}

export async function setCredit(db: Sql, id: number, c: CreditInput, actor: Actor, now: Date) {
  const bad: Record<string, string> = {};
  if (!Number.isSafeInteger(c.creditLimitMinor) || c.creditLimitMinor < 0) {
    bad.creditLimit = "money";
  }
  if (!TERMS.includes(c.terms)) bad.terms = "terms";
  if (!Number.isSafeInteger(c.minOrderMinor) || c.minOrderMinor < 0) bad.minOrder = "money";
  if (!/^[a-z_]{2,30}$/.test(c.customerGroup)) bad.customerGroup = "group";
  if (Object.keys(bad).length) throw new ValidationError(bad);
  await inTx(db, async (tx) => {
    const a = await getAccount(tx, id, true);
    if (!a) throw new NotFoundError("b2b account");
    await tx`update b2b_accounts set credit_limit_minor = ${c.creditLimitMinor},
      terms = ${c.terms}, requires_approval = ${c.requiresApproval},
      min_order_minor = ${c.minOrderMinor}, customer_group = ${c.customerGroup},
      updated_at = now() where id = ${id}`;
    await appendAudit(tx, {
      actorId: actor.id,
      action: "b2b.account.credit",
      entity: "b2b_account",
      entityId: id,
      data: {
        before: {
          creditLimitMinor: a.creditLimitMinor,
          terms: a.terms,
          requiresApproval: a.requiresApproval,
          minOrderMinor: a.minOrderMinor,
          customerGroup: a.customerGroup,
        },
        after: c,
      },
      at: now,
    });
  });
}

/** Staff or the account's admin: a user of the account with a role. */
export async function setMember(
  db: Sql,
  accountId: number,
  userId: string,
  role: MemberRole | null,
  actor: Actor,
  now: Date,
) {
  if (role !== null && !MEMBER_ROLES.includes(role)) throw new ValidationError({ role: "role" });
  if (!/^[0-9a-f-]{36}$/i.test(userId)) throw new ValidationError({ userId: "user" });
  await inTx(db, async (tx) => {
    if (!(await getAccount(tx, accountId, true))) throw new NotFoundError("b2b account");
    if (role === null) {
      await tx`delete from b2b_members where account_id = ${accountId} and user_id = ${userId}`;
    } else {
      await tx`insert into b2b_members (account_id, user_id, role)
        values (${accountId}, ${userId}, ${role})
        on conflict (account_id, user_id) do update set role = excluded.role`;
    }
    await appendAudit(tx, {
      actorId: actor.id,
      action: "b2b.member",
      entity: "b2b_account",
      entityId: accountId,
      data: { userId, role },
      at: now,
    });
  });
}

// ---- prices ------------------------------------------------------------------------------------

export interface PriceInput {
  accountId: number | null;
  customerGroup: string | null;
  sku: string;
  minQty: number;
  /** Per unit, excluding VAT (poisha). */
  priceMinor: number;
  validFrom: string;
  validTo: string | null;
}

export interface PriceRow extends PriceInput {
  id: number;
}

export async function savePrice(
  db: Sql,
  p: PriceInput,
  known: (sku: string) => Promise<boolean>,
  actor: Actor,
  now: Date,
) {
  const bad: Record<string, string> = {};
  if ((p.accountId === null) === (p.customerGroup === null)) bad.customerGroup = "group";
  if (p.customerGroup !== null && !/^[a-z_]{2,30}$/.test(p.customerGroup)) {
    bad.customerGroup = "group";
  }
  if (!(await known(p.sku))) bad.sku = "sku";
  if (!Number.isInteger(p.minQty) || p.minQty < 1 || p.minQty > 100_000) bad.minQty = "qty";
  if (!Number.isSafeInteger(p.priceMinor) || p.priceMinor <= 0) bad.price = "money";
  if (!isDate(p.validFrom)) bad.validFrom = "date";
  if (p.validTo !== null && (!isDate(p.validTo) || p.validTo < p.validFrom)) bad.validTo = "date";
  if (Object.keys(bad).length) throw new ValidationError(bad);
  return await inTx(db, async (tx) => {
    if (p.accountId !== null && !(await getAccount(tx, p.accountId))) {
      throw new NotFoundError("b2b account");
    }
    const [r] = await tx`
      insert into b2b_prices (account_id, customer_group, sku, min_qty, price_minor, valid_from,
        valid_to)
      values (${p.accountId}, ${p.customerGroup}, ${p.sku}, ${p.minQty}, ${p.priceMinor},
        ${p.validFrom}, ${p.validTo})
      returning id`;
    await appendAudit(tx, {
      actorId: actor.id,
      action: "b2b.price.saved",
      entity: "b2b_price",
      entityId: Number(r.id),
      data: p,
      at: now,
    });
    return Number(r.id);
  });
}

/** Price rows that apply to an account on a day (its own and its group's). */
export async function pricesFor(db: Db, a: Account, on: string): Promise<PriceRow[]> {
  const rows = await db`
    select id, account_id, customer_group, sku, min_qty, price_minor, valid_from::text as vf,
      valid_to::text as vt
    from b2b_prices
    where (account_id = ${a.id} or customer_group = ${a.customerGroup})
      and valid_from <= ${on}::date and (valid_to is null or valid_to >= ${on}::date)
    order by sku, min_qty`;
  return rows.map(toPrice);
}

function toPrice(r: Row): PriceRow {
  return {
    id: Number(r.id),
    accountId: r.account_id === null ? null : Number(r.account_id),
    customerGroup: r.customer_group,
    sku: r.sku,
    minQty: Number(r.min_qty),
    priceMinor: Number(r.price_minor),
    validFrom: r.vf,
    validTo: r.vt,
  };
}

export async function priceRowsOfAccount(db: Db, a: Account): Promise<PriceRow[]> {
  const rows = await db`
    select id, account_id, customer_group, sku, min_qty, price_minor, valid_from::text as vf,
      valid_to::text as vt
    from b2b_prices where account_id = ${a.id} or customer_group = ${a.customerGroup}
    order by sku, account_id nulls last, min_qty, valid_from`;
  return rows.map(toPrice);
}

/** Net of VAT from a VAT-inclusive price (half up). */
export function netOf(grossMinor: number, vatRateBp: number): number {
  return Math.round((grossMinor * 10_000) / (10_000 + vatRateBp));
}

export function vatOn(netMinor: number, vatRateBp: number): number {
  return Math.round((netMinor * vatRateBp) / 10_000);
}

/**
 * The unit price (excluding VAT) of `qty` packs: the account's contract price (largest quantity
 * break reached) wins, then its customer group's, then the public shop price without VAT.
 */
export function unitPrice(
  rows: readonly PriceRow[],
  pack: CataloguePack,
  qty: number,
): { unitMinor: number; source: "contract" | "group" | "public" } {
  const best = (mine: PriceRow[]) =>
    mine.filter((r) => r.minQty <= qty).sort((x, y) => y.minQty - x.minQty)[0];
  const own = best(rows.filter((r) => r.sku === pack.sku && r.accountId !== null));
  if (own) return { unitMinor: own.priceMinor, source: "contract" };
  const grp = best(rows.filter((r) => r.sku === pack.sku && r.accountId === null));
  if (grp) return { unitMinor: grp.priceMinor, source: "group" };
  return { unitMinor: netOf(pack.priceMinor, pack.vatRateBp), source: "public" };
}

// ---- quick order and CSV -----------------------------------------------------------------------

export interface OrderLineInput {
  sku: string;
  qty: number;
}

/** Reads `sku,qty` lines (a header line is skipped); errors name the line (1-based). */
export function parseCsv(text: string): {
  lines: OrderLineInput[];
  errors: { line: number; code: string; text: string }[];
} {
  const lines: OrderLineInput[] = [];
  const errors: { line: number; code: string; text: string }[] = [];
  const raw = text.replace(/\r\n?/g, "\n").split("\n");
  raw.forEach((l, i) => {
    const s = l.trim();
    if (!s) return;
    if (i === 0 && /^sku\s*[,;]\s*(qty|quantity)$/i.test(s)) return;
    const m = /^([A-Za-z0-9_-]{1,40})\s*[,;\t]\s*(\d{1,6})$/.exec(s);
    if (!m) {
      errors.push({ line: i + 1, code: "csvLine", text: s.slice(0, 80) });
      return;
    }
    const qty = Number(m[2]);
    if (qty < 1) errors.push({ line: i + 1, code: "qty", text: s.slice(0, 80) });
    else lines.push({ sku: m[1].toUpperCase(), qty });
  });
  if (lines.length > MAX_LINES) errors.push({ line: MAX_LINES + 1, code: "tooMany", text: "" });
  return { lines, errors };
}

export interface PlaceInput {
  outletId: number;
  deliveryDate: string;
  lines: OrderLineInput[];
}

export interface PlacedOrder {
  id: string;
  number: string;
  status: OrderStatus;
  totalMinor: number;
}

/** The open amount a party owes (receivables net of payments on account) and whether overdue. */
async function receivablesOf(deps: B2bDeps, accountId: number, today: string) {
  const items = await deps.books.openItems({ side: "receivable", party: `b2b:${accountId}` });
  const open = items.reduce((s, i) => s + i.openMinor, 0);
  const overdue = items.some((i) => i.openMinor > 0 && i.dueDate !== null && i.dueDate < today);
  return { open, overdue };
}

export async function placeOrder(
  deps: B2bDeps,
  userId: string,
  accountId: number,
  input: PlaceInput,
  now: Date,
  /** A sales representative orders for an outlet of their route (field.ts checks the route). */
  rep = false,
  /** Runs in the order's transaction before it commits (field.ts records the phone's entry; a standing order its run). */
  within?: (tx: Tx, placed: PlacedOrder) => Promise<void>,
): Promise<PlacedOrder> {
  const today = dhakaDate(now);
  const bad: Record<string, string> = {};
  if (!isDate(input.deliveryDate)) bad.deliveryDate = "date";
  else if (input.deliveryDate < today) bad.deliveryDate = "pastDate";
  else if (input.deliveryDate > addDays(today, 30)) bad.deliveryDate = "tooFar";
  if (!Number.isSafeInteger(input.outletId) || input.outletId <= 0) bad.outletId = "outlet";
  if (input.lines.length === 0) bad.lines = "noLines";
  if (input.lines.length > MAX_LINES) bad.lines = "tooMany";
  // Same SKU twice: one line of the sum.
  const merged = new Map<string, number>();
  input.lines.forEach((l, i) => {
    if (!Number.isInteger(l.qty) || l.qty < 1 || l.qty > 100_000) bad[`lines.${i}.qty`] = "qty";
    else merged.set(l.sku, (merged.get(l.sku) ?? 0) + l.qty);
  });
  const skus = [...merged.keys()];
  const packs = await deps.catalogue(skus);
  input.lines.forEach((l, i) => {
    if (!packs.get(l.sku)?.sellable) bad[`lines.${i}.sku`] = "sku";
  });
  if (Object.keys(bad).length) throw new ValidationError(bad);
  const { open, overdue } = await receivablesOf(deps, accountId, today);

  return await inTx(deps.sql, async (tx) => {
    const [m] = rep ? [{ role: "rep" }] : await tx`select role from b2b_members
      where account_id = ${accountId} and user_id = ${userId}`;
    if (!m) throw new NotFoundError("b2b account");
    // The account row is locked: two orders of one account see each other's exposure.
    const a = (await getAccount(tx, accountId, true))!;
    if (a.status !== "active") throw new ConflictError("account_not_active");
    // The outlet, with its delivery zone's minimum order (b2b_zone_minimums).
    const [outlet] = await tx`select o.id, coalesce(z.min_order_minor, 0) as zone_min
      from b2b_outlets o left join b2b_zone_minimums z on z.zone_code = o.zone_code
      where o.id = ${input.outletId} and o.account_id = ${accountId} and o.active`;
    if (!outlet) throw new ValidationError({ outletId: "outlet" });

    const rows = await pricesFor(tx, a, input.deliveryDate);
    const priced = skus.map((sku) => {
      const pack = packs.get(sku)!;
      const qty = merged.get(sku)!;
      const p = unitPrice(rows, pack, qty);
      const net = p.unitMinor * qty;
      return { pack, qty, ...p, net, vat: vatOn(net, pack.vatRateBp) };
    });
    const subtotal = priced.reduce((s, l) => s + l.net, 0);
    const vat = priced.reduce((s, l) => s + l.vat, 0);
    const total = subtotal + vat;
    // The account's own minimum or its outlet's delivery zone's, whichever is higher.
    const minOrder = Math.max(a.minOrderMinor, Number(outlet.zone_min));
    if (subtotal < minOrder) {
      throw new ValidationError({ lines: `minOrder:${minOrder}` });
    }

    const id = crypto.randomUUID();
    // The account's open orders and the order's number, in one round trip.
    const [{ pending, n }] = await tx`
      select (select coalesce(sum(total_minor), 0)::bigint from b2b_orders
        where account_id = ${accountId} and status = any(${OPEN_ORDER}::text[])) as pending,
        nextval('b2b_order_number_seq')::text as n`;
    const exposure = open + Number(pending) + total;
    let hold: string | null = null;
    if (overdue) hold = "overdue";
    else if (exposure > a.creditLimitMinor) hold = "limit";
    const status: OrderStatus = hold
      ? "credit_hold"
      : a.requiresApproval && m.role === "buyer"
      ? "pending_approval"
      : "confirmed";

    const number = `B2B-${today.slice(0, 4)}-${String(n).padStart(6, "0")}`;
    await tx`
      insert into b2b_orders (id, number, account_id, outlet_id, status, delivery_date,
        subtotal_minor, vat_minor, total_minor, placed_by, hold_reason, created_at, updated_at)
      values (${id}, ${number}, ${accountId}, ${input.outletId}, ${status}, ${input.deliveryDate},
        ${subtotal}, ${vat}, ${total}, ${userId}, ${hold}, ${now}, ${now})`;
    await tx`
      insert into b2b_order_lines (order_id, line_no, sku, name_en, name_bn, unit, qty,
        unit_price_minor, vat_rate_bp, contract)
      select ${id}, x.no, x.sku, x.en, x.bn, x.unit, x.qty, x.price, x.rate, x.contract::boolean
      from unnest(${priced.map((_, i) => i + 1)}::int[], ${priced.map((l) => l.pack.sku)}::text[],
        ${priced.map((l) => `${l.pack.nameEn} ${l.pack.packEn}`)}::text[],
        ${priced.map((l) => `${l.pack.nameBn} ${l.pack.packBn}`)}::text[],
        ${priced.map(() => "pcs")}::text[], ${priced.map((l) => l.qty)}::int[],
        ${priced.map((l) => l.unitMinor)}::bigint[], ${priced.map((l) => l.pack.vatRateBp)}::int[],
        ${priced.map((l) => (l.source !== "public" ? "t" : "f"))}::text[])
        as x(no, sku, en, bn, unit, qty, price, rate, contract)`;
    // Lots last (FEFO): the items' locks, which every order of these packs waits for, are held
    // for as short a time as the transaction allows.
    const reserved = await deps.stock.reserve(tx, {
      ref: { kind: "b2b", id },
      lines: priced.map((l) => ({ shopSku: l.pack.sku, qty: l.qty })),
      on: input.deliveryDate,
    });
    if (!reserved.ok) {
      const short: Record<string, string> = {};
      for (const s of reserved.short) {
        const sku = priced[s.lineIndex].pack.sku;
        const i = input.lines.findIndex((l) => l.sku === sku);
        short[`lines.${i}.qty`] = `short:${s.available}`;
      }
      throw new ValidationError(short);
    }

    // The order row itself records who placed it, when, and why it holds (no audit entry: the
    // audit chain's lock would serialise every order).
    const placed: PlacedOrder = { id, number, status, totalMinor: total };
    await within?.(tx, placed);
    return placed;
  });
}

export interface OrderSummary {
  id: string;
  number: string;
  accountId: number;
  company: string;
  outletId: number;
  outletName: string;
  outletAddress: string;
  status: OrderStatus;
  deliveryDate: string;
  subtotalMinor: number;
  vatMinor: number;
  totalMinor: number;
  holdReason: string | null;
  releaseReason: string | null;
  invoiceNumber: string | null;
  createdAt: Date;
}

function toOrder(r: Row): OrderSummary {
  return {
    id: r.id,
    number: r.number,
    accountId: Number(r.account_id),
    company: r.company,
    outletId: Number(r.outlet_id),
    outletName: r.outlet_name,
    outletAddress: r.outlet_address,
    status: r.status,
    deliveryDate: r.dd,
    subtotalMinor: Number(r.subtotal_minor),
    vatMinor: Number(r.vat_minor),
    totalMinor: Number(r.total_minor),
    holdReason: r.hold_reason,
    releaseReason: r.release_reason,
    invoiceNumber: r.invoice_number,
    createdAt: new Date(r.created_at),
  };
}

const ORDER_SELECT = (db: Db) =>
  db`select o.*, o.delivery_date::text as dd, a.company, t.name as outlet_name,
    t.address as outlet_address
  from b2b_orders o join b2b_accounts a on a.id = o.account_id
  join b2b_outlets t on t.id = o.outlet_id`;

export async function listOrders(
  db: Db,
  f: { accountId?: number; status?: OrderStatus },
): Promise<OrderSummary[]> {
  const rows = await db`${ORDER_SELECT(db)}
    where (${f.accountId ?? null}::bigint is null or o.account_id = ${f.accountId ?? null})
      and (${f.status ?? null}::text is null or o.status = ${f.status ?? null})
    order by o.created_at desc limit 200`;
  return rows.map(toOrder);
}

export async function getOrder(db: Db, id: string, accountId: number | null) {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const [r] = await db`${ORDER_SELECT(db)} where o.id = ${id}
    and (${accountId}::bigint is null or o.account_id = ${accountId})`;
  if (!r) return null;
  const lines = await db`select * from b2b_order_lines where order_id = ${id} order by line_no`;
  return {
    ...toOrder(r),
    lines: lines.map((l: Row) => ({
      lineNo: Number(l.line_no),
      sku: l.sku as string,
      nameEn: l.name_en as string,
      nameBn: l.name_bn as string,
      qty: Number(l.qty),
      unitPriceMinor: Number(l.unit_price_minor),
      vatRateBp: Number(l.vat_rate_bp),
      contract: l.contract as boolean,
    })),
  };
}
export type OrderDetail = NonNullable<Awaited<ReturnType<typeof getOrder>>>;

async function lockOrder(tx: Db, id: string) {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw new NotFoundError("b2b order");
  const [o] = await tx`select * from b2b_orders where id = ${id} for update`;
  if (!o) throw new NotFoundError("b2b order");
  return o;
}

/** The account's approver (or admin) approves a buyer's order. */
export async function approveOrder(
  db: Sql,
  userId: string,
  accountId: number,
  id: string,
  now: Date,
) {
  await inTx(db, async (tx) => {
    const o = await lockOrder(tx, id);
    if (Number(o.account_id) !== accountId) throw new NotFoundError("b2b order");
    const [m] = await tx`select role from b2b_members
      where account_id = ${accountId} and user_id = ${userId}`;
    if (!m || m.role === "buyer") throw new ConflictError("not_approver");
    if (o.status !== "pending_approval") throw new ConflictError("order_status");
    await tx`update b2b_orders set status = 'confirmed', approved_by = ${userId},
      updated_at = ${now} where id = ${id}`;
    await appendAudit(tx, {
      actorId: userId,
      action: "b2b.order.approved",
      entity: "b2b_order",
      entityId: id,
      at: now,
    });
  });
}

/** A sales manager releases a credit hold, with a reason (audited). */
export async function releaseHold(db: Sql, id: string, reason: string, actor: Actor, now: Date) {
  if (reason.trim().length < 3 || reason.length > 500) {
    throw new ValidationError({ reason: "reason" });
  }
  await inTx(db, async (tx) => {
    const o = await lockOrder(tx, id);
    if (o.status !== "credit_hold") throw new ConflictError("order_status");
    const a = (await getAccount(tx, Number(o.account_id)))!;
    const [m] = await tx`select role from b2b_members
      where account_id = ${a.id} and user_id = ${o.placed_by}`;
    const next = a.requiresApproval && m?.role === "buyer" ? "pending_approval" : "confirmed";
    await tx`update b2b_orders set status = ${next}, released_by = ${actor.id},
      release_reason = ${reason.trim()}, updated_at = ${now} where id = ${id}`;
    await appendAudit(tx, {
      actorId: actor.id,
      action: "b2b.order.hold_released",
      entity: "b2b_order",
      entityId: id,
      data: { reason: reason.trim(), holdReason: o.hold_reason, to: next },
      at: now,
    });
  });
}

/** Staff cancel an order not yet delivered: its lots go back. */
export async function cancelOrder(db: Sql, deps: B2bDeps, id: string, actor: Actor, now: Date) {
  await inTx(db, async (tx) => {
    const o = await lockOrder(tx, id);
    if (!OPEN_ORDER.includes(o.status)) throw new ConflictError("order_status");
    await deps.stock.releaseReservation(tx, { kind: "b2b", id });
    await tx`update b2b_orders set status = 'cancelled', updated_at = ${now} where id = ${id}`;
    await appendAudit(tx, {
      actorId: actor.id,
      action: "b2b.order.cancelled",
      entity: "b2b_order",
      entityId: id,
      at: now,
    });
  });
}

/** Staff mark a confirmed order delivered: the lots are sold and the invoice on account issued. */
export async function markDelivered(deps: B2bDeps, id: string, actor: Actor, now: Date) {
  return await inTx(deps.sql, async (tx) => {
    const o = await lockOrder(tx, id);
    if (o.status !== "confirmed") throw new ConflictError("order_status");
    const a = (await getAccount(tx, Number(o.account_id)))!;
    const [outlet] = await tx`select name, address from b2b_outlets where id = ${o.outlet_id}`;
    const lines = await tx`select * from b2b_order_lines where order_id = ${id} order by line_no`;
    await deps.stock.fulfil(tx, { kind: "b2b", id }, actor);
    const invoice = await deps.books.issueInvoiceOnAccount(tx, {
      customer: {
        ref: `b2b:${a.id}`,
        name: a.company,
        address: `${outlet.name}, ${outlet.address}`.slice(0, 300),
        lang: a.lang,
        bin: a.bin,
      },
      lines: lines.map((l: Row) => ({
        description: { en: `Smart Dairy ${l.name_en}`, bn: `স্মার্ট ডেইরি ${l.name_bn}` },
        unit: { en: "pcs", bn: "টি" },
        quantity: Number(l.qty),
        unitPriceMinor: Number(l.unit_price_minor),
        vatRateBp: Number(l.vat_rate_bp),
      })),
      terms: a.terms,
      sourceRef: o.number,
    });
    await tx`update b2b_orders set status = 'delivered', invoice_number = ${invoice.number},
      updated_at = ${now} where id = ${id}`;
    await appendAudit(tx, {
      actorId: actor.id,
      action: "b2b.order.delivered",
      entity: "b2b_order",
      entityId: id,
      data: { invoice: invoice.number },
      at: now,
    });
    return invoice.number;
  });
}

export const dhakaToday = (now: Date) => dhakaDate(now);

/** The account's admin adds a person (by phone or email) with a role, or changes their role. */
export async function inviteMember(
  deps: B2bDeps,
  actorUserId: string,
  accountId: number,
  identifier: string,
  role: MemberRole,
  now: Date,
) {
  const [me] = await deps.sql`select role from b2b_members
    where account_id = ${accountId} and user_id = ${actorUserId}`;
  if (me?.role !== "admin") throw new ConflictError("not_account_admin");
  if (!MEMBER_ROLES.includes(role)) throw new ValidationError({ role: "role" });
  const id = identifier.trim() ? await deps.people?.findId(identifier.trim()) : null;
  if (!id) throw new ValidationError({ identifier: "unknownPerson" });
  if (id === actorUserId) throw new ValidationError({ identifier: "yourself" });
  await setMember(deps.sql, accountId, id, role, { id: actorUserId, name: "b2b admin" }, now);
}
