/**
 * A local fake of Paperfly's merchant API (OrderPlacement, API-Order-Tracking, cancel-order) on a
 * loopback port: it checks HTTP Basic and the `paperflykey` header and the order fields, keeps
 * each parcel's step timestamps, and lets a test (or the demo) move a parcel along with
 * `advance(reference, step)` — as Paperfly's own hubs would; we learn of it only by polling.
 */
import { assertNotProduction } from "@/services/platform/production_guard.ts";

const STEP_FIELD: Record<string, string> = {
  picked: "PickTime",
  in_transit: "inTransitTime",
  received_at_hub: "ReceivedAtPointTime",
  assigned_for_delivery: "PickedForDeliveryTime",
  delivered: "DeliveredTime",
  returned: "ReturnedTime",
};

export class FakePaperfly {
  readonly username = `pf-${crypto.randomUUID().slice(0, 8)}`;
  readonly password = crypto.randomUUID();
  readonly apiKey = `Paperfly_${crypto.randomUUID().slice(0, 10)}`;
  readonly orders = new Map<string, Record<string, unknown>>();
  /** Tracking calls answered (polling is visible to tests). */
  trackingCalls = 0;
  private server: Deno.HttpServer<Deno.NetAddr>;
  private ac = new AbortController();
  private seq = 5_000_000;

  constructor() {
    assertNotProduction("Fake courier Paperfly");
    this.server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, signal: this.ac.signal, onListen: () => {} },
      (req) => this.handle(req),
    );
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.server.addr.port}/`;
  }

  get config() {
    return {
      COURIER_PAPERFLY_BASE_URL: this.baseUrl,
      COURIER_PAPERFLY_USERNAME: this.username,
      COURIER_PAPERFLY_PASSWORD: this.password,
      COURIER_PAPERFLY_KEY: this.apiKey,
    };
  }

  /** Moves a parcel to a step (its timestamp set now), as Paperfly's hubs would. */
  advance(reference: string, step: keyof typeof STEP_FIELD | string): void {
    const o = this.orders.get(reference);
    if (!o || !STEP_FIELD[step]) throw new Error(`fake Paperfly: no ${reference} / ${step}`);
    (o.tracking as Record<string, string>)[STEP_FIELD[step]] = new Date().toISOString();
  }

  private async handle(req: Request): Promise<Response> {
    const path = new URL(req.url).pathname;
    const basic = `Basic ${btoa(`${this.username}:${this.password}`)}`;
    if (
      req.headers.get("authorization") !== basic || req.headers.get("paperflykey") !== this.apiKey
    ) {
      return Response.json({ error: { message: "Unauthorized" } }, { status: 401 });
    }
    if (req.method !== "POST") {
      return Response.json({ error: { message: "POST only" } }, { status: 405 });
    }
    const b = await req.json().catch(() => ({})) as Record<string, unknown>;
    if (path === "/OrderPlacement") {
      const missing = [
        "merOrderRef",
        "pickMerchantName",
        "pickMerchantAddress",
        "pickMerchantThana",
        "pickMerchantDistrict",
        "productSizeWeight",
        "packagePrice",
        "max_weight",
        "deliveryOption",
        "custname",
        "custaddress",
        "customerThana",
        "customerDistrict",
        "custPhone",
      ].filter((k) => b[k] === undefined || b[k] === "");
      if (missing.length) {
        return Response.json({
          error: { message: `Missing: ${missing.join(", ")}` },
          response_code: 400,
        }, { status: 400 });
      }
      if (!/^01[0-9]{9}$/.test(String(b.custPhone))) {
        return Response.json({ error: { message: "custPhone must be 11 digits" } }, {
          status: 400,
        });
      }
      const ref = String(b.merOrderRef);
      if (this.orders.has(ref)) {
        return Response.json({ error: { message: "Duplicate merOrderRef" } }, { status: 409 });
      }
      const tracking_number = String(++this.seq);
      this.orders.set(ref, { ...b, tracking_number, tracking: {} });
      return Response.json({
        response_code: 200,
        success: {
          message: "Order placed successfully",
          tracking_number,
          tracking_barcode: `PF${tracking_number}`,
        },
      });
    }
    if (path === "/API-Order-Tracking") {
      this.trackingCalls++;
      const o = this.orders.get(String(b.ReferenceNumber ?? ""));
      if (!o) return Response.json({ error: { message: "No such order" } }, { status: 404 });
      return Response.json({
        response_code: 200,
        success: {
          trackingStatus: [{ ReferenceNumber: b.ReferenceNumber, ...o.tracking as object }],
        },
      });
    }
    if (path === "/api/v1/cancel-order/") {
      const o = this.orders.get(String(b.order_id ?? ""));
      if (!o) return Response.json({ error: { message: "No such order" } }, { status: 404 });
      o.cancelled = true;
      return Response.json({ response_code: 200, success: { message: "Order cancelled" } });
    }
    return Response.json({ error: { message: "Not found" } }, { status: 404 });
  }

  async stop(): Promise<void> {
    this.ac.abort();
    await this.server.finished;
  }
}
