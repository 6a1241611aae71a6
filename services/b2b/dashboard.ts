/**
 * The staff side's figures (issue 14 §4, §7): B2B sales by account, by area (the outlet's delivery
 * zone) and by sales representative over a period; exposure per account for sales managers; the
 * contact form's wholesale enquiries (the site's door, handed in as `enquiries`) and the
 * applications made from them.
 */
import type { Db, Sql } from "@/services/platform/tx.ts";
import { isDate } from "@/services/platform/dhaka.ts";
import { isCleanText } from "@/services/platform/schema.ts";
import { ConflictError, NotFoundError, ValidationError } from "@/services/platform/errors.ts";
import { type ApplicationInput, apply, type B2bDeps } from "./service.ts";
import type { Actor } from "./service.ts";

export interface SalesRow {
  key: string;
  orders: number;
  netMinor: number;
  totalMinor: number;
}

// deno-lint-ignore no-explicit-any
type Row = Record<string, any>;

/**
 * Orders not cancelled whose delivery day falls in [from, to]: count, value without VAT and with
 * it, grouped by account, by delivery zone of the outlet and by the account's representative.
 */
export async function salesDashboard(db: Db, from: string, to: string) {
  if (!isDate(from) || !isDate(to) || to < from) {
    throw new ValidationError({ from: "date" });
  }
  const rows = await db`
    select a.company, a.id as account_id, coalesce(t.zone_code, '') as zone,
      coalesce(a.sales_rep, '') as rep, count(*)::int as orders,
      sum(o.subtotal_minor)::bigint as net, sum(o.total_minor)::bigint as total
    from b2b_orders o join b2b_accounts a on a.id = o.account_id
    join b2b_outlets t on t.id = o.outlet_id
    where o.status <> 'cancelled' and o.delivery_date between ${from}::date and ${to}::date
    group by a.company, a.id, t.zone_code, a.sales_rep`;
  const by = (key: (r: Row) => string): SalesRow[] => {
    const m = new Map<string, SalesRow>();
    for (const r of rows) {
      const k = key(r);
      const s = m.get(k) ?? { key: k, orders: 0, netMinor: 0, totalMinor: 0 };
      s.orders += Number(r.orders);
      s.netMinor += Number(r.net);
      s.totalMinor += Number(r.total);
      m.set(k, s);
    }
    return [...m.values()].sort((x, y) => y.netMinor - x.netMinor || x.key.localeCompare(y.key));
  };
  const accounts = by((r) => `${r.account_id}\t${r.company}`).map((s) => {
    const [id, company] = s.key.split("\t");
    return { ...s, accountId: Number(id), key: company };
  });
  const total = accounts.reduce(
    (t, s) => ({
      orders: t.orders + s.orders,
      netMinor: t.netMinor + s.netMinor,
      totalMinor: t.totalMinor + s.totalMinor,
    }),
    { orders: 0, netMinor: 0, totalMinor: 0 },
  );
  return { from, to, accounts, areas: by((r) => r.zone), reps: by((r) => r.rep), total };
}

/** Staff name the sales representative who looks after an account ("" : nobody). */
export async function setSalesRep(db: Sql, accountId: number, rep: string) {
  const r = rep.trim();
  if (r.length > 120 || !isCleanText(r)) throw new ValidationError({ salesRep: "rep" });
  const done = await db`update b2b_accounts set sales_rep = ${r || null}, updated_at = now()
    where id = ${accountId} returning id`;
  if (done.length === 0) throw new NotFoundError("b2b account");
}

/** Accounts that can owe (active or on hold), for the exposure list. */
export async function exposureAccounts(db: Db) {
  const rows = await db`select id, company, status, credit_limit_minor, terms, sales_rep
    from b2b_accounts where status in ('active', 'on_hold') order by company limit 500`;
  return rows.map((r: Row) => ({
    id: Number(r.id),
    company: r.company as string,
    status: r.status as string,
    creditLimitMinor: Number(r.credit_limit_minor),
    terms: r.terms as string,
    salesRep: (r.sales_rep ?? "") as string,
  }));
}

// ---- wholesale enquiries -----------------------------------------------------------------------

/** The contact form's wholesale enquiries, each with the application made from it (if any). */
export async function enquiries(deps: B2bDeps) {
  const list = (await deps.enquiries?.()) ?? [];
  const ids = list.map((e) => e.id);
  const rows = ids.length
    ? await deps.sql`select id, enquiry_id, company, status from b2b_accounts
      where enquiry_id = any(${ids}::bigint[])`
    : [];
  const made = new Map(rows.map((r: Row) => [Number(r.enquiry_id), r]));
  return list.map((e) => {
    const a = made.get(e.id);
    return {
      ...e,
      application: a
        ? { id: Number(a.id), company: a.company as string, status: a.status as string }
        : null,
    };
  });
}

/**
 * Sales turn a wholesale enquiry into an application (the same checks as the form at /b2b). The
 * enquirer becomes its applicant when they have a user (by the enquiry's phone); once.
 */
export async function applicationFromEnquiry(
  deps: B2bDeps,
  enquiryId: number,
  a: ApplicationInput,
  actor: Actor,
  now: Date,
): Promise<number> {
  const e = (await deps.enquiries?.())?.find((x) => x.id === enquiryId);
  if (!e) throw new NotFoundError("enquiry");
  const [done] = await deps.sql`select id from b2b_accounts where enquiry_id = ${enquiryId}`;
  if (done) throw new ConflictError("enquiry_done");
  const applicant = (await deps.people?.findId(e.phone)) ?? null;
  return await apply(deps.sql, applicant, a, now, { enquiryId, actor });
}
