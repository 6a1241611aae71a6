/**
 * bKash Tokenized Checkout (v1.2.0-beta): grant/refresh token, create, execute, query
 * (payment/status), search transaction, refund.
 *
 * Only statusCode "0000" with transactionStatus "Completed" counts as paid, and the caller still
 * compares amount, currency and invoice number. When execute errors or times out (e.g. 2062 "already
 * completed", 2117 "execute already called") the payment is queried before anything is decided.
 */
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

export interface BkashSettings {
  /** e.g. https://tokenized.sandbox.bka.sh/v1.2.0-beta */
  baseUrl: string;
  username: string;
  password: string;
  appKey: string;
  appSecret: string;
  timeoutMs: number;
}

/** A refusal from bKash (a definite answer, unlike ProviderUnavailableError). */
export class BkashError extends Error {
  constructor(readonly statusCode: string, message: string) {
    super(`bKash ${statusCode}: ${message}`);
    this.name = "BkashError";
  }
}

const STATUS_MAP: Record<string, Verification["outcome"]> = {
  Completed: "succeeded",
  Initiated: "pending",
  Inprogress: "pending",
  Pending: "pending",
  Authorized: "pending",
  Cancelled: "cancelled",
  Failed: "failed",
  Expired: "expired",
};

export class BkashProvider implements PaymentProvider {
  readonly method = "bkash" as const;
  #token: { idToken: string; refreshToken: string; expiresAt: number } | null = null;
  #granting: Promise<string> | null = null;

  constructor(readonly s: BkashSettings) {}

  /** A valid id_token: cached for its lifetime (3,600 s) less a minute, refreshed when possible. */
  token(): Promise<string> {
    const t = this.#token;
    if (t && t.expiresAt > Date.now() + 60_000) return Promise.resolve(t.idToken);
    this.#granting ??= this.#grant(t?.refreshToken).finally(() => (this.#granting = null));
    return this.#granting;
  }

  async #grant(refreshToken?: string): Promise<string> {
    const path = refreshToken ? "refresh" : "grant";
    const body: Record<string, string> = { app_key: this.s.appKey, app_secret: this.s.appSecret };
    if (refreshToken) body.refresh_token = refreshToken;
    const { body: r } = await callProvider(
      "bkash",
      `${this.s.baseUrl}/tokenized/checkout/token/${path}`,
      {
        headers: { username: this.s.username, password: this.s.password },
        json: body,
        timeoutMs: this.s.timeoutMs,
      },
    );
    if (!r.id_token) {
      if (refreshToken) return this.#grant(); // refresh refused: start over
      throw new BkashError(String(r.statusCode ?? "?"), String(r.statusMessage ?? "no token"));
    }
    this.#token = {
      idToken: String(r.id_token),
      refreshToken: String(r.refresh_token ?? ""),
      expiresAt: Date.now() + Number(r.expires_in ?? 3600) * 1000,
    };
    return this.#token.idToken;
  }

  async #post(path: string, json: unknown) {
    const token = await this.token();
    const { body } = await callProvider("bkash", `${this.s.baseUrl}/tokenized/checkout/${path}`, {
      headers: { authorization: token, "x-app-key": this.s.appKey },
      json,
      timeoutMs: this.s.timeoutMs,
    });
    return body;
  }

  async start(input: StartInput): Promise<StartResult> {
    const r = await this.#post("create", {
      mode: "0011",
      payerReference: input.customer.phone.replace(/^\+88/, ""),
      callbackURL: `${input.origin}/webhooks/bkash/callback`,
      amount: toDecimal(input.amountMinor),
      currency: input.currency,
      intent: "sale",
      merchantInvoiceNumber: input.merchantRef,
    });
    if (r.statusCode !== "0000" || !r.paymentID || !r.bkashURL) {
      throw new BkashError(String(r.statusCode ?? "?"), String(r.statusMessage ?? "create failed"));
    }
    return {
      providerRef: String(r.paymentID),
      redirectUrl: String(r.bkashURL),
      details: { paymentCreateTime: r.paymentCreateTime },
    };
  }

  #verification(r: Record<string, any>): Verification {
    return {
      outcome: STATUS_MAP[String(r.transactionStatus)] ?? "pending",
      amountMinor: fromDecimal(r.amount),
      currency: r.currency ?? null,
      merchantRef: r.merchantInvoiceNumber ?? null,
      trxId: r.trxID ? String(r.trxID) : null,
      reason: r.statusMessage,
      raw: r,
    };
  }

  async confirm(payment: PaymentRef, callback: Record<string, string>): Promise<Verification> {
    if (!payment.providerRef) throw new Error("bKash payment without paymentID");
    if (callback.status !== "success") {
      // "cancel" or "failure" in a URL anyone can type decides nothing: bKash's own answer does.
      // A payment bKash still calls Initiated stays pending (the customer may pay again, and
      // the sweeper expires it).
      return await this.query(payment);
    }
    const r = await unlessUnavailable(this.#post("execute", { paymentID: payment.providerRef }));
    if (r === null) return await this.query(payment);
    if (r.statusCode === "0000" && r.transactionStatus) return this.#verification(r);
    // Any error (2062 already completed, 2117 executed before, 2056 invalid state…): ask.
    return await this.query(payment);
  }

  async query(payment: PaymentRef): Promise<Verification> {
    const r = await this.#post("payment/status", { paymentID: payment.providerRef });
    if (r.statusCode && r.statusCode !== "0000" && !r.transactionStatus) {
      return withoutTransaction("failed", String(r.statusMessage ?? r.statusCode), r);
    }
    return this.#verification(r);
  }

  /** Looks a transaction up by trxID (support and reconciliation). */
  async searchTransaction(trxId: string): Promise<Record<string, any>> {
    return await this.#post("general/searchTransaction", { trxID: trxId });
  }

  refund = async (
    payment: PaymentRef,
    amountMinor: number,
    reason: string,
    _refundId: string,
  ): Promise<RefundResult> => {
    const r = await this.#post("payment/refund", {
      paymentID: payment.providerRef,
      amount: toDecimal(amountMinor),
      trxID: payment.trxId,
      sku: "shop-order",
      reason: reason.slice(0, 200),
    });
    if (r.transactionStatus === "Completed" && r.refundTrxID) {
      return { status: "succeeded", providerRefundRef: String(r.refundTrxID), raw: r };
    }
    return {
      status: "failed",
      providerRefundRef: null,
      reason: String(r.statusMessage ?? r.errorMessage ?? "refund refused"),
      raw: r,
    };
  };

  /** Refund status (payment/refund with paymentID and trxID only). */
  async refundStatus(payment: PaymentRef): Promise<Record<string, any>> {
    return await this.#post("payment/refund", {
      paymentID: payment.providerRef,
      trxID: payment.trxId,
    });
  }
}
