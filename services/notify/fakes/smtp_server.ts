/**
 * The local SMTP server (npm smtp-server), run as its own process by FakeSmtp: STARTTLS (its
 * built-in test certificate), AUTH PLAIN/LOGIN against one user, and every accepted message
 * printed to stdout as one JSON line { from, to, raw }. Recipients listed in BOUNCE are refused
 * with 550 (a hard bounce). Prints {"listening": port} first.
 */
import { SMTPServer } from "smtp-server";

const user = Deno.env.get("SMTP_FAKE_USER") ?? "smartdairy";
const pass = Deno.env.get("SMTP_FAKE_PASSWORD") ?? "smartdairy";
const bounce = new Set((Deno.env.get("SMTP_FAKE_BOUNCE") ?? "").split(",").filter(Boolean));
const out = (v: unknown) => console.log(JSON.stringify(v));

const server = new SMTPServer({
  secure: false,
  authMethods: ["PLAIN", "LOGIN"],
  disabledCommands: [],
  logger: false,
  onAuth(auth: any, _session: any, cb: any) {
    if (auth.username === user && auth.password === pass) return cb(null, { user });
    cb(new Error("Invalid username or password"));
  },
  onRcptTo(address: any, session: any, cb: any) {
    if (!session.secure) {
      return cb(Object.assign(new Error("Must issue STARTTLS first"), { responseCode: 530 }));
    }
    if (bounce.has(String(address.address).toLowerCase())) {
      return cb(
        Object.assign(new Error("5.1.1 Recipient address rejected: User unknown"), {
          responseCode: 550,
        }),
      );
    }
    cb();
  },
  onData(stream: any, session: any, cb: any) {
    const chunks: Uint8Array[] = [];
    stream.on("data", (c: Uint8Array) => chunks.push(c));
    stream.on("end", () => {
      const raw = new TextDecoder().decode(
        chunks.reduce((a, c) => {
          const n = new Uint8Array(a.length + c.length);
          n.set(a);
          n.set(c, a.length);
          return n;
        }, new Uint8Array()),
      );
      out({
        from: session.envelope.mailFrom?.address,
        to: session.envelope.rcptTo.map((r: any) => r.address),
        user: session.user,
        secure: session.secure,
        raw,
      });
      cb(null, "250 OK: queued");
    });
  },
} as any);
server.on("error", (e: Error) => console.error(`smtp fake: ${e.message}`));
server.listen(Number(Deno.env.get("SMTP_FAKE_PORT") ?? 0), "127.0.0.1", () => {
  out({ listening: (server as any).server.address().port });
});
