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
  /** The farm context's door (services/farm/mod.ts). */
  farm: import("@/services/farm/mod.ts").Farm;
  /** The IoT context's door (services/iot/mod.ts). */
  iot: import("@/services/iot/mod.ts").Iot;
  /** What time it is (delivery cut-offs, discounts); tests inject one. Absent: the system clock. */
  clock?: { now(): Date };
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
