/**
 * Configuration from the environment, checked once at start-up. Every bad value is reported in a
 * single error so that an operator fixes them all in one go.
 */
import { z } from "zod";
import { isIpOrCidr } from "@/framework/client_info.ts";

const port = z.coerce.number().int().min(0).max(65535);
const optionalUrl = (protocols: string[]) =>
  z.string().trim().optional().transform((v) => (v ? v : undefined)).refine(
    (v) => v === undefined || protocols.some((p) => v.startsWith(p + "://")),
    { message: `must start with ${protocols.map((p) => p + "://").join(" or ")}` },
  );

export const configSchema = z.object({
  PORT: port.default(8000),
  HOST: z.string().min(1).default("0.0.0.0"),
  DATA_DIR: z.string().min(1).default("./data"),
  DATABASE_URL: optionalUrl(["postgres", "postgresql"]),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  KV_PATH: z.string().optional(),
  /**
   * A remote Deno KV (the self-hosted `denokv` server, e.g. http://denokv:4512) shared by every
   * instance; its access token comes from DENO_KV_ACCESS_TOKEN. Wins over KV_PATH.
   */
  KV_URL: optionalUrl(["http", "https"]),
  /** Signed-in sessions one staff member may hold at once; a new sign-in ends the oldest. */
  IDENTITY_STAFF_MAX_SESSIONS: z.coerce.number().int().min(1).max(50).default(3),
  // Sign in with Google / Facebook (OpenID Connect): on when a client id and secret are set.
  OIDC_GOOGLE_ISSUER: optionalUrl(["http", "https"]),
  OIDC_GOOGLE_CLIENT_ID: z.string().optional(),
  OIDC_GOOGLE_CLIENT_SECRET: z.string().optional(),
  OIDC_FACEBOOK_ISSUER: optionalUrl(["http", "https"]),
  OIDC_FACEBOOK_CLIENT_ID: z.string().optional(),
  OIDC_FACEBOOK_CLIENT_SECRET: z.string().optional(),
  MQTT_URL: optionalUrl(["mqtt", "mqtts", "tcp", "ws", "wss"]),
  MQTT_PORT: port.default(1883),
  /**
   * Public origin, e.g. https://smartdairy.com.bd: every absolute URL the app writes (canonical
   * links, structured data, sitemap, robots.txt, payment callbacks) starts with it, never with
   * the request's Host header. An https origin turns on Secure/__Host- cookies and HSTS.
   */
  PUBLIC_URL: optionalUrl(["http", "https"]).refine((v) => {
    if (v === undefined) return true;
    try {
      const u = new URL(v);
      return u.pathname === "/" && !u.search && !u.hash && !u.username && !u.password;
    } catch {
      return false;
    }
  }, { message: "must be an origin such as https://smartdairy.com.bd (no path)" }),
  /**
   * Reverse proxies whose X-Forwarded-For names the client: IPs and CIDR ranges separated by
   * commas (e.g. "127.0.0.1,10.0.0.0/8"). None by default: the client is the TCP peer.
   */
  TRUSTED_PROXIES: z.string().optional().transform((v, c) => {
    const list = (v ?? "").split(",").map((s) => s.trim()).filter(Boolean);
    for (const entry of list) {
      if (!isIpOrCidr(entry)) {
        c.addIssue({ code: "custom", message: `"${entry}" is not an IP address or CIDR range` });
      }
    }
    return list;
  }),
  /** Secret for signing tokens; generated and kept under DATA_DIR when not given. */
  APP_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  /** Field encryption keys: "id:base64(32 bytes)" separated by commas; the highest id encrypts. */
  FIELD_KEYS: z.string().optional(),
  ADMIN_PASSWORD: z.string().min(12, "must be at least 12 characters").optional(),
  TELEMETRY_RETENTION_DAYS: z.coerce.number().int().min(1).default(90),
  /** Days after sending that an outbox message's body is erased (services/privacy/retention.ts). */
  OUTBOX_BODY_DAYS: z.coerce.number().int().min(1).default(30),
  /** "1": start even when the IoT storage plan is below what the server allows (see iot_storage). */
  IOT_ALLOW_FALLBACK: z.enum(["0", "1"]).default("0").transform((v) => v === "1"),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  // Payment providers (services/payments/settings.ts). A provider without a base URL is served
  // by the local fake (services/payments/fakes/) when PAYMENT_FAKES is "auto", else disabled.
  PAYMENT_FAKES: z.enum(["auto", "off"]).default("auto"),
  PAYMENT_TIMEOUT_MS: z.coerce.number().int().min(1000).max(120_000).default(30_000),
  // An order whose payment has not come in this long after its last attempt began is cancelled,
  // its stock released and its items put back into the customer's cart.
  PAYMENT_UNPAID_MINUTES: z.coerce.number().int().min(5).max(24 * 60).default(30),
  PAYMENT_BKASH_BASE_URL: optionalUrl(["http", "https"]),
  PAYMENT_BKASH_USERNAME: z.string().optional(),
  PAYMENT_BKASH_PASSWORD: z.string().optional(),
  PAYMENT_BKASH_APP_KEY: z.string().optional(),
  PAYMENT_BKASH_APP_SECRET: z.string().optional(),
  /** Extra trusted prefix for SNS signing-certificate URLs (the local fake); AWS hosts always. */
  PAYMENT_BKASH_SNS_CERT_PREFIX: z.string().optional(),
  PAYMENT_NAGAD_BASE_URL: optionalUrl(["http", "https"]),
  PAYMENT_NAGAD_MERCHANT_ID: z.string().optional(),
  PAYMENT_NAGAD_MERCHANT_NUMBER: z.string().optional(),
  /** Nagad's public key (PEM or bare base64 SPKI). */
  PAYMENT_NAGAD_PUBLIC_KEY: z.string().optional(),
  /** The merchant's private key (PEM or bare base64 PKCS#8). */
  PAYMENT_NAGAD_PRIVATE_KEY: z.string().optional(),
  PAYMENT_SSLCOMMERZ_BASE_URL: optionalUrl(["http", "https"]),
  PAYMENT_SSLCOMMERZ_STORE_ID: z.string().optional(),
  PAYMENT_SSLCOMMERZ_STORE_PASSWORD: z.string().optional(),
  // Pathao Courier merchant API (services/delivery/couriers/pathao.ts); no base URL: no Pathao.
  COURIER_PATHAO_BASE_URL: optionalUrl(["http", "https"]),
  COURIER_PATHAO_CLIENT_ID: z.string().optional(),
  COURIER_PATHAO_CLIENT_SECRET: z.string().optional(),
  COURIER_PATHAO_USERNAME: z.string().optional(),
  COURIER_PATHAO_PASSWORD: z.string().optional(),
  COURIER_PATHAO_STORE_ID: z.coerce.number().int().positive().optional(),
  /** The webhook integration secret set in Pathao's merchant panel (X-PATHAO-Signature). */
  COURIER_PATHAO_WEBHOOK_SECRET: z.string().optional(),
  // Steadfast Courier (services/delivery/couriers/steadfast.ts); no base URL: no Steadfast.
  COURIER_STEADFAST_BASE_URL: optionalUrl(["http", "https"]),
  COURIER_STEADFAST_API_KEY: z.string().optional(),
  COURIER_STEADFAST_SECRET_KEY: z.string().optional(),
  /** The Bearer token Steadfast's webhooks carry (set in its merchant panel). */
  COURIER_STEADFAST_WEBHOOK_TOKEN: z.string().optional(),
  /** Steadfast's flat delivery charge in poisha (it publishes no price API). */
  COURIER_STEADFAST_CHARGE_MINOR: z.coerce.number().int().min(0).default(6000),
  // Paperfly (services/delivery/couriers/paperfly.ts): Basic auth + paperflykey; no base URL: no
  // Paperfly. It has no webhooks: open parcels are polled.
  COURIER_PAPERFLY_BASE_URL: optionalUrl(["http", "https"]),
  COURIER_PAPERFLY_USERNAME: z.string().optional(),
  COURIER_PAPERFLY_PASSWORD: z.string().optional(),
  COURIER_PAPERFLY_KEY: z.string().optional(),
  /** Paperfly's flat delivery charge in poisha (no price API). */
  COURIER_PAPERFLY_CHARGE_MINOR: z.coerce.number().int().min(0).default(7000),
  /** Where Paperfly picks parcels up: "name|address|thana|district|phone". */
  COURIER_PAPERFLY_PICKUP: z.string().default(
    "Smart Dairy Ltd.|Plot 12, Road 5, Tejgaon I/A|Tejgaon|Dhaka|01700000000",
  ),
  // With no courier configured, local fakes of Pathao, Steadfast and Paperfly when "auto" (the
  // embedded default; never in production unless ALLOW_FAKES_IN_PRODUCTION=1).
  COURIER_FAKES: z.enum(["auto", "off"]).default("auto"),
  /** Shown to customers who pay by bank transfer: bank, account name and number. */
  PAYMENT_BANK_ACCOUNT: z.string().default(
    "Smart Dairy Ltd. · Dutch-Bangla Bank, Gulshan branch · A/C 123.110.0045678",
  ),
  // Operations (docs/operations.md).
  /** Bearer token for /metrics; generated and kept in `${DATA_DIR}/metrics_token` when not given. */
  METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  /** A separate listener for /metrics (workers run alone always serve one; 0 = any free port). */
  METRICS_PORT: port.optional(),
  METRICS_HOST: z.string().min(1).default("127.0.0.1"),
  /** pgBackRest: the repository (mount it from another machine or bucket in production). */
  BACKUP_REPO_PATH: z.string().min(1).default("/var/lib/pgbackrest"),
  /** pgBackRest's configuration file that backup:setup writes. */
  BACKUP_CONFIG: z.string().min(1).default("/etc/pgbackrest/smartdairy.conf"),
  BACKUP_STANZA: z.string().regex(
    /^[a-z][a-z0-9_-]{0,62}$/,
    "must be lower-case letters, digits, - or _",
  )
    .default("smartdairy"),
  /** Encrypts the repository and the KV/secrets archives; generated into DATA_DIR when not given. */
  BACKUP_CIPHER_PASS: z.string().min(20, "must be at least 20 characters").optional(),
  /** Longest wait before a WAL segment is archived (seconds): the recovery point objective. */
  BACKUP_ARCHIVE_TIMEOUT: z.coerce.number().int().min(1).max(3600).default(60),
  /** The OS account PostgreSQL runs as (pgBackRest runs as it when the tasks run as root). */
  BACKUP_OS_USER: z.string().min(1).default("postgres"),
  /** Embedded mode: hours between snapshots into `${DATA_DIR}/backups`, and how many are kept. */
  BACKUP_INTERVAL_HOURS: z.coerce.number().min(0.01).max(168).default(6),
  BACKUP_KEEP: z.coerce.number().int().min(1).max(1000).default(28),
  // Message transports (services/notify/setup.ts). A channel with no provider configured is
  // served by local fakes when NOTIFY_FAKES is "auto" (never in production unless
  // ALLOW_FAKES_IN_PRODUCTION=1), else by the development transport (nothing delivered).
  NOTIFY_FAKES: z.enum(["auto", "off"]).default("auto"),
  /** Set by the embedded default for the providers it points at local fakes; not for operators. */
  NOTIFY_FAKE_PROVIDERS: z.string().optional(),
  /** SMS providers in the order tried: the first that accepts a message wins. */
  NOTIFY_SMS_ORDER: z.string().default("sslwireless,alphasms,twilio").refine(
    (v) => v.split(",").every((p) => ["sslwireless", "alphasms", "twilio"].includes(p.trim())),
    { message: "must list sslwireless, alphasms and/or twilio, separated by commas" },
  ),
  NOTIFY_TIMEOUT_MS: z.coerce.number().int().min(500).max(120_000).default(10_000),
  /** A WhatsApp message not delivered after this many minutes is sent again by SMS. */
  NOTIFY_WHATSAPP_FALLBACK_MINUTES: z.coerce.number().int().min(1).max(1440).default(10),
  SMS_SSLWIRELESS_BASE_URL: optionalUrl(["http", "https"]),
  SMS_SSLWIRELESS_API_TOKEN: z.string().optional(),
  SMS_SSLWIRELESS_SID: z.string().optional(),
  /** Shared secret in the delivery-report URL /webhooks/sms/sslwireless?token=… */
  SMS_SSLWIRELESS_WEBHOOK_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  SMS_ALPHASMS_BASE_URL: optionalUrl(["http", "https"]),
  SMS_ALPHASMS_API_KEY: z.string().optional(),
  SMS_ALPHASMS_SENDER_ID: z.string().optional(),
  SMS_TWILIO_BASE_URL: optionalUrl(["http", "https"]),
  SMS_TWILIO_ACCOUNT_SID: z.string().optional(),
  SMS_TWILIO_AUTH_TOKEN: z.string().optional(),
  SMS_TWILIO_FROM: z.string().optional(),
  SMTP_HOST: z.string().optional(),
  SMTP_PORT: port.default(587),
  /** "1": implicit TLS (port 465); otherwise STARTTLS is required. */
  SMTP_SECURE: z.enum(["0", "1"]).default("0").transform((v) => v === "1"),
  SMTP_USER: z.string().optional(),
  SMTP_PASSWORD: z.string().optional(),
  SMTP_FROM: z.string().default("Smart Dairy <no-reply@smartdairy.com.bd>"),
  SMTP_TLS_REJECT_UNAUTHORIZED: z.enum(["0", "1"]).default("1").transform((v) => v === "1"),
  WHATSAPP_BASE_URL: optionalUrl(["http", "https"]),
  WHATSAPP_TOKEN: z.string().optional(),
  WHATSAPP_PHONE_NUMBER_ID: z.string().optional(),
  WHATSAPP_APP_SECRET: z.string().optional(),
  WHATSAPP_VERIFY_TOKEN: z.string().optional(),
  WHATSAPP_TEMPLATE: z.string().default("smartdairy_notice"),
  VAPID_PUBLIC_KEY: z.string().optional(),
  VAPID_PRIVATE_KEY: z.string().optional(),
  VAPID_SUBJECT: z.string().default("mailto:ops@smartdairy.com.bd"),
});

export type Config = z.infer<typeof configSchema> & { dev: boolean };

/** A provider whose key is set needs the rest of its settings (reported with the others). */
const NOTIFY_REQUIRED: [string, string[]][] = [
  ["SMS_SSLWIRELESS_API_TOKEN", ["SMS_SSLWIRELESS_SID", "SMS_SSLWIRELESS_WEBHOOK_TOKEN"]],
  ["SMS_TWILIO_ACCOUNT_SID", ["SMS_TWILIO_AUTH_TOKEN", "SMS_TWILIO_FROM"]],
  ["WHATSAPP_TOKEN", ["WHATSAPP_PHONE_NUMBER_ID", "WHATSAPP_APP_SECRET", "WHATSAPP_VERIFY_TOKEN"]],
  ["VAPID_PUBLIC_KEY", ["VAPID_PRIVATE_KEY"]],
  ["VAPID_PRIVATE_KEY", ["VAPID_PUBLIC_KEY"]],
];
function notifyProblems(env: Record<string, string | undefined>): string[] {
  const out: string[] = [];
  for (const [key, needs] of NOTIFY_REQUIRED) {
    if (!env[key]) continue;
    for (const n of needs) if (!env[n]) out.push(`${n}="": required when ${key} is set`);
  }
  return out;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/**
 * Reads and checks the configuration; throws one ConfigError naming every bad variable.
 * `server`: for the web server (main.ts), which in production (a DATABASE_URL, not --dev) must
 * know its public origin; the embedded default runs on its listen address.
 */
export function loadConfig(
  env: Record<string, string | undefined> = Deno.env.toObject(),
  opts: { dev?: boolean; server?: boolean } = {},
): Config {
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ""),
  );
  const result = configSchema.safeParse(cleaned);
  const more = notifyProblems(cleaned);
  if (cleaned.KV_URL && !cleaned.DENO_KV_ACCESS_TOKEN) {
    more.push(`DENO_KV_ACCESS_TOKEN="": required with KV_URL (the remote KV's access token)`);
  }
  if (!result.success || more.length) {
    throw new ConfigError(
      (result.error?.issues ?? []).map((i) => {
        const name = i.path.join(".");
        const value = env[name];
        return `${name}=${JSON.stringify(value ?? "")}: ${i.message}`;
      }).concat(more),
    );
  }
  const dev = opts.dev ?? false;
  if (opts.server && !dev && result.data.DATABASE_URL && !result.data.PUBLIC_URL) {
    throw new ConfigError([
      `PUBLIC_URL="": required in production (DATABASE_URL is set), e.g. https://smartdairy.com.bd`,
    ]);
  }
  return { ...result.data, dev };
}

/**
 * Our origin for absolute URLs: PUBLIC_URL, else the configured listen address
 * (http://localhost:PORT when listening on every interface). Never the request's Host header.
 */
export function publicOrigin(config: Pick<Config, "PUBLIC_URL" | "HOST" | "PORT">): string {
  if (config.PUBLIC_URL) return new URL(config.PUBLIC_URL).origin;
  const any = config.HOST === "0.0.0.0" || config.HOST === "::" || config.HOST === "[::]";
  const host = any
    ? "localhost"
    : config.HOST.includes(":") && !config.HOST.startsWith("[")
    ? `[${config.HOST}]`
    : config.HOST;
  return new URL(`http://${host}:${config.PORT}`).origin;
}
