/**
 * A local Nagad remote payment gateway: check-out/initialize (decrypts and signature-checks our
 * sensitiveData, answers with paymentReferenceId and a challenge encrypted to the merchant key),
 * check-out/complete (checks the challenge, answers callBackUrl = the hosted page), the hosted page
 * (approve/cancel → redirect to merchantCallbackURL with payment_ref_id, status…), and
 * verify/payment.
 */
import crypto from "node:crypto";
import { nagadDateTime, rsaDecrypt, rsaEncrypt, rsaSign, rsaVerify } from "../nagad.ts";
import {
  FakeProvider,
  money,
  paymentPage,
  randomId,
  readForm,
  readJson,
  redirectTo,
} from "./common.ts";

export interface NagadKeys {
  /** Nagad's key pair: the fake holds the private half. */
  nagadPublicKey: string;
  nagadPrivateKey: string;
  /** The merchant's key pair: the fake checks signatures with the public half. */
  merchantPublicKey: string;
  merchantPrivateKey: string;
}

export function generateNagadKeys(): NagadKeys {
  const gen = () =>
    crypto.generateKeyPairSync("rsa", {
      modulusLength: 2048,
      publicKeyEncoding: { type: "spki", format: "pem" },
      privateKeyEncoding: { type: "pkcs8", format: "pem" },
    });
  const n = gen();
  const m = gen();
  return {
    nagadPublicKey: n.publicKey,
    nagadPrivateKey: n.privateKey,
    merchantPublicKey: m.publicKey,
    merchantPrivateKey: m.privateKey,
  };
}

type State = "Initiated" | "Ready" | "Success" | "Aborted" | "Failed";

interface FakePayment {
  paymentRefId: string;
  orderId: string;
  challenge: string;
  amount: string | null;
  callbackURL: string | null;
  additionalMerchantInfo: unknown;
  state: State;
  issuerPaymentRefNo: string | null;
  orderDateTime: string;
  issuerPaymentDateTime: string | null;
}

export interface NagadFaults {
  verify?: "timeout" | "error";
  amountOverride?: string;
}

export class FakeNagad extends FakeProvider {
  readonly payments = new Map<string, FakePayment>();
  faults: NagadFaults = {};

  constructor(
    readonly merchantId: string,
    readonly merchantNumber: string,
    readonly keys: NagadKeys,
    opts: { hostname?: string } = {},
  ) {
    super("nagad", opts);
  }

  get baseUrl(): string {
    return `${this.server.url}/remote-payment-gateway-1.0`;
  }

  /** The hosted page's approve button; returns the merchant callback URL. */
  approve(paymentRefId: string): string {
    const p = this.payments.get(paymentRefId)!;
    if (p.state === "Ready") {
      p.state = "Success";
      p.issuerPaymentRefNo = randomId("", 10);
      p.issuerPaymentDateTime = nagadDateTime();
    }
    return this.#callback(p);
  }
  cancel(paymentRefId: string): string {
    const p = this.payments.get(paymentRefId)!;
    if (p.state === "Ready" || p.state === "Initiated") p.state = "Aborted";
    return this.#callback(p);
  }

  #callback(p: FakePayment): string {
    const u = new URL(p.callbackURL!);
    const ok = p.state === "Success";
    u.searchParams.set("merchant", this.merchantId);
    u.searchParams.set("order_id", p.orderId);
    u.searchParams.set("payment_ref_id", p.paymentRefId);
    u.searchParams.set("status", p.state);
    u.searchParams.set("status_code", ok ? "00_0000_000" : "00_1144_047");
    u.searchParams.set("message", ok ? "Successful Transaction" : "Aborted by customer");
    u.searchParams.set("payment_dt", p.issuerPaymentDateTime ?? nagadDateTime());
    u.searchParams.set("issuer_payment_ref", p.issuerPaymentRefNo ?? "");
    return u.toString();
  }

  #headersOk(req: Request): boolean {
    return req.headers.get("x-km-api-version") === "v-0.2.0" &&
      req.headers.get("x-km-client-type") === "PC_WEB" && !!req.headers.get("x-km-ip-v4");
  }

  /** Decrypts and signature-checks a merchant's sensitiveData. */
  #open(body: Record<string, any>): Record<string, any> | null {
    try {
      const plain = rsaDecrypt(String(body.sensitiveData), this.keys.nagadPrivateKey);
      if (!rsaVerify(plain, String(body.signature), this.keys.merchantPublicKey)) return null;
      return JSON.parse(plain);
    } catch {
      return null;
    }
  }

  protected async handle(req: Request, url: URL): Promise<Response> {
    const base = "/remote-payment-gateway-1.0/api/dfs";
    const path = url.pathname;
    if (req.method === "GET" && path.startsWith("/checkout/")) {
      return this.#page(decodeURIComponent(path.slice("/checkout/".length)));
    }
    if (req.method === "POST" && path === "/checkout/act") {
      const f = await readForm(req);
      const p = this.payments.get(f.ref ?? "");
      if (!p || !p.callbackURL) return new Response("Unknown payment", { status: 404 });
      return redirectTo(
        f.action === "approve" ? this.approve(p.paymentRefId) : this.cancel(p.paymentRefId),
      );
    }
    const init = path.match(new RegExp(`^${base}/check-out/initialize/([^/]+)/([^/]+)$`));
    if (req.method === "POST" && init) {
      const body = await readJson(req);
      this.calls.push({ path: "initialize", body, at: Date.now() });
      if (!this.#headersOk(req)) {
        return Response.json({ reason: "Invalid headers", message: "Missing X-KM headers" }, {
          status: 400,
        });
      }
      const data = this.#open(body);
      const [, merchantId, orderId] = init;
      if (
        !data || data.merchantId !== merchantId || data.orderId !== orderId ||
        merchantId !== this.merchantId
      ) {
        return Response.json({
          reason: "Invalid signature",
          message: "Sensitive data could not be verified",
        }, { status: 400 });
      }
      if (!/^[A-Za-z0-9]{1,40}$/.test(orderId) || body.accountNumber !== this.merchantNumber) {
        return Response.json({
          reason: "Invalid request",
          message: "Bad order id or merchant account",
        }, { status: 400 });
      }
      if ([...this.payments.values()].some((p) => p.orderId === orderId)) {
        return Response.json({ reason: "Duplicate", message: "Order id already used" }, {
          status: 400,
        });
      }
      const p: FakePayment = {
        paymentRefId: randomId("MDA", 20),
        orderId,
        challenge: crypto.randomBytes(20).toString("hex"),
        amount: null,
        callbackURL: null,
        additionalMerchantInfo: null,
        state: "Initiated",
        issuerPaymentRefNo: null,
        orderDateTime: String(data.datetime ?? nagadDateTime()),
        issuerPaymentDateTime: null,
      };
      this.payments.set(p.paymentRefId, p);
      const answer = JSON.stringify({
        paymentReferenceId: p.paymentRefId,
        challenge: p.challenge,
        acceptDateTime: nagadDateTime(),
      });
      return Response.json({
        sensitiveData: rsaEncrypt(answer, this.keys.merchantPublicKey),
        signature: rsaSign(answer, this.keys.nagadPrivateKey),
      });
    }
    const complete = path.match(new RegExp(`^${base}/check-out/complete/([^/]+)$`));
    if (req.method === "POST" && complete) {
      const body = await readJson(req);
      this.calls.push({ path: "complete", body, at: Date.now() });
      const p = this.payments.get(decodeURIComponent(complete[1]));
      const data = this.#open(body);
      if (!p || !data || p.state !== "Initiated") {
        return Response.json({
          status: "Failed",
          message: "Invalid payment reference or signature",
        });
      }
      const amount = money(data.amount);
      if (
        data.challenge !== p.challenge || data.orderId !== p.orderId ||
        data.merchantId !== this.merchantId || data.currencyCode !== "050" || !amount ||
        typeof body.merchantCallbackURL !== "string"
      ) {
        return Response.json({ status: "Failed", message: "Challenge, order or amount invalid" });
      }
      p.amount = amount;
      p.callbackURL = body.merchantCallbackURL;
      p.additionalMerchantInfo = body.additionalMerchantInfo ?? null;
      p.state = "Ready";
      return Response.json({
        status: "Success",
        callBackUrl: `${this.server.url}/checkout/${encodeURIComponent(p.paymentRefId)}`,
      });
    }
    const verify = path.match(new RegExp(`^${base}/verify/payment/([^/]+)$`));
    if (req.method === "GET" && verify) {
      this.calls.push({ path: "verify", body: verify[1], at: Date.now() });
      if (this.faults.verify === "timeout") await this.hang();
      if (this.faults.verify === "error") return Response.json({}, { status: 500 });
      const p = this.payments.get(decodeURIComponent(verify[1]));
      if (!p) {
        return Response.json({ reason: "Not found", message: "Payment not found" }, {
          status: 404,
        });
      }
      return Response.json({
        merchantId: this.merchantId,
        orderId: p.orderId,
        paymentRefId: p.paymentRefId,
        amount: this.faults.amountOverride ?? p.amount,
        clientMobileNo: p.state === "Success" ? "017****5678" : null,
        merchantMobileNo: this.merchantNumber,
        orderDateTime: p.orderDateTime,
        issuerPaymentDateTime: p.issuerPaymentDateTime,
        issuerPaymentRefNo: p.issuerPaymentRefNo,
        additionalMerchantInfo: p.additionalMerchantInfo
          ? JSON.stringify(p.additionalMerchantInfo)
          : null,
        status: p.state === "Ready" ? "Initiated" : p.state,
        statusCode: p.state === "Success" ? "000" : "001",
      });
    }
    return Response.json({ message: "Not Found" }, { status: 404 });
  }

  #page(ref: string): Response {
    const p = this.payments.get(ref);
    if (!p) return new Response("Unknown payment", { status: 404 });
    return paymentPage({
      brand: "Nagad",
      color: "#ec1c24",
      title: "Nagad payment",
      ref: ["Order", p.orderId],
      amount: String(p.amount),
      state: p.state,
      open: p.state === "Ready",
      closed: "This payment can no longer be approved.",
      body: () =>
        `<form method="post" action="/checkout/act"><input type="hidden" name="ref" value="${p.paymentRefId}">
<label for="acc">Nagad account</label><input id="acc" name="acc" value="01711000000" inputmode="tel">
<label for="pin">PIN</label><input id="pin" name="pin" type="password" value="1234" inputmode="numeric">
<div class="row"><button class="ok" name="action" value="approve">Approve</button>
<button class="no" name="action" value="cancel">Cancel</button></div></form>`,
    });
  }
}
