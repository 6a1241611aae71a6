/**
 * Paperfly's merchant API (docs: ../shared/reference/payments-and-couriers.md; the public PHP
 * client Paperfly-Express-Ltd/paperflyapi): HTTP Basic `username:password` plus the `paperflykey`
 * header, JSON bodies. `POST OrderPlacement` (merOrderRef, pickup merchant, customer, packagePrice
 * = the cash to collect) → tracking number; `POST API-Order-Tracking {ReferenceNumber}` → the
 * parcel's timestamps per step; `POST api/v1/cancel-order/`. Paperfly documents no tracking
 * webhook and no price API: status is polled, and the quote is a flat charge kept in settings.
 */
import { CourierError } from "./pathao.ts";

export interface PaperflySettings {
  /** Ends with "/" (paths are appended). */
  baseUrl: string;
  username: string;
  password: string;
  apiKey: string;
  /** Flat delivery charge (poisha). */
  chargeMinor: number;
  /** Where Paperfly picks the parcels up (our dispatch point). */
  pickup: { name: string; address: string; thana: string; district: string; phone: string };
  timeoutMs?: number;
}

/** One step of Paperfly's tracking answer: a timestamp per step reached (empty when not yet). */
export type PaperflyTracking = Record<string, string | null | undefined>;

/**
 * Paperfly's tracking timestamps as one status word, the latest step first (closed, returned,
 * delivered, partial, on hold, assigned to the delivery agent, at the last-mile hub, in transit,
 * picked); "pending" before pick-up.
 */
export function paperflyStatus(t: PaperflyTracking): string {
  const steps: [string, string][] = [
    ["ReturnedTime", "returned"],
    ["DeliveredTime", "delivered"],
    ["PartialTime", "partial_delivered"],
    ["onHoldSchedule", "on_hold"],
    ["PickedForDeliveryTime", "assigned_for_delivery"],
    ["ReceivedAtPointTime", "received_at_hub"],
    ["inTransitTime", "in_transit"],
    ["PickTime", "picked"],
  ];
  for (const [field, status] of steps) if (t[field]) return status;
  return "pending";
}

export function createPaperfly(s: PaperflySettings) {
  async function call(path: string, body: unknown): Promise<{ res: Response; body: any }> {
    let res: Response;
    try {
      res = await fetch(`${s.baseUrl}${path}`, {
        method: "POST",
        headers: {
          authorization: `Basic ${btoa(`${s.username}:${s.password}`)}`,
          paperflykey: s.apiKey,
          "content-type": "application/json",
          accept: "application/json",
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(s.timeoutMs ?? 15_000),
      });
    } catch (e) {
      throw new CourierError(`Paperfly did not answer: ${(e as Error).message}`);
    }
    return { res, body: await res.json().catch(() => null) };
  }
  const refused = (res: Response, body: any) =>
    new CourierError(
      `Paperfly refused (${res.status}): ${body?.error?.message ?? body?.message ?? "no answer"}`,
    );

  return {
    quote: () => ({ finalPriceMinor: s.chargeMinor }),
    async createParcel(p: {
      reference: string;
      name: string;
      phone: string;
      address: string;
      thana: string;
      district: string;
      codMinor: number;
      weightKg: number;
    }) {
      const { res, body } = await call("OrderPlacement", {
        merOrderRef: p.reference,
        pickMerchantName: s.pickup.name,
        pickMerchantAddress: s.pickup.address,
        pickMerchantThana: s.pickup.thana,
        pickMerchantDistrict: s.pickup.district,
        pickupMerchantPhone: s.pickup.phone,
        productSizeWeight: "standard",
        productBrief: "Dairy products",
        packagePrice: (p.codMinor / 100).toFixed(2),
        max_weight: String(p.weightKg),
        deliveryOption: "regular",
        custname: p.name,
        custaddress: p.address,
        customerThana: p.thana,
        customerDistrict: p.district,
        custPhone: p.phone,
      });
      if (!res.ok || !body?.success?.tracking_number) throw refused(res, body);
      return {
        consignmentId: String(body.success.tracking_number),
        status: "pending",
        feeMinor: s.chargeMinor,
      };
    },
    /** The parcel's status by our reference (the order number). */
    async track(reference: string): Promise<{ status: string; raw: PaperflyTracking }> {
      const { res, body } = await call("API-Order-Tracking", { ReferenceNumber: reference });
      const t = body?.success?.trackingStatus?.[0];
      if (!res.ok || !t) throw refused(res, body);
      return { status: paperflyStatus(t), raw: t };
    },
    async cancel(reference: string): Promise<void> {
      const { res, body } = await call("api/v1/cancel-order/", { order_id: reference });
      if (!res.ok) throw refused(res, body);
    },
  };
}
export type Paperfly = ReturnType<typeof createPaperfly>;
