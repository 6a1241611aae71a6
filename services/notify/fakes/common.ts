/**
 * Shared parts of the local fake message providers: a loopback HTTP server that refuses to start
 * in production (unless forced), fault injection, a log of what was accepted, and webhook
 * deliveries that stop() lets finish.
 */
import { assertNotProduction } from "@/services/platform/production_guard.ts";

export type Fault = "none" | "error" | "timeout" | "down";

export interface Accepted {
  id: string;
  to: string;
  text: string;
  raw: Record<string, unknown>;
  at: number;
}

export abstract class FakeMessageProvider {
  /** What the next requests meet: a provider error, a hang (timeout), or a 503. */
  fault: Fault = "none";
  /** How long a "timeout" fault hangs (stopping wakes it). */
  hangMs = 5_000;
  /** Delivers a receipt for every accepted message by itself (the embedded default). */
  autoReceipt = false;
  readonly accepted: Accepted[] = [];
  readonly baseUrl: string;
  protected readonly deliveries = new Set<Promise<unknown>>();
  readonly #ac = new AbortController();
  readonly #server: Deno.HttpServer;
  #seq = 0;

  constructor(readonly name: string, opts: { hostname?: string; port?: number } = {}) {
    assertNotProduction(`Fake ${name}`);
    const hostname = opts.hostname ?? "127.0.0.1";
    this.#server = Deno.serve({
      hostname,
      port: opts.port ?? 0,
      signal: this.#ac.signal,
      onListen: () => {},
    }, async (req) => {
      try {
        return await this.handle(req, new URL(req.url));
      } catch (e) {
        console.error(`fake ${name}: ${(e as Error).stack}`);
        return Response.json({ error: "fake provider crashed" }, { status: 500 });
      }
    });
    this.baseUrl = `http://${hostname}:${(this.#server.addr as Deno.NetAddr).port}`;
  }

  protected abstract handle(req: Request, url: URL): Promise<Response>;

  protected nextId(prefix: string): string {
    return `${prefix}${Date.now().toString(36)}${(++this.#seq).toString(36).padStart(4, "0")}`;
  }

  /** Applies the fault, if any: a Response to answer with, or null to go on. */
  protected async faulted(): Promise<Response | null> {
    if (this.fault === "timeout") {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, this.hangMs);
        this.#ac.signal.addEventListener("abort", () => {
          clearTimeout(t);
          resolve();
        });
      });
      return new Response("timeout", { status: 504 });
    }
    if (this.fault === "down") return new Response("Service Unavailable", { status: 503 });
    return null;
  }

  /** Runs a webhook delivery in the background (stop() waits for it). */
  protected background(p: Promise<unknown>): void {
    const q = p.catch((e) => console.error(`fake ${this.name}: webhook failed: ${e.message}`));
    this.deliveries.add(q);
    q.finally(() => this.deliveries.delete(q));
  }

  /** Waits for the webhooks in flight. */
  async settle(): Promise<void> {
    while (this.deliveries.size) await Promise.all([...this.deliveries]);
  }

  async stop(): Promise<void> {
    await this.settle();
    this.#ac.abort();
    await this.#server.finished.catch(() => {});
  }
}
