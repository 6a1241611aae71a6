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
export { ConflictError, NotFoundError, ValidationError } from "@/services/platform/errors.ts";
export { addDays, dhakaDate } from "@/services/platform/dhaka.ts";
export type { B2bMessages } from "./messages.ts";
export { b2bMoreMessages } from "./messages_more.ts";
export type { B2bMoreMessages } from "./messages_more.ts";
export type { OutletDetail, OutletInput } from "./outlets.ts";
export { cutoffOf, dueDays, STANDING_CUTOFF } from "./standing.ts";
export type { StandingOrder, StandingRunResult } from "./standing.ts";
export { DOCUMENT_KINDS, MAX_DOCUMENT_BYTES, MAX_DOCUMENTS } from "./documents_upload.ts";
export type { DocumentInfo, DocumentKind } from "./documents_upload.ts";
export type { Enquiry, SalesRow } from "./dashboard.ts";

export function createB2b(deps: s.B2bDeps) {
  const sql: Sql = deps.sql;
  const now = () => deps.clock?.now() ?? new Date();
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
    markDelivered: (id: string, actor: s.Actor) => s.markDelivered(deps, id, actor, now()),
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
