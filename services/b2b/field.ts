/**
 * Field sales (issue 14 §6): a sales representative's route (the outlets staff give them), each
 * outlet's balance and overdue invoices, and what the rep records on the phone — orders, visits,
 * cash collections — synced from the phone's outbox. Every entry carries the id the phone gave it
 * (a UUID): the first sync applies it in one transaction with its row in b2b_field_entries, a
 * repeated sync finds the row and answers "duplicate" with the first outcome — nothing is lost
 * or doubled. A cash collection is a payment on account (payments' door, method cash) set
 * against the outlet's account's invoices, with a receipt by SMS to the account's contact.
 */
import type { Sql } from "@/services/platform/db.ts";
import type { Tx } from "@/services/platform/tx.ts";
import { inTx } from "@/services/platform/tx.ts";
import { addDays, dhakaDate, isDate } from "@/services/platform/dhaka.ts";
import { ConflictError, NotFoundError, ValidationError } from "@/services/platform/errors.ts";
import { appendAudit } from "@/services/audit/mod.ts";
import { formatTaka } from "@/services/i18n/mod.ts";
import type { MoneyDeps } from "./money.ts";
import { type Actor, type B2bDeps, getAccount, placeOrder } from "./service.ts";
import { openInvoices, partyOf } from "./payments.ts";
import { b2bMoneyMessages } from "./money_messages.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Staff give a representative their outlets (in visiting order); replaces the route. */
export async function setRoute(
  sql: Sql,
  repUserId: string,
  outletIds: number[],
  actor: Actor,
  now: Date,
) {
  if (!UUID.test(repUserId)) throw new ValidationError({ rep: "rep" });
  if (outletIds.some((i) => !Number.isSafeInteger(i) || i <= 0) || outletIds.length > 200) {
    throw new ValidationError({ outlets: "outlet" });
  }
  await inTx(sql, async (tx) => {
    const found = await tx`select id from b2b_outlets where id = any(${outletIds}::bigint[])
      and active`;
    if (found.length !== new Set(outletIds).size) throw new ValidationError({ outlets: "outlet" });
    await tx`delete from b2b_rep_outlets where rep_user_id = ${repUserId}`;
    for (const [i, id] of outletIds.entries()) {
      await tx`insert into b2b_rep_outlets (rep_user_id, outlet_id, position)
        values (${repUserId}, ${id}, ${i}) on conflict do nothing`;
    }
    await appendAudit(tx, {
      actorId: actor.id,
      action: "b2b.rep.route",
      entity: "user",
      entityId: repUserId,
      data: { outlets: outletIds },
      at: now,
    });
  });
}

export interface RouteOutlet {
  outletId: number;
  outletName: string;
  address: string;
  accountId: number;
  company: string;
  openMinor: number;
  overdueMinor: number;
  overdue: { number: string; dueDate: string; openMinor: number }[];
  lastVisit: string | null;
}

/** The rep's outlets with their accounts' balances and overdue invoices. */
export async function routeOf(
  m: MoneyDeps,
  sql: Sql,
  repUserId: string,
  now: Date,
): Promise<RouteOutlet[]> {
  if (!UUID.test(repUserId)) return [];
  const rows = await sql`
    select r.outlet_id, t.name, t.address, t.account_id, a.company,
      (select max(e.recorded_at) from b2b_field_entries e where e.outlet_id = r.outlet_id)
        as last_visit
    from b2b_rep_outlets r join b2b_outlets t on t.id = r.outlet_id
    join b2b_accounts a on a.id = t.account_id
    where r.rep_user_id = ${repUserId} and t.active and a.status = 'active'
    order by r.position, r.outlet_id`;
  const byAccount = new Map<number, Awaited<ReturnType<typeof openInvoices>>>();
  const out: RouteOutlet[] = [];
  for (const r of rows) {
    const accountId = Number(r.account_id);
    if (!byAccount.has(accountId)) {
      byAccount.set(accountId, await openInvoices(m, sql, accountId, now));
    }
    const o = byAccount.get(accountId)!;
    out.push({
      outletId: Number(r.outlet_id),
      outletName: r.name,
      address: r.address,
      accountId,
      company: r.company,
      openMinor: o.openMinor - o.creditMinor,
      overdueMinor: o.overdueMinor,
      overdue: o.invoices.filter((i) => i.overdue).map((i) => ({
        number: i.number,
        dueDate: i.dueDate,
        openMinor: i.openMinor,
      })),
      lastVisit: r.last_visit ? new Date(r.last_visit).toISOString() : null,
    });
  }
  return out;
}

export interface FieldEntry {
  id: string;
  kind: "order" | "visit" | "collection";
  outletId: number;
  recordedAt: string;
  note?: string;
  amountMinor?: number;
  deliveryDate?: string;
  lines?: { sku: string; qty: number }[];
}

export interface FieldResult {
  id: string;
  status: "applied" | "duplicate" | "rejected" | "error";
  /** The first outcome (duplicates): "applied" or "rejected:<code>". */
  original?: string;
  code?: string;
  orderNumber?: string;
}

/** Reads one entry of a sync body; null with the field that is wrong. */
function checkEntry(e: unknown, now: Date): FieldEntry | string {
  const x = e as Record<string, unknown>;
  if (!x || typeof x !== "object") return "entry";
  if (typeof x.id !== "string" || !UUID.test(x.id)) return "id";
  if (!["order", "visit", "collection"].includes(String(x.kind))) return "kind";
  if (!Number.isSafeInteger(x.outletId) || Number(x.outletId) <= 0) return "outlet";
  const at = new Date(String(x.recordedAt));
  if (isNaN(at.getTime())) return "recordedAt";
  // Phones' clocks drift; more than a day ahead or a month old is not believable.
  if (at.getTime() > now.getTime() + 86_400_000 || at.getTime() < now.getTime() - 31 * 86_400_000) {
    return "recordedAt";
  }
  const note = x.note === undefined ? undefined : String(x.note).slice(0, 500);
  if (x.kind === "collection") {
    if (!Number.isSafeInteger(x.amountMinor) || Number(x.amountMinor) < 100) return "amount";
  }
  if (x.kind === "order") {
    if (!Array.isArray(x.lines) || x.lines.length === 0 || x.lines.length > 200) return "lines";
    for (const l of x.lines as Record<string, unknown>[]) {
      if (typeof l?.sku !== "string" || !Number.isInteger(l.qty)) return "lines";
    }
    if (x.deliveryDate !== undefined && !isDate(String(x.deliveryDate))) return "deliveryDate";
  }
  return {
    id: x.id.toLowerCase(),
    kind: x.kind as FieldEntry["kind"],
    outletId: Number(x.outletId),
    recordedAt: at.toISOString(),
    note,
    amountMinor: x.kind === "collection" ? Number(x.amountMinor) : undefined,
    deliveryDate: x.deliveryDate ? String(x.deliveryDate) : undefined,
    lines: x.kind === "order"
      ? (x.lines as { sku: string; qty: number }[]).map((l) => ({
        sku: l.sku.trim().toUpperCase(),
        qty: l.qty,
      }))
      : undefined,
  };
}

/** Applies what a rep's phone sent, entry by entry (each its own transaction). */
export async function syncField(
  deps: B2bDeps & { money?: MoneyDeps },
  rep: Actor & { id: string },
  entries: unknown[],
  now: Date,
): Promise<FieldResult[]> {
  if (!Array.isArray(entries) || entries.length > 100) {
    throw new ValidationError({ entries: "entries" });
  }
  const out: FieldResult[] = [];
  for (const raw of entries) {
    const e = checkEntry(raw, now);
    const id = String((raw as { id?: unknown })?.id ?? "");
    if (typeof e === "string") {
      out.push({ id, status: "rejected", code: e });
      continue;
    }
    try {
      out.push(await applyEntry(deps, rep, e, now));
    } catch (err) {
      if (
        err instanceof ValidationError || err instanceof ConflictError ||
        err instanceof NotFoundError
      ) {
        const code = err instanceof ValidationError
          ? Object.values(err.fieldErrors)[0] ?? "invalid"
          : err.message;
        // Kept, so that the same entry sent again gets the same answer.
        await deps.sql`
          insert into b2b_field_entries (id, rep_user_id, outlet_id, kind, recorded_at, synced_at,
            note, amount_minor, outcome)
          select ${e.id}, ${rep.id}, ${e.outletId}, ${e.kind}, ${e.recordedAt}, ${now},
            ${e.note ?? null}, ${e.amountMinor ?? null}, ${`rejected:${code}`}
          where exists (select 1 from b2b_outlets where id = ${e.outletId})
          on conflict (id) do nothing`;
        out.push({ id: e.id, status: "rejected", code });
      } else {
        out.push({ id: e.id, status: "error" });
      }
    }
  }
  return out;
}

async function applyEntry(
  deps: B2bDeps & { money?: MoneyDeps },
  rep: Actor & { id: string },
  e: FieldEntry,
  now: Date,
): Promise<FieldResult> {
  const seen = await firstOutcome(deps.sql, rep, e.id);
  if (seen) return seen;
  const [onRoute] = await deps.sql`select t.account_id from b2b_rep_outlets r
    join b2b_outlets t on t.id = r.outlet_id
    where r.rep_user_id = ${rep.id} and r.outlet_id = ${e.outletId}`;
  if (!onRoute) throw new NotFoundError("outlet");
  const accountId = Number(onRoute.account_id);
  /** The entry's row, in the transaction that applies it: false when another sync was first. */
  const claim = async (tx: Tx, orderId: string | null) => {
    const inserted = await tx`
      insert into b2b_field_entries (id, rep_user_id, outlet_id, kind, recorded_at, synced_at,
        note, amount_minor, order_id, outcome)
      values (${e.id}, ${rep.id}, ${e.outletId}, ${e.kind}, ${e.recordedAt}, ${now},
        ${e.note ?? null}, ${e.amountMinor ?? null}, ${orderId}, 'applied')
      on conflict (id) do nothing returning id`;
    return inserted.length > 0;
  };
  try {
    if (e.kind === "order") {
      // placeOrder runs its own transaction (it reads the catalogue and the books outside it);
      // the entry's row is written inside it, so the order and the entry commit together.
      const placed = await placeOrder(
        deps,
        rep.id,
        accountId,
        {
          outletId: e.outletId,
          deliveryDate: e.deliveryDate ?? addDays(dhakaDate(now), 1),
          lines: e.lines!,
        },
        now,
        true,
        async (tx, p) => {
          if (!(await claim(tx, p.id))) throw new AlreadyApplied();
        },
      );
      return { id: e.id, status: "applied", orderNumber: placed.number };
    }
    return await inTx(deps.sql, async (tx) => {
      if (!(await claim(tx, null))) throw new AlreadyApplied();
      if (e.kind === "collection") await collect(deps.money!, tx, rep, accountId, e);
      return { id: e.id, status: "applied" as const };
    });
  } catch (err) {
    if (err instanceof AlreadyApplied) return (await firstOutcome(deps.sql, rep, e.id))!;
    throw err;
  }
}

/** Another sync of the same entry committed first (its transaction is rolled back). */
class AlreadyApplied extends Error {}

/** The answer for an entry already kept: a duplicate with the first outcome (or not the rep's). */
async function firstOutcome(
  sql: Sql,
  rep: { id: string },
  id: string,
): Promise<FieldResult | null> {
  const [first] = await sql`select e.rep_user_id, e.outcome, o.number from b2b_field_entries e
    left join b2b_orders o on o.id = e.order_id where e.id = ${id}`;
  if (!first) return null;
  if (first.rep_user_id !== rep.id) return { id, status: "rejected", code: "id" };
  return {
    id,
    status: "duplicate",
    original: first.outcome,
    orderNumber: first.number ?? undefined,
  };
}

/** Cash collected at the outlet: a payment on account, set against its invoices; a receipt SMS. */
async function collect(
  m: MoneyDeps,
  tx: Tx,
  rep: Actor & { id: string },
  accountId: number,
  e: FieldEntry,
) {
  const a = (await getAccount(tx, accountId))!;
  await m.payments.record(tx, {
    party: partyOf(accountId),
    method: "cod",
    amountMinor: e.amountMinor!,
    reference: `field:${e.id}`,
    actor: rep,
  });
  const [contact] = await tx`select phone from b2b_contacts where account_id = ${accountId}
    order by id limit 1`;
  if (!contact) return;
  const t = b2bMoneyMessages[a.lang];
  const amount = formatTaka(e.amountMinor!, a.lang).replace(/^৳\s?/, "");
  await m.sms(tx, {
    to: contact.phone,
    locale: a.lang,
    dedupeKey: `b2b-receipt:${e.id}`,
    body: t.receiptSms
      .replace("{amount}", amount)
      .replace("{company}", a.company)
      .replace("{date}", dhakaDate(new Date(e.recordedAt)))
      .replace("{ref}", e.id.slice(0, 8).toUpperCase()),
  });
}

/** A rep's entries (newest first) for the staff's view and the phone's history. */
export async function entriesOf(sql: Sql, repUserId: string) {
  if (!UUID.test(repUserId)) return [];
  const rows = await sql`select e.*, t.name as outlet_name from b2b_field_entries e
    join b2b_outlets t on t.id = e.outlet_id
    where e.rep_user_id = ${repUserId} order by e.recorded_at desc limit 100`;
  return rows.map((r) => ({
    id: r.id as string,
    kind: r.kind as FieldEntry["kind"],
    outletName: r.outlet_name as string,
    recordedAt: new Date(r.recorded_at),
    amountMinor: r.amount_minor === null ? null : Number(r.amount_minor),
    outcome: r.outcome as string,
  }));
}
