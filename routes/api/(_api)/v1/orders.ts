/**
 * B2B orders (scopes orders:read, orders:write) and a B2B account's invoices and statement
 * (invoices:read). A B2B account's own key sees only that account: another account's orders and
 * invoices answer 404, as if they did not exist. Partner keys (the company's own systems) see all.
 */
import { z } from "@/services/api/mod.ts";
import { endpoint, pageByOffset, pageOf } from "../endpoint.ts";
import { isoDate, isoDateTime, money, uuidParam } from "./schemas.ts";
import type { ApiPrincipal } from "@/services/api/mod.ts";
import { NotFoundError } from "@/services/platform/mod.ts";
import { MAX_LINES, ORDER_STATUSES } from "@/services/b2b/mod.ts";
import { HttpError } from "@/framework/mod.ts";
import type { AppDeps } from "@/state.ts";

const orderSummary = z.object({
  id: z.uuid(),
  number: z.string(),
  accountId: z.number().int(),
  company: z.string(),
  outlet: z.object({ id: z.number().int(), name: z.string(), address: z.string() }),
  status: z.enum(ORDER_STATUSES),
  deliveryDate: isoDate,
  subtotalMinor: money,
  vatMinor: money,
  totalMinor: money,
  currency: z.literal("BDT"),
  holdReason: z.string().nullable(),
  invoiceNumber: z.string().nullable(),
  createdAt: isoDateTime,
});

const orderLine = z.object({
  lineNo: z.number().int(),
  sku: z.string(),
  name: z.object({ en: z.string(), bn: z.string() }),
  qty: z.number(),
  unitPriceMinor: money.describe("Per pack, without VAT"),
  vatRateBp: z.number().int(),
  contractPrice: z.boolean().describe("Priced from the account's contract price list"),
});
const orderDetail = orderSummary.extend({ lines: z.array(orderLine) });

type B2b = AppDeps["b2b"];
type Summary = Awaited<ReturnType<B2b["orders"]>>[number];
type Detail = NonNullable<Awaited<ReturnType<B2b["order"]>>>;

function summaryOut(o: Summary): z.input<typeof orderSummary> {
  return {
    id: o.id,
    number: o.number,
    accountId: o.accountId,
    company: o.company,
    outlet: { id: o.outletId, name: o.outletName, address: o.outletAddress },
    status: o.status,
    deliveryDate: o.deliveryDate,
    subtotalMinor: o.subtotalMinor,
    vatMinor: o.vatMinor,
    totalMinor: o.totalMinor,
    currency: "BDT",
    holdReason: o.holdReason,
    invoiceNumber: o.invoiceNumber,
    createdAt: o.createdAt.toISOString(),
  };
}

function detailOut(o: Detail): z.input<typeof orderDetail> {
  return {
    ...summaryOut(o),
    lines: o.lines.map((l) => ({
      lineNo: l.lineNo,
      sku: l.sku,
      name: { en: l.nameEn, bn: l.nameBn },
      qty: Number(l.qty),
      unitPriceMinor: l.unitPriceMinor,
      vatRateBp: l.vatRateBp,
      contractPrice: l.contract,
    })),
  };
}

/** The account a caller is limited to (null: a partner, all accounts). */
const scopeOf = (p: ApiPrincipal) => p.b2bAccountId;

async function ownOrder(deps: AppDeps, p: ApiPrincipal, id: string): Promise<Detail> {
  const o = await deps.b2b.order(id, scopeOf(p));
  if (!o) throw new NotFoundError("No such order");
  return o;
}

export const listOrders = endpoint({
  id: "listOrders",
  method: "GET",
  path: "/api/v1/orders",
  scope: "orders:read",
  tag: "orders",
  summary: "B2B orders, newest first (a B2B key: its account's only)",
  query: z.object({ status: z.enum(ORDER_STATUSES).optional() }),
  response: orderSummary,
  list: true,
  async run({ deps, principal, query, page }) {
    const rows = await deps.b2b.orders({
      accountId: scopeOf(principal) ?? undefined,
      status: query.status,
    });
    // Newest first: the cursor walks creation times downwards (the key sorts descending).
    const keyed = rows.map((o) => ({
      o,
      k: String(9e15 - o.createdAt.getTime()).padStart(16, "0") + o.id,
    }));
    const p = pageOf(keyed, (x) => x.k, page);
    return { items: p.items.map((x) => summaryOut(x.o)), nextAfter: p.nextAfter };
  },
});

export const getOrder = endpoint({
  id: "getOrder",
  method: "GET",
  path: "/api/v1/orders/{id}",
  scope: "orders:read",
  tag: "orders",
  summary: "One order with its lines",
  params: z.object({ id: uuidParam }),
  response: orderDetail,
  errors: [404],
  async run({ deps, principal, params }) {
    return detailOut(await ownOrder(deps, principal, params.id));
  },
});

export const createOrder = endpoint({
  id: "createOrder",
  method: "POST",
  path: "/api/v1/orders",
  scope: "orders:write",
  tag: "orders",
  summary: "Place an order for the key's B2B account (needs an Idempotency-Key header)",
  description: "Priced with the account's contract prices; stock is reserved by lot (FEFO). " +
    "Repeating the call with the same Idempotency-Key returns the first answer.",
  body: z.object({
    outletId: z.number().int().positive(),
    deliveryDate: isoDate,
    lines: z.array(z.object({
      sku: z.string().min(1).max(60),
      qty: z.number().int().min(1).max(100_000),
    })).min(1).max(MAX_LINES),
  }).strict(),
  response: orderDetail,
  status: 201,
  idempotent: true,
  errors: [404, 409, 422],
  async run({ deps, principal, body }) {
    if (principal.b2bAccountId === null || !principal.createdBy) {
      throw new HttpError(403, "Only a B2B account's own key (made in the portal) places orders");
    }
    const placed = await deps.b2b.placeOrder(principal.createdBy, principal.b2bAccountId, body);
    return detailOut(await ownOrder(deps, principal, placed.id));
  },
});

export const cancelOrder = endpoint({
  id: "cancelOrder",
  method: "POST",
  path: "/api/v1/orders/{id}/cancel",
  scope: "orders:write",
  tag: "orders",
  summary: "Cancel an open order (its reserved stock is released)",
  params: z.object({ id: uuidParam }),
  response: orderDetail,
  errors: [404, 409],
  async run({ deps, principal, params }) {
    await ownOrder(deps, principal, params.id);
    await deps.b2b.cancelOrder(params.id, { id: principal.createdBy, name: principal.actorLabel });
    return detailOut(await ownOrder(deps, principal, params.id));
  },
});

const historyEntry = z.object({
  at: isoDateTime,
  status: z.enum(ORDER_STATUSES).nullable().describe("The status it moved to, when it changed"),
  event: z.string().describe("placed, approved, hold_released, cancelled, delivered"),
});

export const orderHistory = endpoint({
  id: "getOrderHistory",
  method: "GET",
  path: "/api/v1/orders/{id}/history",
  scope: "orders:read",
  tag: "orders",
  summary: "The order's status history, oldest first",
  params: z.object({ id: uuidParam }),
  response: z.object({ data: z.array(historyEntry) }),
  errors: [404],
  async run({ deps, principal, params }) {
    const o = await ownOrder(deps, principal, params.id);
    const { rows } = await deps.audit.list({ entity: "b2b_order", entityId: o.id, limit: 100 });
    const TO: Record<string, (typeof ORDER_STATUSES)[number]> = {
      approved: "confirmed",
      hold_released: "confirmed",
      cancelled: "cancelled",
      delivered: "delivered",
    };
    const events = rows.map((r) => {
      const event = r.action.replace(/^b2b\.order\./, "");
      return { at: r.at.toISOString(), status: TO[event] ?? null, event };
    }).reverse();
    return {
      data: [{ at: o.createdAt.toISOString(), status: null, event: "placed" }, ...events],
    };
  },
});

// ---- invoices and statements ----

const invoice = z.object({
  number: z.string(),
  kind: z.string().describe("invoice (Mushak 6.3) or credit_note (6.7)"),
  issueDate: isoDate,
  dueDate: isoDate.nullable(),
  orderNumber: z.string().nullable(),
  valueMinor: money,
  vatMinor: money,
  totalMinor: money,
  currency: z.literal("BDT"),
  creditNotes: z.array(z.string()),
});

const accountParams = z.object({ accountId: z.coerce.number().int().positive().max(2 ** 52) });

function ownAccount(p: ApiPrincipal, accountId: number) {
  // Another account's data does not exist for a B2B key.
  if (p.b2bAccountId !== null && p.b2bAccountId !== accountId) {
    throw new NotFoundError("No such account");
  }
}

export const listInvoices = endpoint({
  id: "listInvoices",
  method: "GET",
  path: "/api/v1/accounts/{accountId}/invoices",
  scope: "invoices:read",
  tag: "invoices",
  summary: "The account's invoices and credit notes, newest first",
  params: accountParams,
  query: z.object({ from: isoDate.optional(), to: isoDate.optional() }),
  response: invoice,
  list: true,
  errors: [404],
  async run({ deps, principal, params, query, page }) {
    ownAccount(principal, params.accountId);
    const p = await pageByOffset(page, (limit, offset) =>
      deps.accounting.listDocuments({
        partyRef: `b2b:${params.accountId}`,
        from: query.from,
        to: query.to,
        limit,
        offset,
      }));
    return {
      items: p.items.map((d) => ({
        number: d.number,
        kind: d.kind,
        issueDate: d.issueDate,
        dueDate: d.dueDate,
        orderNumber: d.orderNumber,
        valueMinor: d.valueMinor,
        vatMinor: d.vatMinor,
        totalMinor: d.totalMinor,
        currency: "BDT" as const,
        creditNotes: d.creditNotes,
      })),
      nextAfter: p.nextAfter,
    };
  },
});

const statementLine = z.object({
  date: isoDate,
  dueDate: isoDate,
  reference: z.string(),
  memo: z.string(),
  chargeMinor: money,
  settleMinor: money,
  balanceMinor: money,
});

export const getStatement = endpoint({
  id: "getStatement",
  method: "GET",
  path: "/api/v1/accounts/{accountId}/statement",
  scope: "invoices:read",
  tag: "invoices",
  summary: "The account's statement for a period: opening, lines, closing balance",
  params: accountParams,
  query: z.object({ from: isoDate, to: isoDate }),
  response: z.object({
    accountId: z.number().int(),
    name: z.string(),
    from: isoDate,
    to: isoDate,
    openingMinor: money,
    closingMinor: money,
    currency: z.literal("BDT"),
    lines: z.array(statementLine),
  }),
  errors: [404],
  async run({ deps, principal, params, query }) {
    ownAccount(principal, params.accountId);
    if (query.from > query.to) {
      throw new HttpError(400, "`from` must not be after `to`", {
        fields: { from: ["after to"] },
      });
    }
    const s = await deps.accounting.statement({
      side: "receivable",
      party: `b2b:${params.accountId}`,
      from: query.from,
      to: query.to,
    });
    return {
      accountId: params.accountId,
      name: s.name,
      from: s.from,
      to: s.to,
      openingMinor: s.openingMinor,
      closingMinor: s.closingMinor,
      currency: "BDT" as const,
      lines: s.lines,
    };
  },
});

export const orderEndpoints = [
  listOrders,
  createOrder,
  getOrder,
  cancelOrder,
  orderHistory,
  listInvoices,
  getStatement,
];
