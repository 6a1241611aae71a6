import { equal, match, ok } from "node:assert/strict";
import { withTestDb } from "@/tests/helpers/db.ts";
import { deliverDue, type EnqueueInput, enqueueMessage } from "@/services/notify/outbox.ts";
import { FakeSmtp } from "@/services/notify/fakes/smtp.ts";
import { smtpTransport } from "@/services/notify/transports/email.ts";
import { renderTemplate } from "@/services/notify/templates.ts";
import type { Sql } from "@/services/platform/db.ts";

/** The decoded text of a MIME part with `type` in a raw message (quoted-printable or base64). */
function part(raw: string, type: string): string {
  const boundary = raw.match(/boundary="?([^";\r\n]+)"?/)?.[1];
  if (!boundary) throw new Error("not multipart");
  for (const p of raw.split(`--${boundary}`)) {
    const [head, ...rest] = p.split(/\r?\n\r?\n/);
    if (!new RegExp(`Content-Type: ${type}`, "i").test(head)) continue;
    const body = rest.join("\n\n");
    if (/Content-Transfer-Encoding: base64/i.test(head)) {
      return new TextDecoder().decode(
        Uint8Array.from(atob(body.replace(/\s+/g, "")), (c) => c.charCodeAt(0)),
      );
    }
    if (/Content-Transfer-Encoding: quoted-printable/i.test(head)) {
      const bytes: number[] = [];
      const s = body.replace(/=\r?\n/g, "");
      for (let i = 0; i < s.length; i++) {
        if (s[i] === "=" && /^[0-9A-F]{2}$/i.test(s.slice(i + 1, i + 3))) {
          bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
          i += 2;
        } else bytes.push(...new TextEncoder().encode(s[i]));
      }
      return new TextDecoder().decode(new Uint8Array(bytes));
    }
    return body;
  }
  throw new Error(`no ${type} part`);
}

async function withSmtp(
  fn: (smtp: FakeSmtp, sql: Sql, transport: ReturnType<typeof smtpTransport>) => Promise<void>,
  opts: { bounce?: string[]; password?: string } = {},
) {
  const smtp = await FakeSmtp.start({ bounce: opts.bounce });
  try {
    await withTestDb(async ({ sql }) => {
      const transport = smtpTransport({
        host: "127.0.0.1",
        port: smtp.port,
        user: smtp.user,
        password: opts.password ?? smtp.password,
        from: "Smart Dairy <no-reply@smartdairy.com.bd>",
        rejectUnauthorized: false, // smtp-server's built-in test certificate
        timeoutMs: 5000,
        sql,
      });
      try {
        await fn(smtp, sql, transport);
      } finally {
        transport.close();
      }
    });
  } finally {
    await smtp.stop();
  }
}

/** Queues one email and runs a delivery over SMTP: its id, the run's counts, the row after it. */
async function sendOne(
  sql: Sql,
  transport: ReturnType<typeof smtpTransport>,
  msg: Omit<EnqueueInput, "channel">,
) {
  const { id } = await enqueueMessage(sql, { channel: "email", ...msg });
  const run = await deliverDue(sql, { email: transport });
  const [row] = await sql`select status, last_error, provider_id from outbox_messages
                          where id = ${id}`;
  return { id, run, row };
}

Deno.test("email: the SMTP server process receives a Bangla message with text and HTML parts, over TLS with auth", async () => {
  await withSmtp(async (smtp, sql, transport) => {
    const text = renderTemplate("password_changed", "bn");
    const { id, run, row: m } = await sendOne(sql, transport, {
      to: "rupa@example.com",
      subject: text.subject,
      body: text.body,
      locale: "bn",
      template: "password_changed",
    });
    equal(run.sent, 1);
    const [mail] = await smtp.waitFor(1);
    ok(mail.secure, "the session was upgraded with STARTTLS");
    equal(mail.user, smtp.user, "signed in with AUTH");
    equal(mail.to[0], "rupa@example.com");
    match(mail.raw, /multipart\/alternative/);
    equal(part(mail.raw, "text/plain").trim(), text.body);
    const html = part(mail.raw, "text/html");
    match(html, /<html lang="bn">/);
    ok(html.includes(text.body), "the HTML part has the same words");
    ok(html.includes("স্মার্ট ডেইরি লিমিটেড"), "footer in Bangla");
    match(mail.raw, new RegExp(`X-Smart-Dairy-Message: ${id}`));
    equal(m.status, "sent");
    ok(m.provider_id.includes("@"), "the Message-ID is kept");
  });
});

Deno.test("email: a refused recipient is a hard bounce: dead at once, no more email to it", async () => {
  await withSmtp(async (smtp, sql, transport) => {
    const { run, row: m } = await sendOne(sql, transport, {
      to: "gone@example.com",
      subject: "Hello",
      body: "Your order is ready.",
    });
    equal(run.dead, 1);
    equal(m.status, "dead");
    match(m.last_error, /hard bounce 550/);
    const next = await enqueueMessage(sql, {
      channel: "email",
      to: "gone@example.com",
      subject: "Again",
      body: "Your order left the dairy.",
    });
    equal(next.suppressed, "address bounced");
    equal(smtp.received.length, 0);
  }, { bounce: ["gone@example.com"] });
});

Deno.test("email: a wrong password is a failure that is retried, not a bounce", async () => {
  await withSmtp(async (smtp, sql, transport) => {
    const { run, row: m } = await sendOne(sql, transport, {
      to: "rupa@example.com",
      subject: "Hello",
      body: "Hello",
    });
    equal(run.retried, 1);
    equal(m.status, "failed");
    match(m.last_error, /smtp: .*(auth|Invalid)/i);
    equal(smtp.received.length, 0);
  }, { password: "wrong password" });
});
