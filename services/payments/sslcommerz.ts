/**
 * SSLCommerz v4 (cards, internet banking and mobile wallets, Rocket included): session
 * (gwprocess/v4/api.php), the validation API for every success (validationserverAPI.php with
 * val_id), transaction query by tran_id and refunds (merchantTransIDvalidationAPI.php).
 *
 * Only status VALID or VALIDATED with our tran_id, amount and currency counts as paid;
 * risk_level 1 payments are held for a person to check. The IPN's verify_sign is checked too,
 * but only as a first filter: the validation API decides.
 */
import { md5 } from "hash-wasm";
import { callProvider } from "./http.ts";
import {
  fromDecimal,
  type PaymentProvider,
  type PaymentRef,
  type RefundResult,
  type StartInput,
  type StartResult,
  toDecimal,
  unlessUnavailable,
  type Verification,
  withoutTransaction,
} from "./types.ts";

export interface SslcommerzSettings {
  /** e.g. https://sandbox.sslcommerz.com */
  baseUrl: string;
  storeId: string;
  storePassword: string;
  timeoutMs: number;
}

export class SslcommerzError extends Error {
  constructor(message: string) {
    super(`SSLCommerz: ${message}`);
    this.name = "SslcommerzError";
  }
}

const STATUS_MAP: Record<string, Verification["outcome"]> = {
  VALID: "succeeded",
  VALIDATED: "succeeded",
  FAILED: "failed",
  INVALID_TRANSACTION: "failed",
  CANCELLED: "cancelled",
  EXPIRED: "expired",
  UNATTEMPTED: "pending",
  PENDING: "pending",
};

/**
 * The IPN signature: md5 over "key=value&…" of the fields named in verify_key plus
 * store_passwd=md5(store password), sorted by key.
 */
export async function verifySign(fields: Record<string, string>, storePassword: string) {
  if (!fields.verify_key || !fields.verify_sign) return false;
  const data: Record<string, string> = {};
  for (const k of fields.verify_key.split(",")) data[k] = fields[k] ?? "";
  data.store_passwd = await md5(storePassword);
  const text = Object.keys(data).sort().map((k) => `${k}=${data[k]}`).join("&");
  return (await md5(text)) === fields.verify_sign;
}

export class SslcommerzProvider implements PaymentProvider {
  readonly method = "sslcommerz" as const;
  constructor(readonly s: SslcommerzSettings) {}

  #auth() {
    return { store_id: this.s.storeId, store_passwd: this.s.storePassword, format: "json" };
  }

  async #get(path: string, params: Record<string, string>) {
    const url = `${this.s.baseUrl}${path}?${new URLSearchParams({ ...params, ...this.#auth() })}`;
    return (await callProvider("sslcommerz", url, { timeoutMs: this.s.timeoutMs })).body;
  }

  async start(input: StartInput): Promise<StartResult> {
    const cb = `${input.origin}/webhooks/sslcommerz`;
    const { body: r } = await callProvider("sslcommerz", `${this.s.baseUrl}/gwprocess/v4/api.php`, {
      form: {
        store_id: this.s.storeId,
        store_passwd: this.s.storePassword,
        total_amount: toDecimal(input.amountMinor),
        currency: input.currency,
        tran_id: input.merchantRef,
        success_url: `${cb}/success`,
        fail_url: `${cb}/fail`,
        cancel_url: `${cb}/cancel`,
        ipn_url: `${cb}/ipn`,
        cus_name: input.customer.name,
        cus_email: input.customer.email || "customer@smartdairy.invalid",
        cus_phone: input.customer.phone,
        cus_add1: input.customer.address ?? "Dhaka",
        cus_city: input.customer.city ?? "Dhaka",
        cus_country: "Bangladesh",
        shipping_method: "NO",
        product_name: input.description.slice(0, 250),
        product_category: "Dairy",
        product_profile: "general",
        value_a: input.paymentId,
      },
      timeoutMs: this.s.timeoutMs,
    });
    if (r.status !== "SUCCESS" || typeof r.GatewayPageURL !== "string" || !r.GatewayPageURL) {
      throw new SslcommerzError(String(r.failedreason || "session refused"));
    }
    return {
      providerRef: input.merchantRef,
      redirectUrl: r.GatewayPageURL,
      details: { sessionkey: r.sessionkey },
    };
  }

  #fromElement(e: Record<string, any>, raw: unknown): Verification {
    return {
      outcome: STATUS_MAP[String(e.status)] ?? "pending",
      amountMinor: fromDecimal(e.amount),
      currency: e.currency ?? e.currency_type ?? null,
      merchantRef: e.tran_id ?? null,
      trxId: e.bank_tran_id ? String(e.bank_tran_id) : null,
      risky: String(e.risk_level) === "1",
      reason: e.error ?? e.risk_title ?? e.status,
      raw,
    };
  }

  /**
   * Validates val_id (success page or IPN); without one, queries by tran_id. The val_id comes
   * from whoever posted the callback: its validation counts only when SSLCommerz says it belongs
   * to this payment's tran_id. Another transaction's val_id (or an invented one) is not an answer
   * about this payment, so the payment's own tran_id is queried instead.
   */
  async confirm(payment: PaymentRef, callback: Record<string, string>): Promise<Verification> {
    const valId = callback.val_id;
    if (!valId || !/^[A-Za-z0-9_-]{1,100}$/.test(valId)) return await this.query(payment);
    const r = await unlessUnavailable(
      this.#get("/validator/api/validationserverAPI.php", { val_id: valId, v: "1" }),
    );
    if (r === null) return await this.query(payment);
    const ours = payment.providerRef ?? payment.merchantRef;
    if (typeof r.tran_id !== "string" || r.tran_id !== ours) {
      return await this.query(payment);
    }
    return this.#fromElement(r, r);
  }

  async query(payment: PaymentRef): Promise<Verification> {
    const r = await this.#get("/validator/api/merchantTransIDvalidationAPI.php", {
      tran_id: payment.providerRef ?? payment.merchantRef,
    });
    const elements = Array.isArray(r.element) ? r.element as Record<string, any>[] : [];
    if (r.APIConnect !== "DONE" || elements.length === 0) {
      return withoutTransaction("pending", String(r.APIConnect ?? "no transaction yet"), r);
    }
    const valid = elements.find((e) => e.status === "VALID" || e.status === "VALIDATED");
    return this.#fromElement(valid ?? elements[elements.length - 1], r);
  }

  refund = async (
    payment: PaymentRef,
    amountMinor: number,
    reason: string,
    refundId: string,
  ): Promise<RefundResult> => {
    const r = await this.#get("/validator/api/merchantTransIDvalidationAPI.php", {
      bank_tran_id: payment.trxId ?? "",
      refund_amount: toDecimal(amountMinor),
      refund_remarks: reason.slice(0, 200),
      refe_id: refundId.replaceAll("-", "").slice(0, 30),
    });
    const ref = r.refund_ref_id ? String(r.refund_ref_id) : null;
    if (r.APIConnect === "DONE" && r.status === "success") {
      return { status: "succeeded", providerRefundRef: ref, raw: r };
    }
    if (r.APIConnect === "DONE" && r.status === "processing") {
      return { status: "processing", providerRefundRef: ref, raw: r };
    }
    return {
      status: "failed",
      providerRefundRef: ref,
      reason: String(r.errorReason || r.status || r.APIConnect || "refund refused"),
      raw: r,
    };
  };

  /** Refund status by refund_ref_id: refunded | processing | cancelled. */
  async refundStatus(refundRefId: string): Promise<Record<string, any>> {
    return await this.#get("/validator/api/merchantTransIDvalidationAPI.php", {
      refund_ref_id: refundRefId,
    });
  }
}
