/**
 * The transports the configuration asks for, per channel, and the local fakes for the channels it
 * leaves empty (the embedded default), like the payment fakes:
 * - sms: the configured gateways in NOTIFY_SMS_ORDER, tried in turn (A fails → B);
 * - email: SMTP (nodemailer, STARTTLS or TLS, AUTH);
 * - whatsapp: the Cloud API (template messages); not delivered in N minutes → SMS;
 * - push: Web Push with the VAPID keys.
 * A channel without a provider gets a local fake when NOTIFY_FAKES is "auto", the development
 * transport when "off"; both refuse to start in production unless forced.
 */
import type { Config } from "@/services/platform/config.ts";
import type { Sql } from "@/services/platform/db.ts";
import { devTransport, type Transports } from "./outbox.ts";
import { alphaSms, smsChain, type SmsTransport, sslWireless, twilio } from "./transports/sms.ts";
import { smtpTransport } from "./transports/email.ts";
import { whatsapp } from "./transports/whatsapp.ts";
import { generateVapidKeys, webPush } from "./transports/push.ts";
import { FakeAlphaSms, FakeSslWireless, FakeTwilio } from "./fakes/sms.ts";
import { FakeWhatsApp } from "./fakes/whatsapp.ts";
import { FakeSmtp } from "./fakes/smtp.ts";

export type NotifyConfig = Pick<
  Config,
  Extract<
    keyof Config,
    | `NOTIFY_${string}`
    | `SMS_${string}`
    | `SMTP_${string}`
    | `WHATSAPP_${string}`
    | `VAPID_${string}`
  >
>;

export type Provider = "sslwireless" | "alphasms" | "twilio" | "smtp" | "whatsapp" | "webpush";

/** Providers that have their credentials in the configuration. */
export function configuredProviders(c: Partial<NotifyConfig>): Provider[] {
  const out: Provider[] = [];
  if (c.SMS_SSLWIRELESS_API_TOKEN) out.push("sslwireless");
  if (c.SMS_ALPHASMS_API_KEY) out.push("alphasms");
  if (c.SMS_TWILIO_ACCOUNT_SID) out.push("twilio");
  if (c.SMTP_HOST) out.push("smtp");
  if (c.WHATSAPP_TOKEN) out.push("whatsapp");
  if (c.VAPID_PUBLIC_KEY && c.VAPID_PRIVATE_KEY) out.push("webpush");
  return out;
}

/** Configured providers that are not local fakes: their messages really leave. */
export function realProviders(c: Partial<NotifyConfig>): Provider[] {
  const fake = new Set((c.NOTIFY_FAKE_PROVIDERS ?? "").split(",").map((s) => s.trim()));
  return configuredProviders(c).filter((p) => !fake.has(p));
}

/** With a real provider configured, one-time codes are masked on /admin/outbox and erased. */
export function masksCodes(c: Partial<NotifyConfig>): boolean {
  return realProviders(c).length > 0;
}

export interface BuiltTransports {
  transports: Transports;
  /** SMS providers that answer delivery reports by polling. */
  pollers: SmsTransport[];
  /** Who serves each channel, for the start-up log. */
  summary: string;
  close(): void;
}

/** The transports for `config` (fakes already merged in by startFakeMessaging, if any). */
export function buildTransports(
  config: NotifyConfig,
  deps: { sql: Sql; origin: string; env?: Record<string, string | undefined> },
): BuiltTransports {
  const real = new Set(realProviders(config));
  const have = new Set(configuredProviders(config));
  const timeoutMs = config.NOTIFY_TIMEOUT_MS;
  const sms: SmsTransport[] = [];
  for (const p of config.NOTIFY_SMS_ORDER.split(",").map((s) => s.trim())) {
    if (!have.has(p as Provider)) continue;
    if (p === "sslwireless") {
      sms.push(sslWireless({
        baseUrl: config.SMS_SSLWIRELESS_BASE_URL ?? "https://smsplus.sslwireless.com",
        apiToken: config.SMS_SSLWIRELESS_API_TOKEN!,
        sid: config.SMS_SSLWIRELESS_SID!,
        real: real.has("sslwireless"),
        timeoutMs,
      }));
    } else if (p === "alphasms") {
      sms.push(alphaSms({
        baseUrl: config.SMS_ALPHASMS_BASE_URL ?? "https://api.sms.net.bd",
        apiKey: config.SMS_ALPHASMS_API_KEY!,
        senderId: config.SMS_ALPHASMS_SENDER_ID,
        real: real.has("alphasms"),
        timeoutMs,
      }));
    } else if (p === "twilio") {
      sms.push(twilio({
        baseUrl: config.SMS_TWILIO_BASE_URL ?? "https://api.twilio.com",
        accountSid: config.SMS_TWILIO_ACCOUNT_SID!,
        authToken: config.SMS_TWILIO_AUTH_TOKEN!,
        from: config.SMS_TWILIO_FROM!,
        statusCallback: `${deps.origin}/webhooks/sms/twilio`,
        real: real.has("twilio"),
        timeoutMs,
      }));
    }
  }
  const transports: Transports = {};
  const by: string[] = [];
  let dev: ReturnType<typeof devTransport> | undefined;
  const devFor = (channel: string) => {
    by.push(`${channel}: development transport (nothing delivered)`);
    return dev ??= devTransport("dev", deps.env);
  };
  transports.sms = sms.length ? smsChain(sms) : devFor("sms");
  if (sms.length) by.push(`sms: ${sms.map((s) => s.name + (s.real ? "" : " (fake)")).join(" → ")}`);
  let close = () => {};
  if (have.has("smtp")) {
    const t = smtpTransport({
      host: config.SMTP_HOST!,
      port: config.SMTP_PORT,
      secure: config.SMTP_SECURE,
      user: config.SMTP_USER,
      password: config.SMTP_PASSWORD,
      from: config.SMTP_FROM,
      rejectUnauthorized: config.SMTP_TLS_REJECT_UNAUTHORIZED,
      real: real.has("smtp"),
      timeoutMs,
      sql: deps.sql,
    });
    transports.email = t;
    close = () => t.close();
    by.push(
      `email: SMTP ${config.SMTP_HOST}:${config.SMTP_PORT}${real.has("smtp") ? "" : " (fake)"}`,
    );
  } else transports.email = devFor("email");
  if (have.has("whatsapp")) {
    transports.whatsapp = whatsapp({
      baseUrl: config.WHATSAPP_BASE_URL ?? "https://graph.facebook.com/v21.0",
      token: config.WHATSAPP_TOKEN!,
      phoneNumberId: config.WHATSAPP_PHONE_NUMBER_ID!,
      template: config.WHATSAPP_TEMPLATE,
      real: real.has("whatsapp"),
      timeoutMs,
    });
    by.push(`whatsapp: Cloud API${real.has("whatsapp") ? "" : " (fake)"}`);
  } else transports.whatsapp = devFor("whatsapp");
  if (have.has("webpush")) {
    transports.push = webPush({
      sql: deps.sql,
      vapid: {
        publicKey: config.VAPID_PUBLIC_KEY!,
        privateKey: config.VAPID_PRIVATE_KEY!,
        subject: config.VAPID_SUBJECT,
      },
      real: real.has("webpush"),
      timeoutMs,
    });
    by.push(`push: Web Push${real.has("webpush") ? "" : " (generated VAPID keys)"}`);
  } else transports.push = devFor("push");
  return { transports, pollers: sms.filter((s) => s.poll), summary: by.join("; "), close };
}

export interface FakeMessaging {
  sslwireless?: FakeSslWireless;
  alphasms?: FakeAlphaSms;
  twilio?: FakeTwilio;
  whatsapp?: FakeWhatsApp;
  smtp?: FakeSmtp;
  /** Settings that point the transports at the fakes (merge into the Config). */
  config: Partial<NotifyConfig>;
  stop(): Promise<void>;
}

/** True when NOTIFY_FAKES is "auto" and some channel has no provider configured. */
export function needsFakeMessaging(c: NotifyConfig): boolean {
  if (c.NOTIFY_FAKES === "off") return false;
  const have = new Set(configuredProviders(c));
  const sms = have.has("sslwireless") || have.has("alphasms") || have.has("twilio");
  return !sms || !have.has("smtp") || !have.has("whatsapp") || !have.has("webpush");
}

/**
 * Starts local fakes for the channels with no provider configured (their receipts come back to
 * our webhooks at `origin`), and generated VAPID keys for push. Refuses in production.
 */
export async function startFakeMessaging(
  c: NotifyConfig,
  opts: { origin: string; autoReceipt?: boolean },
): Promise<FakeMessaging> {
  const have = new Set(configuredProviders(c));
  const out: FakeMessaging = { config: {}, stop: async () => {} };
  const fakes: string[] = [];
  const auto = opts.autoReceipt ?? true;
  if (!have.has("sslwireless") && !have.has("alphasms") && !have.has("twilio")) {
    const token = randomSecret();
    const ssl = new FakeSslWireless(randomSecret(), "SMARTDAIRYNON");
    ssl.dlrUrl = `${opts.origin}/webhooks/sms/sslwireless?token=${token}`;
    const alpha = new FakeAlphaSms(randomSecret());
    const tw = new FakeTwilio(`AC${randomSecret().slice(0, 32)}`, randomSecret());
    for (const f of [ssl, alpha, tw]) f.autoReceipt = auto;
    Object.assign(out, { sslwireless: ssl, alphasms: alpha, twilio: tw });
    Object.assign(out.config, {
      SMS_SSLWIRELESS_BASE_URL: ssl.baseUrl,
      SMS_SSLWIRELESS_API_TOKEN: ssl.apiToken,
      SMS_SSLWIRELESS_SID: ssl.sid,
      SMS_SSLWIRELESS_WEBHOOK_TOKEN: token,
      SMS_ALPHASMS_BASE_URL: alpha.baseUrl,
      SMS_ALPHASMS_API_KEY: alpha.apiKey,
      SMS_TWILIO_BASE_URL: tw.baseUrl,
      SMS_TWILIO_ACCOUNT_SID: tw.accountSid,
      SMS_TWILIO_AUTH_TOKEN: tw.authToken,
      SMS_TWILIO_FROM: "+15005550006",
    });
    fakes.push("sslwireless", "alphasms", "twilio");
  }
  if (!have.has("whatsapp")) {
    const wa = new FakeWhatsApp(randomSecret(), "106540352242922", randomSecret());
    wa.webhookUrl = `${opts.origin}/webhooks/whatsapp`;
    wa.autoReceipt = auto;
    out.whatsapp = wa;
    Object.assign(out.config, {
      WHATSAPP_BASE_URL: wa.baseUrl,
      WHATSAPP_TOKEN: wa.token,
      WHATSAPP_PHONE_NUMBER_ID: wa.phoneNumberId,
      WHATSAPP_APP_SECRET: wa.appSecret,
      WHATSAPP_VERIFY_TOKEN: randomSecret(),
    });
    fakes.push("whatsapp");
  }
  if (!have.has("smtp")) {
    const smtp = await FakeSmtp.start();
    out.smtp = smtp;
    Object.assign(out.config, {
      SMTP_HOST: "127.0.0.1",
      SMTP_PORT: smtp.port,
      SMTP_SECURE: false,
      SMTP_USER: smtp.user,
      SMTP_PASSWORD: smtp.password,
      // The fake's certificate is smtp-server's built-in test one.
      SMTP_TLS_REJECT_UNAUTHORIZED: false,
    });
    fakes.push("smtp");
  }
  if (!have.has("webpush")) {
    const keys = generateVapidKeys();
    Object.assign(out.config, {
      VAPID_PUBLIC_KEY: keys.publicKey,
      VAPID_PRIVATE_KEY: keys.privateKey,
    });
    fakes.push("webpush");
  }
  out.config.NOTIFY_FAKE_PROVIDERS = fakes.join(",");
  out.stop = async () => {
    await Promise.all(
      [out.sslwireless, out.alphasms, out.twilio, out.whatsapp, out.smtp].map((f) => f?.stop()),
    );
  };
  return out;
}

function randomSecret(): string {
  return Array.from(
    crypto.getRandomValues(new Uint8Array(20)),
    (b) => b.toString(16).padStart(2, "0"),
  )
    .join("");
}
