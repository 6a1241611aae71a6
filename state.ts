/** The typed request state every route, middleware and page sees. */
import type { Lang, Messages } from "@/services/i18n/mod.ts";
import type { Config } from "@/services/platform/config.ts";

/** Long-lived dependencies built once by main.ts (the composition root). */
export interface AppDeps {
  config: Config;
  /** postgres.js client; null only in tests that exercise pages without a database. */
  db: import("@/services/platform/db.ts").Database | null;
  kv: Deno.Kv | null;
  /** Checks that each dependency answers, for /readyz. */
  readiness(): Promise<Record<string, boolean>>;
  appSecret: string;
  keyring: import("@/services/crypto/field_crypto.ts").Keyring;
  /** The MQTT broker the live screens subscribe to (as svc-live). */
  mqttUrl: string;
  /** What time it is (delivery cut-offs, discounts); tests inject one. Absent: the system clock. */
  clock?: { now(): Date };
  /** The shop context's door (catalog, carts, checkout, orders, subscriptions, staff screens). */
  shop: import("@/services/shop/mod.ts").Shop;
  /** The payments context's door (providers, callbacks, refunds, bank, reconciliation). */
  payments: import("@/services/payments/mod.ts").Payments;
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
