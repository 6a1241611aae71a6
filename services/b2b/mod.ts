/**
 * The B2B context's door (issue 14): business accounts (applications, approval, outlets, contacts,
 * users with roles), price lists per customer group and per account with quantity breaks, orders
 * (quick order, CSV of sku,qty) with stock reserved by lot, approval and credit holds, and the
 * invoice on account at delivery.
 *
 * Owns (tables): b2b_accounts, b2b_outlets, b2b_contacts, b2b_members, b2b_prices, b2b_orders,
 * b2b_order_lines (migrations 0600–0619).
 * Interfaces: the shop's catalogue through the shop's door (`packsBySku`); stock through
 * inventory's port (reserve / releaseReservation / fulfil, ref kind "b2b"); receivables and the
 * invoice on account through accounting's door (party `b2b:<accountId>`).
 */
import type { Sql } from "@/services/platform/db.ts";
import * as s from "./service.ts";
import type { Tx } from "@/services/platform/tx.ts";
import type { MoneyDeps } from "./money.ts";
import * as pay from "./payments.ts";
import * as docs from "./documents.ts";
import * as ret from "./returns.ts";
import * as field from "./field.ts";
import * as o from "./outlets.ts";
import * as st from "./standing.ts";
import * as du from "./documents_upload.ts";
import * as db from "./dashboard.ts";

export {
  ACCOUNT_STATUSES,
  MAX_LINES,
  MEMBER_ROLES,
  netOf,
  normalPhone,
  ORDER_STATUSES,
  parseCsv,
  TERMS,
  unitPrice,
  vatOn,
} from "./service.ts";
export type {
  Account,
  AccountStatus,
  ApplicationInput,
  B2bDeps,
  CreditInput,
  MemberRole,
  OrderDetail,
  OrderLineInput,
  OrderStatus,
  OrderSummary,
  PlacedOrder,
  PriceInput,
  PriceRow,
  Terms,
} from "./service.ts";
export { b2bMessages, fill } from "./messages.ts";
export { type B2bMoneyMessages, b2bMoneyMessages } from "./money_messages.ts";
export type { MoneyDeps } from "./money.ts";
export type { FieldEntry, FieldResult, RouteOutlet } from "./field.ts";
export { PAY_METHODS, type PayMethod } from "./payments.ts";
export {
  type Condition,
  CONDITIONS,
  RETURN_KINDS,
  type ReturnInput,
  type ReturnKind,
  type ReturnRecord,
} from "./returns.ts";
export { ConflictError, NotFoundError, ValidationError } from "@/services/platform/errors.ts";
export { addDays, dhakaDate, dhakaTime } from "@/services/platform/dhaka.ts";
export type { B2bMessages } from "./messages.ts";
export { b2bMoreMessages } from "./messages_more.ts";
export type { B2bMoreMessages } from "./messages_more.ts";
export type { OutletDetail, OutletInput } from "./outlets.ts";
export { cutoffOf, dueDays, STANDING_CUTOFF } from "./standing.ts";
export type { StandingOrder, StandingRunResult } from "./standing.ts";
export { DOCUMENT_KINDS, MAX_DOCUMENT_BYTES, MAX_DOCUMENTS } from "./documents_upload.ts";
export type { DocumentInfo, DocumentKind } from "./documents_upload.ts";
export type { SalesRow } from "./dashboard.ts";
export type { Enquiry } from "./service.ts";

export function createB2b(deps: s.B2bDeps & { money?: MoneyDeps }) {
  const sql: Sql = deps.sql;
  const now = () => deps.clock?.now() ?? new Date();
  const money = () => {
    if (!deps.money) throw new Error("b2b: money deps not wired");
    return deps.money;
  };
  /** Open receivables of the account (accounting) and its open orders. */
  async function exposureOf(accountId: number) {
    const items = await deps.books.openItems({
      side: "receivable",
      party: `b2b:${accountId}`,
    });
    const today = s.dhakaToday(now());
    const open = await s.listOrders(sql, { accountId });
    return {
      receivableMinor: items.reduce((t, i) => t + i.openMinor, 0),
      overdueMinor: items.filter((i) => i.openMinor > 0 && i.dueDate && i.dueDate < today)
        .reduce((t, i) => t + i.openMinor, 0),
      openOrdersMinor: open.filter((o) =>
        ["pending_approval", "credit_hold", "confirmed"].includes(o.status)
      ).reduce((t, o) => t + o.totalMinor, 0),
    };
  }
  return {
    // ---- documents and money (§5: documents.ts, payments.ts, returns.ts) ----
    /** Staff or the rider deliver: lots sold, invoice on account, who received it (one tx). */
    deliver: (id: string, proof: { receivedBy: string; note?: string }, actor: s.Actor) =>
      docs.deliver(deps, id, proof, actor, now()),
    proof: (orderId: string) => docs.proofOf(sql, orderId),
    /** Each order line's lots (delivery note on screen). */
    deliveryLines: (orderId: string) => docs.deliveryLines(money(), sql, orderId),
    /** PDFs: null (a 404) when not the account's; `accountId` null is staff. */
    deliveryNotePdf: (orderId: string, accountId: number | null, lang: "en" | "bn") =>
      docs.deliveryNotePdf(money(), sql, orderId, accountId, lang, now()),
    documentPdf: (number: string, accountId: number | null, lang: "en" | "bn") =>
      docs.documentPdf(money(), number, accountId, lang),
    statementPdf: (accountId: number, month: string, lang: "en" | "bn") =>
      docs.statementPdf(money(), accountId, month, lang, now()),
    /** Open invoices (overdue flagged), credit on account and totals. */
    openInvoices: (accountId: number) => pay.openInvoices(money(), sql, accountId, now()),
    paymentsOf: (accountId: number) => money().payments.list(pay.partyOf(accountId)),
    payOnAccount: (
      userId: string,
      accountId: number,
      input: { method: string; amountMinor: number; invoices: string[] },
    ) => pay.payOnAccount(money(), sql, userId, accountId, input, now()),
    recordTransfer: (
      accountId: number,
      input: { amountMinor: number; reference: string; invoices: string[] },
      actor: s.Actor,
    ) => pay.recordTransfer(money(), sql, accountId, input, actor, now()),
    /** Payments' hook: a payment on account succeeded (in its transaction). */
    async paymentReceived(tx: Tx, p: { party: string; invoices: string[] }) {
      const id = pay.accountOfParty(p.party);
      if (id !== null) await pay.settle(money(), tx, id, p.invoices, now());
    },
    /** Allocates what is open on the account (payments a worker applied without the hook). */
    settle: (accountId: number) => sql.begin((tx) => pay.settle(money(), tx, accountId, [], now())),
    recordReturn: (orderId: string, input: ret.ReturnInput, actor: s.Actor) =>
      ret.recordReturn(money(), sql, orderId, input, actor, now()),
    returnsOf: (orderId: string) => ret.returnsOf(sql, orderId),
    // ---- field sales (§6: field.ts) ----
    setRoute: (repUserId: string, outletIds: number[], actor: s.Actor) =>
      field.setRoute(sql, repUserId, outletIds, actor, now()),
    /** The rep's outlets with balances and overdue invoices. */
    routeOf: (repUserId: string) => field.routeOf(money(), sql, repUserId, now()),
    /** What the rep's phone sent; one answer per entry (a repeat is a duplicate). */
    syncField: (rep: s.Actor & { id: string }, entries: unknown[]) =>
      field.syncField(deps, rep, entries, now()),
    fieldEntries: (repUserId: string) => field.entriesOf(sql, repUserId),
    now,
    // ---- accounts ----
    apply: (userId: string, a: s.ApplicationInput) => s.apply(sql, userId, a, now()),
    /** The account a user belongs to and their role in it (null: none). */
    membershipOf: (userId: string) => s.membershipOf(sql, userId),
    /** The user's latest application (whatever its status). */
    applicationOf: (userId: string) => s.applicationOf(sql, userId),
    account: (id: number) => s.getAccount(sql, id),
    listAccounts: (status: s.AccountStatus | null = null) => s.listAccounts(sql, status),
    outlets: (accountId: number) => s.outletsOf(sql, accountId),
    contacts: (accountId: number) => s.contactsOf(sql, accountId),
    members: (accountId: number) => s.membersOf(sql, accountId),
    setStatus: (id: number, to: s.AccountStatus, reason: string, actor: s.Actor) =>
      s.setStatus(sql, id, to, reason, actor, now()),
    setCredit: (id: number, c: s.CreditInput, actor: s.Actor) =>
      s.setCredit(sql, id, c, actor, now()),
    setMember: (accountId: number, userId: string, role: s.MemberRole | null, actor: s.Actor) =>
      s.setMember(sql, accountId, userId, role, actor, now()),
    /** The account's admin adds a person by phone or email with a role. */
    inviteMember: (
      actorUserId: string,
      accountId: number,
      identifier: string,
      role: s.MemberRole,
    ) => s.inviteMember(deps, actorUserId, accountId, identifier, role, now()),
    /** The users of an account with their names (identity's door). */
    async membersNamed(accountId: number) {
      const ms = await s.membersOf(sql, accountId);
      const names = (await deps.people?.names(ms.map((m) => m.userId))) ?? new Map();
      return ms.map((m) => ({ ...m, name: names.get(m.userId) ?? "—" }));
    },
    // ---- prices ----
    savePrice: (p: s.PriceInput, actor: s.Actor) =>
      s.savePrice(
        sql,
        p,
        async (sku) => (await deps.catalogue([sku])).has(sku),
        actor,
        now(),
      ),
    priceRows: (a: s.Account) => s.priceRowsOfAccount(sql, a),
    /**
     * The account's price list today: every sellable pack with its unit price (without and with
     * VAT) for one pack and its quantity breaks.
     */
    async priceList(a: s.Account) {
      const today = s.dhakaToday(now());
      const rows = await s.pricesFor(sql, a, today);
      const packs = await deps.catalogue(null);
      return [...packs.values()].map((p) => {
        const one = s.unitPrice(rows, p, 1);
        const breaks = rows.filter((r) => r.sku === p.sku && r.minQty > 1).map((r) => ({
          minQty: r.minQty,
          unitMinor: s.unitPrice(rows, p, r.minQty).unitMinor,
        }));
        const seen = new Set<number>();
        return {
          pack: p,
          ...one,
          withVatMinor: one.unitMinor + s.vatOn(one.unitMinor, p.vatRateBp),
          publicMinor: p.priceMinor,
          breaks: breaks.filter((b) => !seen.has(b.minQty) && seen.add(b.minQty)),
        };
      });
    },
    // ---- orders ----
    placeOrder: (userId: string, accountId: number, input: s.PlaceInput) =>
      s.placeOrder(deps, userId, accountId, input, now()),
    orders: (f: { accountId?: number; status?: s.OrderStatus } = {}) => s.listOrders(sql, f),
    /** One order; with `accountId` only when it is that account's (else null). */
    order: (id: string, accountId: number | null) => s.getOrder(sql, id, accountId),
    approveOrder: (userId: string, accountId: number, id: string) =>
      s.approveOrder(sql, userId, accountId, id, now()),
    releaseHold: (id: string, reason: string, actor: s.Actor) =>
      s.releaseHold(sql, id, reason, actor, now()),
    cancelOrder: (id: string, actor: s.Actor) => s.cancelOrder(sql, deps, id, actor, now()),
    /** Open receivables of the account (accounting) and its open orders. */
    exposure: exposureOf,
    // ---- outlets, zones, standing orders (issue 14, second slice) ----
    /** The account's outlets with their zone, slot and receiving hours. */
    outletDetails: (accountId: number) => o.outletDetails(sql, accountId),
    saveOutlet: (userId: string, accountId: number, input: o.OutletInput) =>
      o.saveOutlet(deps, userId, accountId, input, now()),
    deliveryOptions: async () => (await deps.deliveryOptions?.()) ?? { zones: [], slots: [] },
    zoneMinimums: () => o.zoneMinimums(sql),
    setZoneMinimum: (zoneCode: string, minOrderMinor: number, actor: s.Actor) =>
      o.setZoneMinimum(deps, zoneCode, minOrderMinor, actor, now()),
    standingOrders: (accountId: number) => st.standingOf(sql, accountId),
    saveStanding: (
      userId: string,
      accountId: number,
      input: { outletId: number; weekday: number; lines: s.OrderLineInput[] },
    ) => st.saveStanding(deps, userId, accountId, input, now()),
    /** The scheduled job: places the standing orders due (idempotent; see standing.ts). */
    runStandingOrders: () => st.runStanding(deps, now()),
    standingCalendar: (from: string, days: number) => st.standingCalendar(sql, from, days),
    holidays: (from: string, to: string) => st.holidays(sql, from, to),
    setHoliday: (day: string, name: string, actor: s.Actor) =>
      st.setHoliday(sql, day, name, actor, now()),
    // ---- the application's papers ----
    uploadDocument: (
      userId: string,
      accountId: number,
      f: { kind: string; filename: string; bytes: Uint8Array },
    ) => du.uploadDocument(sql, userId, accountId, f, now()),
    documents: (accountId: number) => du.documentsOf(sql, accountId),
    documentFile: (id: number, viewer: { staff: true } | { userId: string }) =>
      du.documentFile(sql, id, viewer),
    // ---- staff: dashboard, exposure, enquiries ----
    salesDashboard: (from: string, to: string) => db.salesDashboard(sql, from, to),
    setSalesRep: (accountId: number, rep: string) => db.setSalesRep(sql, accountId, rep),
    /** Exposure of every account that can owe, against its credit limit. */
    async exposures() {
      const accounts = await db.exposureAccounts(sql);
      return await Promise.all(accounts.map(async (a) => ({ ...a, ...(await exposureOf(a.id)) })));
    },
    enquiries: () => db.enquiries(deps),
    applicationFromEnquiry: (enquiryId: number, a: s.ApplicationInput, actor: s.Actor) =>
      db.applicationFromEnquiry(deps, enquiryId, a, actor, now()),
  };
}

export type B2b = ReturnType<typeof createB2b>;
