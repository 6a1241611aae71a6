/**
 * The bounded contexts wired to each other, once: the doors (services/<context>/mod.ts) and the
 * small interfaces one hands another. main.ts and the tests' app build them here, so a test runs
 * the same wiring as production.
 */
import type { Sql } from "@/services/platform/db.ts";
import type { Config } from "@/services/platform/config.ts";
import type { Keyring } from "@/services/crypto/field_crypto.ts";
import { createAudit } from "@/services/audit/mod.ts";
import { createNotify, enqueueMessage } from "@/services/notify/mod.ts";
import { createIdentity } from "@/services/identity/mod.ts";
import { createIot } from "@/services/iot/mod.ts";
import { createQuality } from "@/services/quality/mod.ts";
import { createFarm, farmForRecall, inventoryForFarm } from "@/services/farm/mod.ts";
import { createPayments } from "@/services/payments/mod.ts";
import { createShop, orderPort, shopForRecall } from "@/services/shop/mod.ts";
import { createSite } from "@/services/site/mod.ts";
import { createProduction } from "@/services/production/mod.ts";
import { createPurchase, inventoryForPurchase } from "@/services/purchase/mod.ts";
import { contactsOf, createInventory, inventoryForRecall } from "@/services/inventory/mod.ts";
import { createIntake, intakeForRecall } from "@/services/intake/mod.ts";
import { createRecall } from "@/services/recall/mod.ts";
import { createAccounting } from "@/services/accounting/mod.ts";
import { createB2b } from "@/services/b2b/mod.ts";
import { createPrivacy } from "@/services/privacy/mod.ts";
import {
  createDelivery,
  createPaperfly,
  createPathao,
  createSteadfast,
} from "@/services/delivery/mod.ts";
import { publicOrigin } from "@/services/platform/config.ts";
import { createApi } from "@/services/api/mod.ts";
import { createWebhooks } from "@/services/webhooks/mod.ts";
import { storageStatus } from "@/services/iot/mod.ts";
import type { AppDeps } from "@/state.ts";

export interface ContextDeps {
  sql: Sql;
  kv: Deno.Kv;
  keyring: Keyring;
  config: Config;
  clock: { now(): Date };
  appSecret: string;
  /** The broker the live screens use, read when a feed opens (tests set it after the start). */
  mqttUrl: () => string;
}

export function createContexts(d: ContextDeps) {
  const { sql, kv, keyring, config, clock } = d;
  const audit = createAudit({ sql });
  const notify = createNotify({ sql, config, clock });
  const identity = createIdentity({ sql, kv, keyring, clock, notify, audit });
  // The ledger first: the shop, payments and purchase post through its port (accounting.ledger),
  // each in its own transaction.
  const accounting = createAccounting({
    sql,
    clock,
    // Customers' bank transfers: statement lines are matched through payments' door.
    bankTransfers: () => payments.bankTransfers,
  });
  const iot = createIot({
    sql,
    appSecret: d.appSecret,
    get mqttUrl() {
      return d.mqttUrl();
    },
    clock,
    // IoT pages name who acted on alarms and holds.
    people: {
      displayName: async (id: string) => (await identity.contactOf(id))?.displayName ?? null,
    },
  });
  // Stock by lot: the shop, production, quality, purchase and intake move stock through its port.
  const inventory = createInventory({
    sql,
    clock,
    // Expiry alerts go to the warehouse staff.
    staffContacts: async () =>
      contactsOf((await identity.listUsers({ role: "warehouse", status: "active" })).rows),
    // Scrap, count differences, goods shipped and farm use at cost (stock valuation).
    ledger: accounting.ledger,
  });
  // Quality decides lots' status and holds the lots where a cold-chain alarm fired.
  const quality = createQuality({ sql, clock, inventory, iot: iot.forQuality() });
  const production = createProduction({
    sql,
    clock,
    inventory: inventory.port,
    lots: inventory.lots,
    // Inputs taken into work in progress, goods made at cost, the yield variance.
    ledger: accounting.ledger,
  });
  // Purchasing receives goods into lots through inventory's port.
  const purchase = createPurchase({
    sql,
    clock,
    inventory: inventoryForPurchase(inventory),
    ledger: accounting.ledger,
  });
  // The VAT registers name a bill's supplier, BIN and number from purchasing's door.
  accounting.connectVatSources({ purchaseBill: (id) => purchase.getBill(id) });
  // The farm draws feed and medicine from the lots purchasing received (inventory's port).
  const farm = createFarm({
    sql,
    clock,
    iot: iot.forFarm(),
    inventory: inventoryForFarm(inventory),
  });
  // Milk intake: tank milk and farmers' deliveries enter stock as intake lots.
  const intake = createIntake({
    sql,
    clock,
    keyring,
    inventory: inventory.port,
    farm: farm.forIntake(),
    secret: d.appSecret,
    // Raw milk into stock owed to the farmers, their statements paid.
    ledger: accounting.ledger,
  });
  const payments = createPayments({
    sql,
    keyring,
    config,
    clock,
    // A provider's payment page names the customer (identity's door, not its tables).
    people: { contactOf: (id) => identity.contactOf(id) },
    // Cancelled unpaid orders put their items back into the customer's cart (KV).
    orders: orderPort(keyring, inventory.port, accounting.ledger, kv),
    ledger: accounting.ledger,
    // A payment on account settles the business's invoices (B2B's door, built below).
    onAccountPaid: (tx, p) => b2b.paymentReceived(tx, p),
  });
  const shop = createShop({
    sql,
    kv,
    keyring,
    clock,
    payments,
    accountPhone: async (id) => (await identity.contactOf(id))?.phone ?? null,
    accountNames: (ids) => identity.displayNames(ids),
    // Lots, FEFO reservations and availability by SKU come from inventory.
    stock: inventory.port,
    stockLocations: async () => (await inventory.locations()).filter((l) => l.sellable),
    ledger: accounting.ledger,
    // Order messages carry the customer's tracking link (delivery's door, built below).
    trackingLink: (number) => delivery.trackingUrl(number),
  });
  // The books' sales report reads the shop's delivered sales through its door.
  accounting.connectSalesSources({
    salesFigures: (from, to, by) => shop.salesFigures(from, to, by),
  });
  // Lineage and recalls: each context answers through its small recall port.
  const recall = createRecall({
    sql,
    clock,
    inventory: inventoryForRecall(inventory.port.setLotStatus),
    intake: intakeForRecall,
    farm: farmForRecall,
    shop: shopForRecall(keyring),
  });
  // The public site asks the shop for its delivery areas and products.
  const site = createSite({ sql, keyring, shop });
  // B2B: the shop's catalogue through its door, lots through inventory's port, receivables and
  // invoices on account through accounting's door.
  const b2b = createB2b({
    sql,
    clock,
    catalogue: (skus) => shop.packsBySku(skus),
    stock: inventory.port,
    books: {
      openItems: (q) => accounting.openItems(q),
      issueInvoiceOnAccount: (tx, input) => accounting.issueInvoiceOnAccount(tx, input),
    },
    // Adding a person to an account finds them by phone or email (identity's door).
    people: {
      findId: async (identifier) => (await identity.findUserByIdentifier(identifier))?.id ?? null,
      names: (ids) => identity.displayNames(ids),
    },
    // Documents and money: the books' documents, payments on account, lots, receipts by SMS.
    money: {
      books: {
        openItems: (q, db) => accounting.openItems(q, db),
        allocate: (input, actor, db) => accounting.allocate(input, actor, db),
        issueCreditNote: (input, actor, db) => accounting.issueCreditNote(input, actor, db),
        getDocument: (number) => accounting.getDocument(number),
        documentPdf: (d, lang) => accounting.documentPdf(d, lang),
        statementPdf: (q) => accounting.statementPdf(q),
      },
      payments: {
        startOnAccount: (input) => payments.onAccount.start(input),
        redirectOf: async (id) => {
          const r = await payments.start(id);
          return r.ok ? r.redirectUrl ?? null : null;
        },
        record: (tx, input) => payments.onAccount.record(tx, input),
        list: (party) => payments.onAccount.list(party),
      },
      stock: inventory.port,
      sms: async (tx, m) => {
        await enqueueMessage(tx, { channel: "sms", purpose: "notice", ...m }, {
          now: clock.now(),
        });
      },
    },
    // Outlets choose the shop's delivery zones and slots; wholesale enquiries of the contact form
    // come through the site's door.
    deliveryOptions: async () => ({ zones: await shop.activeZones(), slots: await shop.slots() }),
    enquiries: async () =>
      (await site.contactMessages(200)).filter((m) => m.topic === "wholesale").map((m) => ({
        id: m.id,
        name: m.name,
        phone: m.phone,
        email: m.email,
        message: m.message,
        createdAt: m.createdAt,
      })),
  });
  // Customers' data downloads and deletions, through each context's door.
  const privacy = createPrivacy({ sql, clock, audit, identity, shop, payments, notify, site });
  // The last mile: riders' routes and sync, the customers' tracking page (orders via the shop's door).
  const delivery = createDelivery({
    sql,
    clock,
    appSecret: d.appSecret,
    origin: () => publicOrigin(config),
    shop,
    people: {
      riders: async () =>
        (await identity.listUsers({ role: "rider", status: "active", limit: 500 })).rows
          .map((u) => ({ id: u.id, name: u.displayName })),
      displayName: async (id) => (await identity.contactOf(id))?.displayName ?? null,
    },
    pathao: config.COURIER_PATHAO_BASE_URL
      ? createPathao({
        baseUrl: config.COURIER_PATHAO_BASE_URL,
        clientId: config.COURIER_PATHAO_CLIENT_ID ?? "",
        clientSecret: config.COURIER_PATHAO_CLIENT_SECRET ?? "",
        username: config.COURIER_PATHAO_USERNAME ?? "",
        password: config.COURIER_PATHAO_PASSWORD ?? "",
        storeId: config.COURIER_PATHAO_STORE_ID ?? 0,
        webhookSecret: config.COURIER_PATHAO_WEBHOOK_SECRET ?? "",
      }, clock)
      : null,
    steadfast: config.COURIER_STEADFAST_BASE_URL
      ? createSteadfast({
        baseUrl: config.COURIER_STEADFAST_BASE_URL,
        apiKey: config.COURIER_STEADFAST_API_KEY ?? "",
        secretKey: config.COURIER_STEADFAST_SECRET_KEY ?? "",
        webhookToken: config.COURIER_STEADFAST_WEBHOOK_TOKEN ?? "",
        chargeMinor: config.COURIER_STEADFAST_CHARGE_MINOR,
      })
      : null,
    paperfly: config.COURIER_PAPERFLY_BASE_URL
      ? createPaperfly({
        baseUrl: config.COURIER_PAPERFLY_BASE_URL.endsWith("/")
          ? config.COURIER_PAPERFLY_BASE_URL
          : `${config.COURIER_PAPERFLY_BASE_URL}/`,
        username: config.COURIER_PAPERFLY_USERNAME ?? "",
        password: config.COURIER_PAPERFLY_PASSWORD ?? "",
        apiKey: config.COURIER_PAPERFLY_KEY ?? "",
        chargeMinor: config.COURIER_PAPERFLY_CHARGE_MINOR,
        pickup: (([name, address, thana, district, phone]) => ({
          name,
          address,
          thana,
          district,
          phone,
        }))(config.COURIER_PAPERFLY_PICKUP.split("|").map((x) => x.trim())),
      })
      : null,
  });
  // The public API's callers: keys, OAuth clients, limits (issue 16).
  const api = createApi({ sql, keyring, clock, origin: publicOrigin(config) });
  // Partners' webhooks: the contexts emit events in their transactions; the worker delivers them.
  const webhooks = createWebhooks({ sql, keyring, clock });
  return {
    audit,
    notify,
    identity,
    iot,
    inventory,
    quality,
    production,
    purchase,
    farm,
    intake,
    payments,
    shop,
    recall,
    site,
    accounting,
    b2b,
    privacy,
    delivery,
    api,
    webhooks,
  };
}

/**
 * The web app's dependencies: the contexts wired as above, with what only the web adds (its
 * readiness checks, the demo flag). `mqttUrl` is read from the result when a live feed opens,
 * so a test may point it at its own broker after the start.
 */
export function createAppDeps(
  d: Omit<ContextDeps, "mqttUrl"> & {
    mqttUrl: string;
    readiness: AppDeps["readiness"];
    readinessDetails: AppDeps["readinessDetails"];
    demoAccounts?: boolean;
  },
): AppDeps {
  const deps: AppDeps = { ...d, ...createContexts({ ...d, mqttUrl: () => deps.mqttUrl }) };
  return deps;
}

/** /readyz's note on which IoT storage plan runs and why (null when it cannot be read). */
export function iotStorageDetails(sql: Sql): Promise<Record<string, unknown>> {
  return storageStatus(sql).then(
    (s) => ({
      iotStorage: { mode: s.mode, allowed: s.allowed, downgraded: s.downgraded, reason: s.reason },
    }),
    () => ({ iotStorage: null }),
  );
}
