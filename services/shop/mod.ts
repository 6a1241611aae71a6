/**
 * The shop context's door: catalog, carts, checkout, orders, delivery, discounts, subscriptions
 * and the prepaid balance, for customers and for staff.
 *
 * Owns (tables): shop_categories, shop_products, shop_variants, shop_tax_classes, shop_orders, shop_order_lines, shop_order_events, shop_addresses,
 * shop_customer_prefs, shop_discount_codes, shop_discount_redemptions, shop_delivery_slots,
 * shop_delivery_zones, shop_zone_upazilas (and reads the geo_* tables of 0300_bangladesh_geo),
 * shop_subscriptions, shop_subscription_items, _pauses, _skips, _runs, shop_product_photos,
 * shop_photo_media (photos.ts).
 * KV: ["cart", owner], ["idem", "checkout", user:token].
 * Interfaces: payments changes orders only through `orderPort()` (order_ledger.ts: lock, markPaid,
 * switchMethod, markRefunded, addCash, cancelUnpaid), handed to createPayments; the shop
 * asks payments' door (`payments` at construction, `orderPayments` inside its transactions) to
 * open, start, charge from balance, cancel and refund payments. Stock is inventory's: the shop
 * gets `ShopStock` (part of inventory's port) and reserves lots at checkout, releases them on
 * cancellation, fulfils them when the goods leave, and shows availability by SKU (stock.ts).
 */
import * as privacy from "./privacy.ts";
import type { Sql } from "@/services/platform/db.ts";
import { inTx } from "@/services/platform/tx.ts";
import { addDays, dhakaDate } from "@/services/platform/dhaka.ts";
import { keys } from "@/services/platform/kv.ts";
import type { Keyring } from "@/services/crypto/field_crypto.ts";
import type { PaymentMethod, PaymentOrders, Payments } from "@/services/payments/mod.ts";
import * as cart from "./cart.ts";
import * as catalog from "./catalog.ts";
import * as delivery from "./delivery.ts";
import * as zones from "./delivery_zones.ts";
import * as discounts from "./discounts.ts";
import * as orders from "./orders.ts";
import * as subs from "./subscriptions.ts";
import { searchProducts, type SearchQuery } from "./search.ts";
import { cancelOrder } from "./cancel.ts";
import { staffSetStatus, type StaffStatusInput } from "./staff_orders.ts";
import { ShopError } from "./errors.ts";
import { orderLedger } from "./order_ledger.ts";
import { shopDashboardFigures } from "./dashboard_figures.ts";
import type { OrderDeps, ShopStock, StockOf } from "./stock.ts";
import type { ShopLedger } from "@/services/accounting/port.ts";
import * as photos from "./photos.ts";
import { packsBySku } from "./b2b_catalog.ts";
export type { CataloguePack } from "./b2b_catalog.ts";

// ---- what callers may name (types, schemas, pure helpers) ------------------------------------
import { type SalesDimension, salesFigures } from "./sales_figures.ts";
export { ShopError } from "./errors.ts";
export type { SalesDimension, SalesFigure } from "./sales_figures.ts";
export type { OrderLedger, PayableOrder } from "./order_ledger.ts";
export type { ShopErrorCode } from "./errors.ts";
export {
  CatalogFieldError,
  categoryInputSchema,
  IMAGE_STYLES,
  packLabel,
  productInputSchema,
  stockReceiptSchema,
  STORAGE,
  takaSchema,
  taxRateSchema,
  UNITS,
} from "./catalog.ts";
export type {
  AdminProductRow,
  Category,
  ImageStyle,
  Product,
  StockReceipt,
  TaxClass,
  Unit,
  Variant,
  VariantInfo,
} from "./catalog.ts";
export type { CartView } from "./cart.ts";
export { isGuestId, MAX_QTY } from "./cart.ts";
export type { AddressGeo, Coverage, DeliverySlot } from "./delivery.ts";
export { ADDRESS_FIELDS } from "./address.ts";
export type { DeliveryZone, ZoneAdmin } from "./delivery_zones.ts";
export { zoneInputSchema } from "./delivery_zones.ts";
export { discountInputSchema, normalizeCode } from "./discounts.ts";
export type { DiscountCode } from "./discounts.ts";
export { checkoutSchema, customerMayCancel, ORDER_NUMBER } from "./orders.ts";
export type { OrderDetail, OrderSummary, PickFrom, PickingSheet } from "./orders.ts";
export type { OrderDeps, ShopStock } from "./stock.ts";
export { defaultLocation, itemCodeOf, itemOfVariant, minShelfDaysFor } from "./stock.ts";
export { nextStatuses, ORDER_STATUSES } from "./order_status.ts";
export type { OrderStatus } from "./order_status.ts";
export { BILLINGS, subscriptionSchema } from "./subscriptions.ts";
export type { CalendarDay, RunResult, SubItem, Subscription } from "./subscriptions.ts";
export type { BalanceEntry } from "@/services/payments/mod.ts";
export { PAGE_SIZE, searchQuerySchema, SORTS } from "./search.ts";
export type { ProductCard, SearchQuery, SearchResult } from "./search.ts";
export {
  IMAGE_WIDTHS,
  isImageStyle,
  productImageUrl,
  productSrcset,
  productSvg,
} from "./images.ts";
export type { ShopMessages } from "./messages.ts";
export { MAX_PHOTO_BYTES, MAX_PHOTOS_PER_PRODUCT, PhotoError } from "./photos.ts";
export type { AdminPhoto, PhotoErrorCode, PhotoView } from "./photos.ts";
export { photoCatalogs } from "./photo_messages.ts";
export { formToken, pathId, text, z } from "@/services/platform/schema.ts";
export { addDays, dhakaDate, dhakaTime, isDate } from "@/services/platform/dhaka.ts";
export { publicOrigin } from "@/services/platform/config.ts";
export type { PaymentMethod };
export { PAYMENT_METHODS } from "@/services/payments/mod.ts";
/** A row of a customer's (or staff's) subscription list. */
export type SubscriptionRow = Awaited<ReturnType<typeof subs.listSubscriptions>>[number];

export interface ShopDeps {
  sql: Sql;
  kv: Deno.Kv;
  keyring: Keyring;
  /** What time it is (delivery cut-offs, discounts); absent: the system clock. */
  clock?: { now(): Date };
  payments: Payments;
  /** The phone a customer's account has, to prefill checkout (offered by identity). */
  accountPhone?: (userId: string) => Promise<string | null>;
  /** Account holders' display names by id (offered by identity), for the staff lists. */
  accountNames?: (userIds: readonly string[]) => Promise<Map<string, string>>;
  /** Inventory's port (the part the shop uses): lots, reservations, availability. */
  stock: ShopStock;
  /** Where staff may receive packs (inventory's sellable locations). */
  stockLocations?: () => Promise<{ code: string; nameEn: string; nameBn: string }[]>;
  /** The books (accounting's port): the sale at delivery, a payment from the balance. */
  ledger?: ShopLedger;
  /** The customer's tracking link of an order (delivery's door), put into the order's messages. */
  trackingLink?: (orderNumber: string) => Promise<string> | string;
}

/** The checkout form as validated by checkoutSchema. */
export type CheckoutForm = orders.CheckoutInput;

/** What a checkout attempt ended in; a refusal names the form field it is about. */
export type CheckoutOutcome =
  | { ok: true; number: string; redirectUrl: string }
  | { ok: false; code: ShopError["code"]; field: string | null; status: number; error: ShopError };

/** The form field a checkout refusal is about (null: the whole form). */
function checkoutField(code: string): string | null {
  if (code.startsWith("discount_")) return "discountCode";
  if (code === "past_cutoff" || code === "date_too_far") return "deliveryDate";
  if (code === "slot_unavailable") return "slotCode";
  if (code === "zone_not_covering" || code === "zone_unavailable") return "zoneId";
  return null;
}

/**
 * The photo worker's step (workers/shop_photos.ts): make the sizes of up to `limit` waiting
 * product photos; and the demo seed's upload. Built without the rest of the door, like orderPort.
 */
export function photoJobs(sql: Sql, clock: { now(): Date } = { now: () => new Date() }) {
  return {
    process: (limit = 1) => photos.processPendingPhotos(sql, () => clock.now(), limit),
    /** Uploads a photo as staff would (the demo seed); throws PhotoError. */
    upload: (productId: number, bytes: Uint8Array, actorId: string) =>
      photos.uploadPhoto(sql, productId, bytes, actorId),
  };
}

/**
 * What payments may know and do of orders (built without the payments door, so no cycle): the
 * only way a payment changes shop_orders.
 */
export function orderPort(
  keyring: Keyring,
  stock: ShopStock,
  books?: ShopLedger,
  carts?: Deno.Kv,
): PaymentOrders {
  return orderLedger(keyring, stock, books, carts);
}

/** The shop's scheduled job: due subscription deliveries become orders. */
export function subscriptionJobs(
  deps: { sql: Sql; keyring: Keyring; stock: ShopStock; books?: ShopLedger },
) {
  return {
    run: (at: Date = new Date()) => subs.runSubscriptions(deps.sql, deps, at),
  };
}

export function createShop(deps: ShopDeps) {
  const { sql, kv, keyring, payments, stock } = deps;
  const now = () => deps.clock?.now() ?? new Date();
  /** Packs available today, by SKU (inventory). */
  const stockOf: StockOf = (skus) => stock.availableBySku(skus, dhakaDate(now()));
  const od: OrderDeps = { keyring, stock, books: deps.ledger };
  if (deps.trackingLink) od.track = deps.trackingLink;

  async function addToCart(owner: string, variantId: number, qty: number): Promise<boolean> {
    const v = (await catalog.variantsByIds(sql, [variantId])).get(variantId);
    if (!v?.sellable) return false;
    await cart.addToCart(kv, owner, variantId, qty);
    return true;
  }

  return {
    now,

    // ---- catalog ----
    /** Products matching a query, each with its main photo (null: the drawing stands in). */
    async search(q: SearchQuery) {
      const r = await searchProducts(sql, q, stockOf);
      const shots = await photos.mainPhotos(sql, r.items.map((p) => p.id));
      return { ...r, items: r.items.map((p) => ({ ...p, photo: shots.get(p.id) ?? null })) };
    },
    categories: (activeOnly = true) => catalog.listCategories(sql, activeOnly),
    /** Active products by id after a cursor, with variants and stock (the public API). */
    productsPage: (q: { afterId: number; limit: number; category?: string }) =>
      catalog.listProductsPage(sql, q, stockOf),
    async product(slug: string) {
      const p = await catalog.getProductBySlug(sql, slug, stockOf);
      return p && { ...p, photo: (await photos.mainPhotos(sql, [p.id])).get(p.id) ?? null };
    },
    productSlugs: () => catalog.listProductSlugs(sql),
    subscribableVariants: () => catalog.subscribableVariants(sql, stockOf),
    variantsByIds: (ids: number[]) => catalog.variantsByIds(sql, ids, stockOf),

    // ---- cart (owner: "u:<user>" or "g:<guest>") ----
    ownerOfUser: cart.userOwner,
    ownerOfGuest: cart.guestOwner,
    newGuestId: cart.newGuestId,
    cart: (owner: string) => cart.getCart(kv, owner),
    async cartCount(owner: string | null): Promise<number> {
      return owner ? (await cart.getCart(kv, owner)).items.reduce((a, i) => a + i.qty, 0) : 0;
    },
    mergeGuestCart: (guestId: string, userId: string) => cart.mergeGuestCart(kv, guestId, userId),
    async viewCart(owner: string | null) {
      const c = owner ? await cart.getCart(kv, owner) : { items: [], updatedAt: 0 };
      return { cart: c, view: await cart.viewCart(sql, c, stockOf) };
    },
    /** Adds a variant to a cart when it is for sale; false when it is not. */
    addToCart,
    setQty: (owner: string, variantId: number, qty: number) =>
      cart.setQty(kv, owner, variantId, qty),
    /**
     * Adds `delta` packs of a variant (a negative delta takes some away) and returns the line's
     * quantity after; more of a variant that is not for sale is refused (the quantity stays).
     */
    async stepQty(owner: string, variantId: number, delta: number): Promise<number> {
      const qtyIn = (c: cart.Cart) => c.items.find((i) => i.variantId === variantId)?.qty ?? 0;
      if (delta > 0 && !(await catalog.variantsByIds(sql, [variantId])).get(variantId)?.sellable) {
        return qtyIn(await cart.getCart(kv, owner));
      }
      return qtyIn(await cart.addToCart(kv, owner, variantId, delta));
    },
    /** Checks a discount code against the cart and keeps it there; throws ShopError. */
    async applyCode(owner: string, code: string, userId: string | null) {
      const view = await cart.viewCart(sql, await cart.getCart(kv, owner), stockOf);
      await discounts.checkCode(sql, code, view.subtotalMinor, userId, now());
      await cart.setDiscountCode(kv, owner, code);
    },
    removeCode: (owner: string) => cart.setDiscountCode(kv, owner, undefined),
    /** The discount a code gives on a subtotal; throws ShopError when it does not apply. */
    checkCode: (code: string, subtotalMinor: number, userId: string | null) =>
      discounts.checkCode(sql, code, subtotalMinor, userId, now()),

    // ---- delivery ----
    coverage: () => delivery.coverage(sql),
    slots: (activeOnly = true) => delivery.listSlots(sql, activeOnly),
    openDeliveries: (slots: delivery.DeliverySlot[], days = 7) =>
      delivery.openDeliveries(slots, now(), days),
    activeZones: () => zones.listActiveZones(sql),

    // ---- checkout ----
    /** The customer's remembered address and payment method (and account phone). */
    async checkoutDefaults(userId: string) {
      const d = await orders.checkoutDefaults(sql, keyring, userId);
      const phone = d.contact?.phone ?? (await deps.accountPhone?.(userId)) ?? null;
      return { ...d, phone };
    },
    offeredMethods: (signedIn: boolean) => payments.offeredMethods(signedIn),
    balance: (userId: string) => payments.balance(userId),
    balanceEntries: (userId: string) => payments.balanceEntries(userId),
    /**
     * Places the owner's cart as an order, once per form token however often it is posted,
     * empties the cart and starts the payment. A refusal says which field it is about.
     */
    async checkout(
      owner: string,
      input: {
        userId: string;
        lang: "en" | "bn";
        form: CheckoutForm;
        clientIp?: string;
      },
      idempotencyKey: string,
    ): Promise<CheckoutOutcome> {
      const idemKey = keys.idem("checkout", `${input.userId}:${idempotencyKey}`);
      const prior = await kv.get<{ number?: string }>(idemKey);
      if (prior.value?.number) {
        return {
          ok: true,
          number: prior.value.number,
          redirectUrl: `/shop/orders/${prior.value.number}`,
        };
      }
      const claim = await kv.atomic().check(prior).set(idemKey, {}, { expireIn: 120_000 }).commit();
      if (!claim.ok) return { ok: true, number: "", redirectUrl: "/shop/orders" };
      const c = await cart.getCart(kv, owner);
      let placed;
      try {
        placed = await orders.placeOrder(sql, od, {
          userId: input.userId,
          locale: input.lang,
          items: c.items,
          checkout: input.form,
          allowedMethods: payments.offeredMethods(true),
          now: now(),
        });
      } catch (e) {
        await kv.delete(idemKey);
        if (!(e instanceof ShopError)) throw e;
        return {
          ok: false,
          code: e.code,
          field: checkoutField(e.code),
          status: e.status,
          error: e,
        };
      }
      await kv.set(idemKey, { number: placed.number }, { expireIn: 24 * 3600_000 });
      await cart.clearCart(kv, owner);
      const at = `/shop/orders/${placed.number}`;
      if (placed.paymentId && placed.paymentMethod !== "bank_transfer") {
        const started = await payments.start(placed.paymentId, { clientIp: input.clientIp });
        return {
          ok: true,
          number: placed.number,
          redirectUrl: started.ok ? `${at}/pay` : `${at}?pay=failed`,
        };
      }
      return { ok: true, number: placed.number, redirectUrl: `${at}?placed=1` };
    },

    // ---- orders (customer) ----
    order: (number: string) => orders.getOrder(sql, keyring, { number }),
    ordersOf: (userId: string, opts: { withUnpaidCancelled?: boolean } = {}) =>
      orders.listOrdersForUser(sql, userId, opts),
    cancelOrder: (orderId: string, userId: string) =>
      cancelOrder({ ...payments.context(), ...od }, {
        orderId,
        customerId: userId,
        actorId: userId,
        reason: "cancelled by the customer",
        now: now(),
      }),
    /** Puts an order's items back into a cart (those still for sale). */
    async reorder(orderId: string, owner: string) {
      for (const item of await orders.orderItems(sql, orderId)) {
        await cart.addToCart(kv, owner, item.variantId, item.qty);
      }
    },
    /**
     * Pays an order again with another method; returns where to send the customer (the
     * provider hop, or the order itself).
     */
    async payAgain(
      order: { id: string; number: string },
      method: PaymentMethod,
      userId: string,
      at: { clientIp?: string },
    ): Promise<string> {
      const here = `/shop/orders/${order.number}`;
      const r = await payments.retryOrder(order.id, method, userId, payments.offeredMethods(false));
      if (r.method === "cod" || r.method === "bank_transfer") return here;
      const started = await payments.start(r.paymentId, at);
      return started.ok ? `${here}/pay` : `${here}?pay=failed`;
    },
    /** A balance top-up started with a provider: the payment's id, or null when refused. */
    async topUp(
      userId: string,
      method: Parameters<Payments["createTopup"]>[1],
      amountMinor: number,
      at: { clientIp?: string },
    ): Promise<string | null> {
      const paymentId = await payments.createTopup(userId, method, amountMinor);
      const started = await payments.start(paymentId, at);
      return started.ok && started.redirectUrl ? paymentId : null;
    },

    // ---- subscriptions ----
    subscription: (id: string) => subs.getSubscription(sql, keyring, id),
    subscriptionsOf: (userId: string | null, limit?: number) =>
      subs.listSubscriptions(sql, userId, limit, deps.accountNames),
    firstChangeableDate: () => subs.firstChangeableDate(sql, now()),
    calendar: (sub: subs.Subscription, days: number) => subs.calendar(sql, sub, days, now()),
    subscribe: (userId: string, lang: "en" | "bn", input: subs.SubscriptionInput) =>
      subs.createSubscription(sql, keyring, userId, lang, input, now()),
    skipDate: (userId: string, subId: string, date: string) =>
      subs.skipDate(sql, userId, subId, date, now()),
    unskipDate: (userId: string, subId: string, date: string) =>
      subs.unskipDate(sql, userId, subId, date, now()),
    addPause: (userId: string, subId: string, from: string, to: string) =>
      subs.addPause(sql, userId, subId, from, to, now()),
    removePause: (userId: string, subId: string, pauseId: number) =>
      subs.removePause(sql, userId, subId, pauseId, now()),
    updateItems: (userId: string, subId: string, items: subs.SubItem[]) =>
      subs.updateItems(sql, userId, subId, items),
    cancelSubscription: (userId: string, subId: string) =>
      subs.cancelSubscription(sql, userId, subId),
    /** Turns due subscription deliveries into orders (the worker, and staff on demand). */
    runSubscriptions: (at?: Date) => subscriptionJobs({ sql, ...od }).run(at),

    // ---- staff ----
    /** The shop's overview for staff: orders by status, deliveries due, takings, low stock. */
    async dashboard() {
      const today = dhakaDate(now());
      const tomorrow = addDays(today, 1);
      const [byStatus, deliveries, revenue7dMinor, openIssues, active] = await Promise.all([
        sql`
          select status, count(*)::int as n from shop_orders
          where placed_at > now() - interval '30 days' group by status order by status`,
        sql`
          select delivery_date::text as date, count(*)::int as n from shop_orders
          where delivery_date in (${today}, ${tomorrow})
            and status in ('confirmed', 'packed', 'out_for_delivery')
          group by delivery_date order by delivery_date`,
        payments.takings(7),
        payments.openIssueCount(),
        sql`
          select v.sku, p.name_en from shop_variants v
          join shop_products p on p.id = v.product_id
          where v.active and p.active`,
      ]);
      const have = await stockOf(active.map((r) => r.sku));
      const low = active.map((r) => ({ sku: r.sku as string, name: r.name_en as string }))
        .map((r) => ({ ...r, stock: have.get(r.sku) ?? 0 }))
        .filter((r) => r.stock < LOW_STOCK)
        .sort((a, b) => a.stock - b.stock || a.sku.localeCompare(b.sku)).slice(0, 10);
      return {
        byStatus: byStatus.map((r) => ({ status: r.status as string, n: r.n as number })),
        today,
        tomorrow,
        deliveries: deliveries.map((r) => ({ date: r.date as string, n: r.n as number })),
        revenue7dMinor,
        openIssues,
        lowStock: low,
      };
    },
    /** Delivered sales of a range by product, channel or area, for the books (sales_figures.ts). */
    salesFigures: (from: string, to: string, by: SalesDimension) => salesFigures(sql, from, to, by),
    /** The back office home page's sales figures for one Dhaka day (dashboard_figures.ts). */
    dashboardFigures: (day: string) => shopDashboardFigures(sql, day),
    adminOrders: (q: orders.AdminOrderQuery) => orders.listOrdersAdmin(sql, q),
    setOrderStatus: (input: StaffStatusInput) =>
      staffSetStatus({ ...payments.context(), ...od }, input),
    /** The day's orders to pack, each line with the lots and locations to pick it from. */
    pickingSheet: (date: string, slot: string | null) => orders.pickingSheet(sql, od, date, slot),
    /** An order's lots and locations per line (staff order view). */
    orderPicks: (orderId: string) => orders.orderPicks(sql, od, orderId),
    adminProducts: (q: Parameters<typeof catalog.listProductsAdmin>[1]) =>
      catalog.listProductsAdmin(sql, q, stockOf),
    productById: (id: number) => catalog.getProduct(sql, id, stockOf),

    // ---- product photos (photos.ts) ----
    /** Checks an uploaded photo and keeps it for the photo worker; throws PhotoError. */
    uploadPhoto: (productId: number, bytes: Uint8Array, actorId: string) =>
      photos.uploadPhoto(sql, productId, bytes, actorId),
    /** Makes the sizes of waiting photos (the photo worker's step); returns what it did. */
    processPhotos: (limit?: number) => photos.processPendingPhotos(sql, now, limit),
    productPhotos: (productId: number) => photos.productPhotos(sql, productId),
    deletePhoto: (productId: number, photoId: number) =>
      photos.deletePhoto(sql, productId, photoId),
    makeMainPhoto: (productId: number, photoId: number) =>
      photos.makeMainPhoto(sql, productId, photoId),
    /** A photo size by the key and width its URL names (the media route). */
    photoMedia: (key: string, width: number, ext: string) =>
      photos.photoMedia(sql, key, width, ext),
    taxClasses: () => catalog.listTaxClasses(sql),
    /** Saves a product (new when id is null); returns its id. */
    saveProduct: (id: number | null, input: catalog.ProductInput, actorId: string) =>
      inTx(sql, async (tx) => {
        const sc = { stock, today: dhakaDate(now()) };
        if (id) {
          await catalog.updateProduct(tx, id, input, actorId, sc);
          return id;
        }
        return await catalog.createProduct(tx, input, actorId, sc);
      }),
    /** Receives packs of a variant into a new lot (inventory); returns the lot. */
    receiveStock: (input: catalog.StockReceipt, actor: { id: string; name: string }) =>
      inTx(sql, (tx) => catalog.receiveStock(tx, stock, input, actor)),
    /** Where packs may be received (inventory's sellable locations). */
    stockLocations: async () => (await deps.stockLocations?.()) ?? [],
    /** The B2B context reads packs (names, public price, VAT rate) by SKU; null: all sellable. */
    packsBySku: (skus: readonly string[] | null) => packsBySku(sql, skus),
    saveCategory: (
      id: number | null,
      input: Parameters<typeof catalog.saveCategory>[2],
      actorId: string,
    ) => inTx(sql, (tx) => catalog.saveCategory(tx, id, input, actorId)),
    setTaxRate: (code: string, rateBp: number, actorId: string) =>
      inTx(sql, (tx) => catalog.setTaxRate(tx, code, rateBp, actorId)),
    discountCodes: () => discounts.listCodes(sql),
    discountCode: (id: number) => discounts.getCode(sql, id),
    saveDiscountCode: (id: number | null, input: discounts.DiscountInput, actorId: string) =>
      inTx(sql, (tx) => discounts.saveCode(tx, id, input, actorId)),
    adminZones: () => zones.listZonesAdmin(sql),
    upazilasOfDistrict: (districtId: number) => zones.upazilasOfDistrict(sql, districtId),
    updateZone: (
      zoneId: number,
      input: Parameters<typeof zones.updateZone>[2],
      actorId: string,
    ) => inTx(sql, (tx) => zones.updateZone(tx, zoneId, input, actorId)),

    // ---- privacy (services/privacy) ----
    /** The customer's addresses, orders (with lines), subscriptions and cart, decrypted. */
    exportCustomer: (userId: string) => privacy.exportCustomer(sql, kv, keyring, userId),
    /** Erases addresses, cart, orders' and subscriptions' recipient fields; amounts stay. */
    anonymiseCustomer: (userId: string) =>
      privacy.anonymiseCustomer(sql, kv, keyring, userId, now()),
    /** Retention: orders placed in [from, to) with lines, without recipient fields. */
    archiveOrders: (from: Date, to: Date, after: string | null, limit: number) =>
      privacy.archiveOrders(sql, from, to, after, limit),
  };
}

/** Variants with fewer units available than this are listed for staff to restock. */
export const LOW_STOCK = 20;

export type Shop = ReturnType<typeof createShop>;
/** A customer's shop data as their download has it (services/privacy). */
export type ShopCustomerExport = Awaited<ReturnType<typeof privacy.exportCustomer>>;
export { shopForRecall } from "./recall_port.ts";
export { minOrderShortMinor, placeGroups, placeValue, resolvePlace } from "./checkout_place.ts";
export { checkoutCatalogs, type CheckoutMessages } from "./checkout_messages.ts";
