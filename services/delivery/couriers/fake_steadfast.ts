/**
 * A local fake of Steadfast Courier's merchant API (create_order, status_by_cid) on a loopback
 * port: it checks the Api-Key / Secret-Key headers and the order fields as Steadfast documents
 * them, for the tests and the embedded default.
 */
import { assertNotProduction } from "@/services/platform/production_guard.ts";

export class FakeSteadfast {
  readonly apiKey = `sf-${crypto.randomUUID().slice(0, 8)}`;
  readonly secretKey = crypto.randomUUID();
  readonly webhookToken = crypto.randomUUID();
  readonly orders = new Map<string, Record<string, unknown>>();
  private server: Deno.HttpServer<Deno.NetAddr>;
  private ac = new AbortController();
  private seq = 100000;

  constructor() {
    assertNotProduction("Fake courier Steadfast");
    this.server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, signal: this.ac.signal, onListen: () => {} },
      (req) => this.handle(req),
    );
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.server.addr.port}/api/v1`;
  }

  get config() {
    return {
      COURIER_STEADFAST_BASE_URL: this.baseUrl,
      COURIER_STEADFAST_API_KEY: this.apiKey,
      COURIER_STEADFAST_SECRET_KEY: this.secretKey,
      COURIER_STEADFAST_WEBHOOK_TOKEN: this.webhookToken,
    };
  }

  private async handle(req: Request): Promise<Response> {
    const url = new URL(req.url);
    if (
      req.headers.get("api-key") !== this.apiKey ||
      req.headers.get("secret-key") !== this.secretKey
    ) {
      return Response.json({ status: 401, message: "Unauthorized." }, { status: 401 });
    }
    if (url.pathname === "/api/v1/create_order" && req.method === "POST") {
      const b = await req.json().catch(() => ({})) as Record<string, unknown>;
      const errors: Record<string, string[]> = {};
      if (!b.invoice) errors.invoice = ["The invoice field is required."];
      if (!/^01[0-9]{9}$/.test(String(b.recipient_phone))) {
        errors.recipient_phone = ["The recipient phone must be 11 digits."];
      }
      if (!b.recipient_name) errors.recipient_name = ["The recipient name field is required."];
      if (!b.recipient_address) errors.recipient_address = ["The address field is required."];
      if (!(Number(b.cod_amount) >= 0)) errors.cod_amount = ["The cod amount must be numeric."];
      if (Object.keys(errors).length) {
        return Response.json({ status: 400, message: "Validation failed", errors }, {
          status: 422,
        });
      }
      const id = ++this.seq;
      const consignment = {
        consignment_id: id,
        invoice: b.invoice,
        tracking_code: `SF${id}${crypto.randomUUID().slice(0, 4).toUpperCase()}`,
        recipient_name: b.recipient_name,
        recipient_phone: b.recipient_phone,
        recipient_address: b.recipient_address,
        cod_amount: b.cod_amount,
        status: "in_review",
        created_at: new Date().toISOString(),
      };
      this.orders.set(String(id), consignment);
      return Response.json({
        status: 200,
        message: "Consignment has been created successfully.",
        consignment,
      });
    }
    const m = url.pathname.match(/^\/api\/v1\/status_by_cid\/(\d+)$/);
    if (m && this.orders.has(m[1])) {
      return Response.json({ status: 200, delivery_status: this.orders.get(m[1])!.status });
    }
    return Response.json({ status: 404, message: "Not found" }, { status: 404 });
  }

  async stop(): Promise<void> {
    this.ac.abort();
    await this.server.finished;
  }
}
