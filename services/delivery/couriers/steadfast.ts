/**
 * Steadfast Courier's merchant API (portal.packzy.com/api/v1): `Api-Key` and `Secret-Key`
 * headers, `POST /create_order` (invoice, recipient, address, COD in taka) → consignment id and
 * tracking code. Steadfast publishes no price API: its delivery charge is a flat rate, kept in
 * settings (inside Dhaka / outside), and shown to staff as the quote.
 */
import { CourierError } from "./pathao.ts";

export interface SteadfastSettings {
  baseUrl: string;
  apiKey: string;
  secretKey: string;
  /** Bearer token Steadfast sends with its webhooks. */
  webhookToken: string;
  /** Flat delivery charge (poisha). */
  chargeMinor: number;
  timeoutMs?: number;
}

export function createSteadfast(s: SteadfastSettings) {
  return {
    webhookToken: s.webhookToken,
    quote: () => ({ finalPriceMinor: s.chargeMinor }),
    async createParcel(p: {
      invoice: string;
      recipientName: string;
      recipientPhone: string;
      recipientAddress: string;
      codMinor: number;
    }) {
      let res: Response;
      try {
        res = await fetch(`${s.baseUrl}/create_order`, {
          method: "POST",
          headers: {
            "Api-Key": s.apiKey,
            "Secret-Key": s.secretKey,
            "content-type": "application/json",
            accept: "application/json",
          },
          body: JSON.stringify({
            invoice: p.invoice,
            recipient_name: p.recipientName,
            recipient_phone: p.recipientPhone,
            recipient_address: p.recipientAddress,
            cod_amount: p.codMinor / 100,
          }),
          signal: AbortSignal.timeout(s.timeoutMs ?? 15_000),
        });
      } catch (e) {
        throw new CourierError(`Steadfast did not answer: ${(e as Error).message}`);
      }
      const body = await res.json().catch(() => null) as
        | { status?: number; message?: string; consignment?: Record<string, unknown> }
        | null;
      if (!res.ok || body?.status !== 200 || !body.consignment) {
        throw new CourierError(
          `Steadfast refused (${res.status}): ${body?.message ?? "no answer"}`,
        );
      }
      return {
        consignmentId: String(body.consignment.consignment_id),
        trackingCode: String(body.consignment.tracking_code ?? ""),
        status: String(body.consignment.status ?? "in_review"),
        feeMinor: s.chargeMinor,
      };
    },
  };
}
export type Steadfast = ReturnType<typeof createSteadfast>;
