/**
 * A local fake of Pathao Courier's merchant API (the endpoints createPathao uses), a real HTTP
 * server on a loopback port, for the tests and the embedded default. It checks the credentials,
 * the bearer token and the order fields as Pathao documents them, prices by weight, and can send
 * status webhooks to the app with the integration secret.
 */
import { assertNotProduction } from "@/services/platform/production_guard.ts";
import type { PathaoSettings } from "./pathao.ts";

/** What the fake accepts: the app's Pathao settings but where to reach it. */
export type FakePathaoCreds = Omit<PathaoSettings, "baseUrl" | "timeoutMs">;

export class FakePathao {
  readonly creds: FakePathaoCreds;
  readonly orders = new Map<string, Record<string, unknown>>();
  private server: Deno.HttpServer<Deno.NetAddr>;
  private ac = new AbortController();
  private tokens = new Set<string>();
  private seq = 0;

  constructor(creds?: Partial<FakePathaoCreds>) {
    assertNotProduction("Fake courier Pathao");
    this.creds = {
      clientId: "7N1aMJQbWm",
      clientSecret: "wRcaibZkUdSNz2EI9ZyuXLlNrnAv0TdPUPXMnD39",
      username: "test@pathao.com",
      password: "lovePathao",
      storeId: 148381,
      webhookSecret: crypto.randomUUID(),
      ...creds,
    };
    this.server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, signal: this.ac.signal, onListen: () => {} },
      (req) => this.handle(req),
    );
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.server.addr.port}`;
  }

  /** COURIER_PATHAO_* settings that point the adapter here. */
  get config() {
    return {
      COURIER_PATHAO_BASE_URL: this.baseUrl,
      COURIER_PATHAO_CLIENT_ID: this.creds.clientId,
      COURIER_PATHAO_CLIENT_SECRET: this.creds.clientSecret,
      COURIER_PATHAO_USERNAME: this.creds.username,
      COURIER_PATHAO_PASSWORD: this.creds.password,
      COURIER_PATHAO_STORE_ID: this.creds.storeId,
      COURIER_PATHAO_WEBHOOK_SECRET: this.creds.webhookSecret,
    };
  }

  /** Pathao's delivery charge: ৳60 in Dhaka city (1) up to 1 kg, ৳15 per extra kg; else ৳110. */
  static price(city: number, weightKg: number): number {
    const base = city === 1 ? 60 : 110;
    return base + Math.max(0, Math.ceil(weightKg - 1)) * 15;
  }

  private async handle(req: Request): Promise<Response> {
    const url = new URL(req.url);
    const body = req.method === "POST" ? await req.json().catch(() => null) : null;
    if (url.pathname === "/aladdin/api/v1/issue-token" && req.method === "POST") {
      const c = this.creds;
      if (
        body?.client_id !== c.clientId || body?.client_secret !== c.clientSecret ||
        body?.username !== c.username || body?.password !== c.password ||
        body?.grant_type !== "password"
      ) {
        return Response.json({ message: "Invalid credentials", type: "error", code: 401 }, {
          status: 401,
        });
      }
      const t = crypto.randomUUID();
      this.tokens.add(t);
      return Response.json({
        token_type: "Bearer",
        expires_in: 432000,
        access_token: t,
        refresh_token: crypto.randomUUID(),
      });
    }
    const auth = req.headers.get("authorization")?.replace(/^Bearer /, "") ?? "";
    if (!this.tokens.has(auth)) {
      return Response.json({ message: "Unauthorized", code: 401 }, { status: 401 });
    }
    if (url.pathname === "/aladdin/api/v1/merchant/price-plan" && req.method === "POST") {
      if (body?.store_id !== this.creds.storeId || !(body?.item_weight > 0)) {
        return Response.json({ message: "Invalid data", code: 422 }, { status: 422 });
      }
      const price = FakePathao.price(body.recipient_city, body.item_weight);
      return Response.json({
        message: "price",
        type: "success",
        code: 200,
        data: {
          price,
          discount: 0,
          promo_discount: 0,
          plan_id: 69,
          cod_enabled: 1,
          cod_percentage: 0.01,
          additional_charge: 0,
          final_price: price,
        },
      });
    }
    if (url.pathname === "/aladdin/api/v1/orders" && req.method === "POST") {
      const errors: Record<string, string[]> = {};
      const b = body ?? {};
      if (b.store_id !== this.creds.storeId) errors.store_id = ["The store id is invalid."];
      if (typeof b.recipient_name !== "string" || b.recipient_name.length < 3) {
        errors.recipient_name = ["The recipient name must be at least 3 characters."];
      }
      if (!/^01[0-9]{9}$/.test(String(b.recipient_phone))) {
        errors.recipient_phone = ["The recipient phone must be 11 characters."];
      }
      const addr = String(b.recipient_address ?? "");
      if (addr.length < 10 || addr.length > 220) {
        errors.recipient_address = ["The recipient address must be between 10 and 220."];
      }
      if (!(b.item_weight >= 0.5 && b.item_weight <= 10)) {
        errors.item_weight = ["The item weight must be between 0.5 and 10."];
      }
      if (Object.keys(errors).length) {
        return Response.json({ message: "Please fix the given errors", code: 422, errors }, {
          status: 422,
        });
      }
      const id = `DL${String(++this.seq).padStart(6, "0")}${
        crypto.randomUUID().slice(0, 4).toUpperCase()
      }`;
      this.orders.set(id, { ...b, order_status: "Pending" });
      return Response.json({
        message: "Order Created Successfully",
        type: "success",
        code: 200,
        data: {
          consignment_id: id,
          merchant_order_id: b.merchant_order_id,
          order_status: "Pending",
          delivery_fee: FakePathao.price(b.recipient_city, b.item_weight),
        },
      });
    }
    return Response.json({ message: "Not found" }, { status: 404 });
  }

  /** Sends a status webhook to `url` as Pathao does (the integration secret in the header). */
  async sendStatus(
    url: string,
    consignmentId: string,
    event: string,
    extra: Record<string, unknown> = {},
    secret = this.creds.webhookSecret,
  ): Promise<Response> {
    const o = this.orders.get(consignmentId);
    return await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "x-pathao-signature": secret },
      body: JSON.stringify({
        consignment_id: consignmentId,
        merchant_order_id: o?.merchant_order_id,
        event,
        updated_at: new Date().toISOString(),
        ...extra,
      }),
    });
  }

  async stop(): Promise<void> {
    this.ac.abort();
    await this.server.finished;
  }
}
