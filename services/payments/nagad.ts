/**
 * Nagad remote payment gateway: initialize (RSA-encrypted challenge exchange), complete (order
 * amount, returns the hosted page URL), verify (server side, always). Requests carry
 * X-KM-Api-Version v-0.2.0, X-KM-IP-V4 and X-KM-Client-Type PC_WEB.
 *
 * sensitiveData = base64(RSA PKCS#1 v1.5 encryption with Nagad's public key of the JSON);
 * signature = base64(SHA256withRSA over the same JSON with the merchant's private key), as the
 * merchant kit and public integrations do. Nagad's answer is encrypted to our key and signed by
 * Nagad; both are checked. Nagad documents no refund API: refunds are recorded by staff.
 */
import { DHAKA_OFFSET_MS } from "@/services/platform/dhaka.ts";
import crypto from "node:crypto";
import { Buffer } from "node:buffer";
import { callProvider } from "./http.ts";
import {
  fromDecimal,
  type PaymentProvider,
  type PaymentRef,
  type StartInput,
  type StartResult,
  toDecimal,
  type Verification,
} from "./types.ts";

export interface NagadSettings {
  /** e.g. http://sandbox.mynagad.com:10080/remote-payment-gateway-1.0 */
  baseUrl: string;
  merchantId: string;
  merchantNumber: string;
  /** Nagad's public key: PEM or bare base64 SPKI. */
  nagadPublicKey: string;
  /** Our private key: PEM or bare base64 PKCS#8. */
  merchantPrivateKey: string;
  timeoutMs: number;
}

export class NagadError extends Error {
  constructor(message: string) {
    super(`Nagad: ${message}`);
    this.name = "NagadError";
  }
}

/** Accepts a PEM or the bare base64 body that merchant panels hand out. */
export function pem(key: string, kind: "PUBLIC KEY" | "PRIVATE KEY"): string {
  const k = key.trim();
  if (k.startsWith("-----BEGIN")) return k.replace(/\\n/g, "\n");
  const body = k.replace(/\s+/g, "").match(/.{1,64}/g)?.join("\n") ?? "";
  return `-----BEGIN ${kind}-----\n${body}\n-----END ${kind}-----`;
}

export function rsaEncrypt(plain: string, publicKeyPem: string): string {
  return crypto.publicEncrypt(
    { key: publicKeyPem, padding: crypto.constants.RSA_PKCS1_PADDING },
    Buffer.from(plain, "utf8"),
  ).toString("base64");
}

export function rsaDecrypt(b64: string, privateKeyPem: string): string {
  return crypto.privateDecrypt(
    { key: privateKeyPem, padding: crypto.constants.RSA_PKCS1_PADDING },
    Buffer.from(b64, "base64"),
  ).toString("utf8");
}

export function rsaSign(plain: string, privateKeyPem: string): string {
  return crypto.createSign("SHA256").update(plain).sign(privateKeyPem, "base64");
}

export function rsaVerify(plain: string, signature: string, publicKeyPem: string): boolean {
  try {
    return crypto.createVerify("SHA256").update(plain).verify(publicKeyPem, signature, "base64");
  } catch {
    return false;
  }
}

/** YYYYMMDDhhmmss in Asia/Dhaka. */
export function nagadDateTime(at = new Date()): string {
  return new Date(at.getTime() + DHAKA_OFFSET_MS).toISOString().replace(/[-:T]/g, "").slice(0, 14);
}

/**
 * Nagad order ids are letters and digits only, and public integrations keep them under 20
 * characters: a reference with a random tail keeps its two-letter kind and the 80 random bits
 * (SD2026000123-K7Q2M4ZPAXWMRTEA → SDK7Q2M4ZPAXWMRTEA, 18 characters); the older form keeps its
 * mapping (SD-2026-000123-2 → SD2026000123X2).
 */
export function nagadOrderId(merchantRef: string): string {
  const random = merchantRef.match(/^([A-Z0-9]{2})[A-Z0-9]*-([A-Z2-7]{16})$/);
  if (random) return `${random[1]}${random[2]}`;
  return merchantRef.replace(/-(\d+)$/, "X$1").replace(/-/g, "");
}

const STATUS_MAP: Record<string, Verification["outcome"]> = {
  Success: "succeeded",
  Aborted: "cancelled",
  Cancelled: "cancelled",
  Failed: "failed",
  Fraud: "failed",
  Expired: "expired",
};

export class NagadProvider implements PaymentProvider {
  readonly method = "nagad" as const;
  readonly #pub: string;
  readonly #priv: string;

  constructor(readonly s: NagadSettings) {
    this.#pub = pem(s.nagadPublicKey, "PUBLIC KEY");
    this.#priv = pem(s.merchantPrivateKey, "PRIVATE KEY");
  }

  #headers(ip?: string) {
    return {
      "x-km-api-version": "v-0.2.0",
      "x-km-ip-v4": ip && /^\d{1,3}(\.\d{1,3}){3}$/.test(ip) ? ip : "127.0.0.1",
      "x-km-client-type": "PC_WEB",
    };
  }

  async start(input: StartInput): Promise<StartResult> {
    const orderId = nagadOrderId(input.merchantRef);
    const dateTime = nagadDateTime();
    const challenge = crypto.randomBytes(20).toString("hex");
    const sensitive = JSON.stringify({
      merchantId: this.s.merchantId,
      datetime: dateTime,
      orderId,
      challenge,
    });
    const init = await callProvider(
      "nagad",
      `${this.s.baseUrl}/api/dfs/check-out/initialize/${
        encodeURIComponent(this.s.merchantId)
      }/${orderId}`,
      {
        headers: this.#headers(input.clientIp),
        json: {
          accountNumber: this.s.merchantNumber,
          dateTime,
          sensitiveData: rsaEncrypt(sensitive, this.#pub),
          signature: rsaSign(sensitive, this.#priv),
        },
        timeoutMs: this.s.timeoutMs,
      },
    );
    const r = init.body;
    if (typeof r.sensitiveData !== "string" || typeof r.signature !== "string") {
      throw new NagadError(String(r.message ?? r.reason ?? "initialize refused"));
    }
    let plain: string;
    try {
      plain = rsaDecrypt(r.sensitiveData, this.#priv);
    } catch {
      throw new NagadError("initialize answer cannot be decrypted with our key");
    }
    if (!rsaVerify(plain, r.signature, this.#pub)) {
      throw new NagadError("initialize answer is not signed by Nagad");
    }
    const data = JSON.parse(plain) as { paymentReferenceId?: string; challenge?: string };
    if (!data.paymentReferenceId || !data.challenge) {
      throw new NagadError("initialize answer lacks paymentReferenceId or challenge");
    }
    const order = JSON.stringify({
      merchantId: this.s.merchantId,
      orderId,
      currencyCode: "050",
      amount: toDecimal(input.amountMinor),
      challenge: data.challenge,
    });
    const done = await callProvider(
      "nagad",
      `${this.s.baseUrl}/api/dfs/check-out/complete/${encodeURIComponent(data.paymentReferenceId)}`,
      {
        headers: this.#headers(input.clientIp),
        json: {
          sensitiveData: rsaEncrypt(order, this.#pub),
          signature: rsaSign(order, this.#priv),
          merchantCallbackURL: `${input.origin}/webhooks/nagad/callback`,
          additionalMerchantInfo: { merchantRef: input.merchantRef },
        },
        timeoutMs: this.s.timeoutMs,
      },
    );
    if (done.body.status !== "Success" || typeof done.body.callBackUrl !== "string") {
      throw new NagadError(String(done.body.message ?? "complete refused"));
    }
    return {
      providerRef: data.paymentReferenceId,
      redirectUrl: done.body.callBackUrl,
      details: { nagadOrderId: orderId },
    };
  }

  /** Nagad's callback carries payment_ref_id; the answer comes from verify only. */
  confirm(payment: PaymentRef, _callback: Record<string, string>): Promise<Verification> {
    return this.query(payment);
  }

  async query(payment: PaymentRef): Promise<Verification> {
    const { body: r } = await callProvider(
      "nagad",
      `${this.s.baseUrl}/api/dfs/verify/payment/${encodeURIComponent(payment.providerRef ?? "")}`,
      { headers: this.#headers(), timeoutMs: this.s.timeoutMs },
    );
    const outcome = STATUS_MAP[String(r.status)] ?? "pending";
    return {
      outcome,
      amountMinor: fromDecimal(r.amount),
      // Nagad verifies in taka only: its currency is implied by currencyCode 050.
      currency: r.status ? "BDT" : null,
      // Nagad echoes its own form of our reference; map it back for the comparison.
      merchantRef: r.orderId === nagadOrderId(payment.merchantRef)
        ? payment.merchantRef
        : (r.orderId ?? null),
      trxId: r.issuerPaymentRefNo ? String(r.issuerPaymentRefNo) : null,
      reason: r.message ?? r.status,
      raw: r,
    };
  }

  refund = null;
}
