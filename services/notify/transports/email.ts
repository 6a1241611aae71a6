/**
 * Email over SMTP through nodemailer: STARTTLS required (or implicit TLS on 465), AUTH when a
 * user is configured, every message multipart/alternative with a plain-text and an HTML part in
 * the message's language. A recipient the server refuses for good (5xx) is a hard bounce: the
 * message is dead at once and the address gets no more email (notify_preferences.bounced_at).
 */
import nodemailer from "nodemailer";
import type { Sql } from "@/services/platform/db.ts";
import { type OutboxMessage, PermanentError, type Transport } from "../outbox.ts";
import { emailHtml } from "../email_layout.ts";

export interface SmtpOptions {
  host: string;
  port: number;
  /** Implicit TLS (port 465); otherwise STARTTLS is required. */
  secure?: boolean;
  user?: string;
  password?: string;
  from: string;
  /** Only for tests against a server with a self-signed certificate. */
  rejectUnauthorized?: boolean;
  real?: boolean;
  timeoutMs?: number;
  /** Where hard bounces are recorded. */
  sql?: Sql;
}

export function smtpTransport(o: SmtpOptions): Transport & { close(): void } {
  const mailer = nodemailer.createTransport({
    host: o.host,
    port: o.port,
    secure: o.secure ?? false,
    requireTLS: !o.secure,
    auth: o.user ? { user: o.user, pass: o.password ?? "" } : undefined,
    tls: { rejectUnauthorized: o.rejectUnauthorized ?? true },
    connectionTimeout: o.timeoutMs ?? 10_000,
    greetingTimeout: o.timeoutMs ?? 10_000,
    socketTimeout: o.timeoutMs ?? 10_000,
    pool: true,
    maxConnections: 3,
  } as any);
  return {
    name: "smtp",
    real: o.real,
    async send(msg: OutboxMessage) {
      try {
        const info = await mailer.sendMail({
          from: o.from,
          to: msg.recipient,
          subject: msg.subject ?? "Smart Dairy",
          text: msg.body,
          html: emailHtml(msg.body, msg.locale, msg.subject),
          headers: { "X-Smart-Dairy-Message": msg.id },
        });
        if (info.rejected?.length) {
          throw Object.assign(new Error("recipient rejected"), {
            responseCode: 550,
            code: "EENVELOPE",
          });
        }
        return { providerId: String(info.messageId ?? "") };
      } catch (e) {
        const code = Number((e as { responseCode?: number }).responseCode ?? 0);
        const text = (e as Error).message;
        if (
          // Refused at RCPT TO with a 5xx: the address does not exist (auth errors are not).
          code >= 500 && code < 600 &&
          ((e as any).code === "EENVELOPE" || /RCPT/i.test(String((e as any).command ?? "")))
        ) {
          if (o.sql) {
            await o.sql`
              insert into notify_preferences (address, bounced_at) values (${msg.recipient}, now())
              on conflict (address) do update set bounced_at = now(), updated_at = now()`;
          }
          throw new PermanentError(`smtp: hard bounce ${code}: ${text}`);
        }
        throw new Error(`smtp: ${text}`);
      }
    },
    close: () => mailer.close(),
  };
}
