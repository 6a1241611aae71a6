/** The typed request state every route, middleware and page sees. */
import type { Lang, Messages } from "@/services/i18n/mod.ts";
import type { Config } from "@/services/platform/mod.ts";
import type { Identity } from "@/services/identity/mod.ts";
import type { Audit } from "@/services/audit/mod.ts";
import type { Notify } from "@/services/notify/mod.ts";
import type { Site } from "@/services/site/mod.ts";

/** Long-lived dependencies built once by main.ts (the composition root). */
export interface AppDeps {
  config: Config;
  kv: Deno.Kv;
  /** Checks that each dependency answers, for /readyz. */
  readiness(): Promise<Record<string, boolean>>;
  /** Informative details for /readyz (e.g. which IoT storage plan runs); never makes it fail. */
  readinessDetails(): Promise<Record<string, unknown>>;
  /** The contexts' doors (services/<context>/mod.ts), built once by main.ts. */
  identity: Identity;
  audit: Audit;
  notify: Notify;
  site: Site;
  appSecret: string;
  keyring: import("@/services/crypto/field_crypto.ts").Keyring;
  /** The MQTT broker the live screens subscribe to (as svc-live). */
  mqttUrl: string;
  /** The embedded demo (demo accounts exist): the sign-in page says how to try them. */
  demoAccounts?: boolean;
  /** What time it is (delivery cut-offs, discounts); tests inject one. */
  clock: { now(): Date };
  /** The shop context's door (catalog, carts, checkout, orders, subscriptions, staff screens). */
  shop: import("@/services/shop/mod.ts").Shop;
  /** The payments context's door (providers, callbacks, refunds, bank, reconciliation). */
  payments: import("@/services/payments/mod.ts").Payments;
  /** The farm context's door (services/farm/mod.ts). */
  farm: import("@/services/farm/mod.ts").Farm;
  /** The IoT context's door (services/iot/mod.ts). */
  iot: import("@/services/iot/mod.ts").Iot;
  /** The inventory context's door (items, locations, lots, moves, reservations). */
  inventory: import("@/services/inventory/mod.ts").Inventory;
  /** The quality context's door (test plans, results, release/hold/reject, cold-chain holds). */
  quality: import("@/services/quality/mod.ts").Quality;
  /** The production context's door (BoMs, Mushak 4.3, production orders). */
  production: import("@/services/production/mod.ts").Production;
  /** The purchase context's door (suppliers, orders, receipts, bills, reordering). */
  purchase: import("@/services/purchase/mod.ts").Purchase;
  /** The milk intake context's door (tank receipts, farmers, collection, statements). */
  intake: import("@/services/intake/mod.ts").Intake;
  /** Lineage from cow to customer and back; recalls (services/recall/mod.ts). */
  recall: import("@/services/recall/mod.ts").Recall;
  /** The ledger: chart of accounts, entries, periods, reports; `poster` for other contexts. */
  accounting: import("@/services/accounting/mod.ts").Accounting;
  /** Business accounts, contract prices, B2B orders and credit (services/b2b/mod.ts). */
  b2b: import("@/services/b2b/mod.ts").B2b;
  /** Customers' data downloads and deletion requests (services/privacy/mod.ts). */
  privacy: import("@/services/privacy/mod.ts").Privacy;
  /** The last mile: own fleet's routes, the rider's phone sync, customers' tracking page. */
  delivery: import("@/services/delivery/mod.ts").Delivery;
  /** The public API's callers: keys, OAuth clients, limits, `authenticateApiRequest`. */
  api: import("@/services/api/mod.ts").Api;
  /** Partners' webhook subscriptions, deliveries and their log (services/webhooks/mod.ts). */
  webhooks: import("@/services/webhooks/mod.ts").Webhooks;
}

export interface State {
  deps: AppDeps;
  lang: Lang;
  t: Messages;
  /** Page title and description, set by handlers for the <head>. */
  title?: string;
  description?: string;
  /** The signed-in user and their session id (set by routes/_middleware.ts from the cookie). */
  user?: import("@/plugins/session.ts").SessionUser;
  sessionId?: string;
}
