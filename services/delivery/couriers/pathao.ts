/**
 * Pathao Courier's merchant API (docs: ../shared/reference/payments-and-couriers.md): an access
 * token by password grant (kept until it expires), the price plan for a parcel, and parcel
 * creation. Amounts come back in taka; we keep poisha.
 */

export interface PathaoSettings {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  username: string;
  password: string;
  storeId: number;
  webhookSecret: string;
  timeoutMs?: number;
}

export interface PathaoParcel {
  merchantOrderId: string;
  recipientName: string;
  /** 11 digits, 01XXXXXXXXX */
  recipientPhone: string;
  recipientAddress: string;
  recipientCity: number;
  recipientZone: number;
  weightKg: number;
  amountToCollectMinor: number;
}

export class CourierError extends Error {
  readonly status = 502;
  constructor(message: string) {
    super(message);
    this.name = "CourierError";
  }
}

/** +8801711000101 → 01711000101 (Pathao wants the 11 local digits). */
export function localPhone(e164: string): string {
  return e164.replace(/^\+?88/, "");
}

export function createPathao(s: PathaoSettings, clock: { now(): Date }) {
  let token: { value: string; until: number } | null = null;

  async function call(path: string, init: RequestInit & { auth?: boolean } = {}) {
    const headers = new Headers(init.headers);
    headers.set("accept", "application/json");
    if (init.body) headers.set("content-type", "application/json");
    if (init.auth !== false) headers.set("authorization", `Bearer ${await accessToken()}`);
    let res: Response;
    try {
      res = await fetch(`${s.baseUrl}${path}`, {
        ...init,
        headers,
        signal: AbortSignal.timeout(s.timeoutMs ?? 15_000),
      });
    } catch (e) {
      throw new CourierError(`Pathao did not answer: ${(e as Error).message}`);
    }
    const body = await res.json().catch(() => null) as
      | { message?: string; data?: Record<string, unknown> }
      | null;
    if (!res.ok || !body) {
      throw new CourierError(`Pathao refused (${res.status}): ${body?.message ?? "no answer"}`);
    }
    return body;
  }

  async function accessToken(): Promise<string> {
    if (token && token.until > clock.now().getTime()) return token.value;
    const r = await call("/aladdin/api/v1/issue-token", {
      method: "POST",
      auth: false,
      body: JSON.stringify({
        client_id: s.clientId,
        client_secret: s.clientSecret,
        username: s.username,
        password: s.password,
        grant_type: "password",
      }),
    }) as unknown as { access_token: string; expires_in: number };
    token = {
      value: r.access_token,
      until: clock.now().getTime() + (r.expires_in - 60) * 1000,
    };
    return token.value;
  }

  const taka = (v: unknown) => Math.round(Number(v) * 100);

  return {
    webhookSecret: s.webhookSecret,
    /** The delivery charge of a parcel (poisha), after Pathao's discount. */
    async quote(p: Pick<PathaoParcel, "recipientCity" | "recipientZone" | "weightKg">) {
      const r = await call("/aladdin/api/v1/merchant/price-plan", {
        method: "POST",
        body: JSON.stringify({
          store_id: s.storeId,
          item_type: 2,
          delivery_type: 48,
          item_weight: p.weightKg,
          recipient_city: p.recipientCity,
          recipient_zone: p.recipientZone,
        }),
      });
      const d = r.data ?? {};
      return { priceMinor: taka(d.price), finalPriceMinor: taka(d.final_price) };
    },
    /** Books the parcel; Pathao's consignment id and fee. */
    async createParcel(p: PathaoParcel) {
      const r = await call("/aladdin/api/v1/orders", {
        method: "POST",
        body: JSON.stringify({
          store_id: s.storeId,
          merchant_order_id: p.merchantOrderId,
          recipient_name: p.recipientName,
          recipient_phone: p.recipientPhone,
          recipient_address: p.recipientAddress,
          recipient_city: p.recipientCity,
          recipient_zone: p.recipientZone,
          delivery_type: 48,
          item_type: 2,
          item_quantity: 1,
          item_weight: p.weightKg,
          amount_to_collect: p.amountToCollectMinor / 100,
        }),
      });
      const d = r.data ?? {};
      return {
        consignmentId: String(d.consignment_id),
        status: String(d.order_status ?? "Pending"),
        feeMinor: taka(d.delivery_fee),
      };
    },
  };
}
export type Pathao = ReturnType<typeof createPathao>;
