/**
 * Set-up the notify tests share: the whole app served on a loopback port (so that the fake
 * providers' webhooks reach it, and PUBLIC_URL is that origin), and the SMS fakes with the
 * configuration that points the transports at them.
 */
import { type TestApp, withTestApp } from "@/tests/helpers/app.ts";
import type { Config } from "@/services/platform/config.ts";
import { FakeAlphaSms, FakeSslWireless, FakeTwilio } from "@/services/notify/fakes/sms.ts";
import { buildTransports } from "@/services/notify/setup.ts";
import type { Sql } from "@/services/platform/db.ts";

export interface ServedApp extends TestApp {
  origin: string;
  config: Config;
}

export async function withServedApp(
  fn: (t: ServedApp) => Promise<void>,
  opts: { config?: Partial<Config>; clock?: { now(): Date } } = {},
): Promise<void> {
  await withTestApp(async (t) => {
    const ac = new AbortController();
    const server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, signal: ac.signal, onListen: () => {} },
      (req) => t.app.fetch(req),
    );
    const origin = `http://127.0.0.1:${(server.addr as Deno.NetAddr).port}`;
    t.deps.config.PUBLIC_URL = origin;
    try {
      await fn({ ...t, origin, config: t.deps.config });
    } finally {
      ac.abort();
      await server.finished.catch(() => {});
    }
  }, opts);
}

export interface SmsFakes {
  ssl: FakeSslWireless;
  alpha: FakeAlphaSms;
  twilio: FakeTwilio;
  /** SMS_* settings pointing at the fakes (their webhooks at `origin`). */
  config: Partial<Config>;
  stop(): Promise<void>;
}

export function smsFakes(origin: string): SmsFakes {
  const token = "ssl-dlr-token-0123456789";
  const ssl = new FakeSslWireless("ssl-api-token", "SMARTDAIRYNON");
  ssl.dlrUrl = `${origin}/webhooks/sms/sslwireless?token=${token}`;
  const alpha = new FakeAlphaSms("alpha-api-key");
  const twilio = new FakeTwilio("AC0123456789abcdef0123456789abcdef", "twilio-auth-token");
  for (const f of [ssl, alpha, twilio]) f.hangMs = 3000;
  return {
    ssl,
    alpha,
    twilio,
    config: {
      SMS_SSLWIRELESS_BASE_URL: ssl.baseUrl,
      SMS_SSLWIRELESS_API_TOKEN: ssl.apiToken,
      SMS_SSLWIRELESS_SID: ssl.sid,
      SMS_SSLWIRELESS_WEBHOOK_TOKEN: token,
      SMS_ALPHASMS_BASE_URL: alpha.baseUrl,
      SMS_ALPHASMS_API_KEY: alpha.apiKey,
      SMS_TWILIO_BASE_URL: twilio.baseUrl,
      SMS_TWILIO_ACCOUNT_SID: twilio.accountSid,
      SMS_TWILIO_AUTH_TOKEN: twilio.authToken,
      SMS_TWILIO_FROM: "+15005550006",
      NOTIFY_TIMEOUT_MS: 1000,
    },
    async stop() {
      await Promise.all([ssl.stop(), alpha.stop(), twilio.stop()]);
    },
  };
}

/** The transports `config` asks for (an origin for the Twilio status callback). */
export function transportsFor(sql: Sql, config: Config, origin = "http://127.0.0.1:9") {
  return buildTransports(config, { sql, origin, env: {} });
}

/** The outbox row of message `id`. */
export async function row(sql: Sql, id: string) {
  const [r] = await sql`select * from outbox_messages where id = ${id}::bigint`;
  return r;
}
