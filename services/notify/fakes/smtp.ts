/**
 * A real SMTP server (npm smtp-server) in its own process, for tests and the embedded default:
 * `await FakeSmtp.start()` spawns fakes/smtp_server.ts, waits until it listens, and collects the
 * messages it receives (`received`, raw RFC 5322 text) from its output.
 */
import { assertNotProduction } from "@/services/platform/production_guard.ts";

export interface ReceivedMail {
  from: string;
  to: string[];
  user: string;
  secure: boolean;
  raw: string;
}

export class FakeSmtp {
  readonly received: ReceivedMail[] = [];
  readonly user = "smartdairy";
  readonly password = crypto.randomUUID();
  port = 0;
  #child!: Deno.ChildProcess;
  #reader!: Promise<void>;
  #waiters: (() => void)[] = [];

  static async start(opts: { bounce?: string[] } = {}): Promise<FakeSmtp> {
    assertNotProduction("Fake SMTP server");
    const f = new FakeSmtp();
    f.#child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", new URL("./smtp_server.ts", import.meta.url).pathname],
      env: {
        SMTP_FAKE_USER: f.user,
        SMTP_FAKE_PASSWORD: f.password,
        SMTP_FAKE_BOUNCE: (opts.bounce ?? []).join(","),
      },
      stdout: "piped",
      stderr: "null",
      stdin: "null",
    }).spawn();
    let listening: (port: number) => void = () => {};
    const ready = new Promise<number>((r) => (listening = r));
    f.#reader = (async () => {
      let buf = "";
      for await (const chunk of f.#child.stdout.pipeThrough(new TextDecoderStream())) {
        buf += chunk;
        let i;
        while ((i = buf.indexOf("\n")) >= 0) {
          const line = buf.slice(0, i);
          buf = buf.slice(i + 1);
          try {
            const v = JSON.parse(line);
            if (v.listening) listening(v.listening);
            else if (v.raw) {
              f.received.push(v);
              f.#waiters.splice(0).forEach((w) => w());
            }
          } catch { /* a stray line */ }
        }
      }
    })();
    const timeout = setTimeout(() => listening(-1), 20_000);
    f.port = await ready;
    clearTimeout(timeout);
    if (f.port < 0) {
      await f.stop();
      throw new Error("the SMTP server process did not start");
    }
    return f;
  }

  /** Resolves once `n` messages have arrived (or rejects after `ms`). */
  async waitFor(n: number, ms = 10_000): Promise<ReceivedMail[]> {
    const until = Date.now() + ms;
    while (this.received.length < n) {
      if (Date.now() > until) {
        throw new Error(`only ${this.received.length} of ${n} emails arrived`);
      }
      await new Promise<void>((r) => {
        this.#waiters.push(r);
        setTimeout(r, 100);
      });
    }
    return this.received;
  }

  async stop(): Promise<void> {
    try {
      this.#child.kill("SIGTERM");
    } catch { /* gone */ }
    await this.#child.status;
    await this.#reader.catch(() => {});
  }
}
