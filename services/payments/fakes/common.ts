/**
 * Shared parts of the local fake payment providers: a loopback HTTP server on a free port, the
 * hosted-page HTML, fault injection and a call log for tests.
 *
 * The fakes are real HTTP servers that speak the providers' documented APIs, so the adapters are
 * exercised exactly as against a sandbox: newcomers can buy with every method on the embedded
 * default, and tests inject failures (timeouts, errors, tampered amounts) through `faults`.
 */

import { assertNotProduction } from "@/services/platform/production_guard.ts";

export interface FakeServer {
  readonly url: string;
  stop(): Promise<void>;
}

export function serveFake(
  name: string,
  handler: (req: Request, url: URL) => Promise<Response> | Response,
  opts: { hostname?: string; port?: number } = {},
): FakeServer {
  // A fake provider takes no money: never in production unless forced (production_guard.ts).
  assertNotProduction(`Fake payment provider ${name}`);
  const ac = new AbortController();
  const hostname = opts.hostname ?? "127.0.0.1";
  const server = Deno.serve({
    hostname,
    port: opts.port ?? 0,
    signal: ac.signal,
    onListen: () => {},
  }, async (req) => {
    const url = new URL(req.url);
    try {
      return await handler(req, url);
    } catch (e) {
      console.error(`fake ${name}: ${(e as Error).stack}`);
      return Response.json({ error: "fake provider crashed" }, { status: 500 });
    }
  });
  const addr = server.addr as Deno.NetAddr;
  return {
    url: `http://${hostname}:${addr.port}`,
    async stop() {
      ac.abort();
      await server.finished.catch(() => {});
    },
  };
}

/** Sleeps, but wakes early when the server stops (so tests never wait for a hung answer). */
export function hang(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(t);
      resolve();
    });
  });
}

export const esc = (s: unknown) =>
  String(s ?? "").replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );

export function randomId(prefix: string, len = 10): string {
  const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  const bytes = crypto.getRandomValues(new Uint8Array(len));
  return prefix + Array.from(bytes, (b) => alphabet[b % alphabet.length]).join("");
}

/** The hosted payment page every fake shows: a card with the amount and the actions. */
export function hostedPage(opts: {
  brand: string;
  color: string;
  title: string;
  lines: [string, string][];
  body: string;
}): Response {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(opts.title)}</title>
<style>
body{font-family:system-ui,sans-serif;background:#f3f4f6;margin:0;padding:16px;color:#111}
.card{max-width:380px;margin:24px auto;background:#fff;border-radius:12px;box-shadow:0 2px 8px #0002;overflow:hidden}
.head{background:${opts.color};color:#fff;padding:16px;font-weight:700;font-size:20px}
.sandbox{font-size:12px;font-weight:400;opacity:.9}
.body{padding:16px}
dl{display:grid;grid-template-columns:auto 1fr;gap:6px 12px;margin:0 0 16px}dt{color:#555}dd{margin:0;font-weight:600}
label{display:block;font-size:14px;margin:10px 0 4px}input,select{width:100%;box-sizing:border-box;padding:10px;border:1px solid #bbb;border-radius:6px;font-size:16px}
.row{display:flex;gap:8px;margin-top:16px}button{flex:1;padding:12px;border:0;border-radius:6px;font-size:16px;font-weight:600;cursor:pointer}
.ok{background:${opts.color};color:#fff}.no{background:#e5e7eb;color:#111}.bad{background:#fee2e2;color:#991b1b}
p.note{font-size:12px;color:#555}
</style></head><body><div class="card"><div class="head">${esc(opts.brand)}
<div class="sandbox">Local test payment page — no real money moves</div></div><div class="body">
<dl>${opts.lines.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join("")}</dl>
${opts.body}</div></div></body></html>`;
  return new Response(html, { headers: { "content-type": "text/html; charset=utf-8" } });
}

/**
 * A provider's hosted payment page for one payment: while it is open, the merchant, the
 * reference, the amount and the provider's form (`body()`); once it is not, its state and `closed`.
 */
export function paymentPage(opts: {
  brand: string;
  color: string;
  title: string;
  ref: [string, string];
  amount: string;
  state: string;
  open: boolean;
  closed: string;
  body: () => string;
}): Response {
  const { brand, color, title } = opts;
  if (!opts.open) {
    return hostedPage({
      brand,
      color,
      title,
      lines: [opts.ref, ["Status", opts.state]],
      body: `<p>${esc(opts.closed)}</p>`,
    });
  }
  return hostedPage({
    brand,
    color,
    title,
    lines: [["Merchant", "Smart Dairy Ltd."], opts.ref, ["Amount", `৳${opts.amount}`]],
    body: opts.body(),
  });
}

export function redirectTo(location: string): Response {
  return new Response(null, { status: 302, headers: { location } });
}

export async function readJson(req: Request): Promise<Record<string, any>> {
  try {
    const v = await req.json();
    return typeof v === "object" && v !== null ? v : {};
  } catch {
    return {};
  }
}

export async function readForm(req: Request): Promise<Record<string, string>> {
  try {
    const f = await req.formData();
    const out: Record<string, string> = {};
    f.forEach((v, k) => (out[k] = String(v)));
    return out;
  } catch {
    return {};
  }
}

/** "12.50" with two decimals, as the providers write amounts. */
export function money(v: unknown): string | null {
  const s = String(v ?? "").trim();
  if (!/^\d{1,9}(\.\d{1,2})?$/.test(s)) return null;
  return Number(s).toFixed(2);
}

export interface CallLog {
  path: string;
  body: unknown;
  at: number;
}

/**
 * What every fake provider has: its loopback server, a call log for tests, how long a "timeout"
 * fault hangs, and the deliveries in flight (webhooks, IPNs) that stop() lets finish.
 */
export abstract class FakeProvider {
  readonly calls: CallLog[] = [];
  /** How long a "timeout" fault keeps the caller waiting (stopping wakes it). */
  hangMs = 5_000;
  /** Webhooks and IPNs on their way; stop() waits for them. */
  protected readonly deliveries: Promise<unknown>[] = [];
  protected readonly server: FakeServer;
  readonly #stop = new AbortController();

  constructor(name: string, opts: { hostname?: string } = {}) {
    this.server = serveFake(name, (req, url) => this.handle(req, url), opts);
  }

  /** Answers one request to the provider's API or hosted page. */
  protected abstract handle(req: Request, url: URL): Promise<Response>;

  /** A "timeout" fault: no answer for hangMs, or until the fake stops. */
  protected hang(): Promise<void> {
    return hang(this.hangMs, this.#stop.signal);
  }

  async stop() {
    this.#stop.abort();
    await Promise.allSettled(this.deliveries);
    await this.server.stop();
  }
}
