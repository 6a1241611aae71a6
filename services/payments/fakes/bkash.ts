/**
 * A local bKash Tokenized Checkout (v1.2.0-beta) sandbox: token grant/refresh, create, the hosted
 * wallet page (the "customer" confirms or cancels and is sent back to callbackURL with
 * ?paymentID=…&status=success|failure|cancel&signature=…), execute (once per paymentID; 2062 after),
 * payment/status, general/searchTransaction and payment/refund.
 */
import {
  esc,
  FakeProvider,
  money,
  paymentPage,
  randomId,
  readForm,
  readJson,
  redirectTo,
} from "./common.ts";
import { FAKE_SNS_CERT, signSns } from "./sns_signer.ts";

export interface FakeBkashCredentials {
  username: string;
  password: string;
  appKey: string;
  appSecret: string;
}

type State = "Initiated" | "Authorized" | "Completed" | "Cancelled" | "Failed" | "Expired";

interface FakePayment {
  paymentID: string;
  amount: string;
  currency: string;
  merchantInvoiceNumber: string;
  payerReference: string;
  callbackURL: string;
  state: State;
  trxID: string | null;
  createTime: string;
  executeTime: string | null;
  executions: number;
  refunds: { refundTrxID: string; amount: string; at: string }[];
}

export interface BkashFaults {
  /** "timeout": no answer until hangMs; "complete_then_timeout": completes, then hangs;
   *  "error": HTTP 500 without doing anything. */
  execute?: "timeout" | "complete_then_timeout" | "error";
  query?: "timeout" | "error";
  create?: "timeout" | "error";
  refund?: "timeout" | "error";
  /** Report this amount in execute/query answers (a tampered or misconfigured amount). */
  amountOverride?: string;
}

const now = () => new Date().toISOString().replace("T", " ").slice(0, 19) + " GMT+0000";

export class FakeBkash extends FakeProvider {
  readonly payments = new Map<string, FakePayment>();
  faults: BkashFaults = {};
  /** Where completed payments are announced (AWS SNS style); default: the callback's origin. */
  webhookUrl: string | null = null;
  sendWebhooks = true;
  #tokens = new Map<string, number>();
  #refresh = new Set<string>();

  constructor(readonly creds: FakeBkashCredentials, opts: { hostname?: string } = {}) {
    super("bkash", opts);
  }

  /** The base URL the adapter is configured with (…/v1.2.0-beta). */
  get baseUrl(): string {
    return `${this.server.url}/v1.2.0-beta`;
  }
  get origin(): string {
    return this.server.url;
  }

  /** Announces a completed payment through an SNS-signed webhook, as bKash does. */
  #announce(p: FakePayment) {
    if (!this.sendWebhooks) return;
    const url = this.webhookUrl ?? new URL("/webhooks/bkash/ipn", p.callbackURL).href;
    const msg: Record<string, string> = {
      Type: "Notification",
      MessageId: crypto.randomUUID(),
      TopicArn: "arn:aws:sns:ap-southeast-1:000000000000:bkash-fake",
      Message: JSON.stringify({
        dateTime: p.executeTime,
        debitMSISDN: "01770618575",
        trxID: p.trxID,
        paymentID: p.paymentID,
        transactionStatus: "Completed",
        amount: p.amount,
        currency: p.currency,
        merchantInvoiceNumber: p.merchantInvoiceNumber,
      }),
      Timestamp: new Date().toISOString(),
      SignatureVersion: "2",
      SigningCertURL: `${this.origin}/sns/cert.pem`,
    };
    msg.Signature = signSns(msg);
    this.deliveries.push(
      fetch(url, {
        method: "POST",
        body: JSON.stringify(msg),
        headers: {
          "content-type": "text/plain; charset=UTF-8",
          "x-amz-sns-message-type": "Notification",
        },
        signal: AbortSignal.timeout(5000),
      }).then((r) => r.body?.cancel()).catch(() => {}),
    );
  }

  /** What the customer's confirm button does; returns the callback URL bKash redirects to. */
  approve(paymentID: string): string {
    const p = this.payments.get(paymentID);
    if (!p) throw new Error(`no payment ${paymentID}`);
    if (p.state === "Initiated") p.state = "Authorized";
    return this.#callback(p, "success");
  }
  cancel(paymentID: string): string {
    const p = this.payments.get(paymentID)!;
    if (p.state === "Initiated" || p.state === "Authorized") p.state = "Cancelled";
    return this.#callback(p, "cancel");
  }
  fail(paymentID: string): string {
    const p = this.payments.get(paymentID)!;
    if (p.state === "Initiated") p.state = "Failed";
    return this.#callback(p, "failure");
  }

  #callback(p: FakePayment, status: string): string {
    const u = new URL(p.callbackURL);
    u.searchParams.set("paymentID", p.paymentID);
    u.searchParams.set("status", status);
    u.searchParams.set("signature", randomId("", 16));
    u.searchParams.set("apiVersion", "1.2.0-beta");
    return u.toString();
  }

  #authorized(req: Request): boolean {
    const token = req.headers.get("authorization") ?? "";
    const exp = this.#tokens.get(token);
    return !!exp && exp > Date.now() && req.headers.get("x-app-key") === this.creds.appKey;
  }

  #issueToken() {
    const id = randomId("eyJ", 40);
    const refresh = randomId("rf", 24);
    this.#tokens.set(id, Date.now() + 3600_000);
    this.#refresh.add(refresh);
    return {
      statusCode: "0000",
      statusMessage: "Successful",
      id_token: id,
      token_type: "Bearer",
      expires_in: 3600,
      refresh_token: refresh,
    };
  }

  #view(p: FakePayment) {
    return {
      paymentID: p.paymentID,
      mode: "0011",
      paymentCreateTime: p.createTime,
      paymentExecuteTime: p.executeTime ?? undefined,
      trxID: p.trxID ?? undefined,
      transactionStatus: p.state === "Authorized" ? "Initiated" : p.state,
      amount: this.faults.amountOverride ?? p.amount,
      currency: p.currency,
      intent: "sale",
      merchantInvoiceNumber: p.merchantInvoiceNumber,
      payerReference: p.payerReference,
      customerMsisdn: p.state === "Completed" ? "01770618575" : undefined,
      statusCode: "0000",
      statusMessage: "Successful",
    };
  }

  protected async handle(req: Request, url: URL): Promise<Response> {
    const path = url.pathname;
    if (req.method === "GET" && path === "/redirect/tokenized/") return this.#page(url);
    if (req.method === "GET" && path === "/sns/cert.pem") {
      return new Response(FAKE_SNS_CERT, { headers: { "content-type": "application/x-pem-file" } });
    }
    if (req.method === "POST" && path === "/redirect/tokenized/act") {
      const f = await readForm(req);
      const p = this.payments.get(f.paymentID ?? "");
      if (!p) return new Response("Unknown payment", { status: 404 });
      if (f.action === "confirm") {
        if (f.pin !== "12121" || f.otp !== "123456") {
          return this.#page(url, p.paymentID, "Wrong OTP or PIN (sandbox: OTP 123456, PIN 12121)");
        }
        return redirectTo(this.approve(p.paymentID));
      }
      if (f.action === "fail") return redirectTo(this.fail(p.paymentID));
      return redirectTo(this.cancel(p.paymentID));
    }
    if (req.method !== "POST" || !path.startsWith("/v1.2.0-beta/tokenized/checkout/")) {
      return Response.json({ message: "Not Found" }, { status: 404 });
    }
    const op = path.slice("/v1.2.0-beta/tokenized/checkout/".length);
    const body = await readJson(req);
    this.calls.push({ path: op, body, at: Date.now() });

    if (op === "token/grant" || op === "token/refresh") {
      const okCreds = req.headers.get("username") === this.creds.username &&
        req.headers.get("password") === this.creds.password &&
        body.app_key === this.creds.appKey && body.app_secret === this.creds.appSecret;
      if (!okCreds) {
        return Response.json({ statusCode: "2079", statusMessage: "Invalid App Key or Secret" });
      }
      if (op === "token/refresh" && !this.#refresh.has(body.refresh_token)) {
        return Response.json({ statusCode: "2079", statusMessage: "Invalid refresh token" });
      }
      return Response.json(this.#issueToken());
    }
    if (!this.#authorized(req)) {
      return Response.json({ message: "The incoming token has expired" }, { status: 401 });
    }

    switch (op) {
      case "create": {
        if (this.faults.create === "timeout") await this.hang();
        if (this.faults.create === "error") return Response.json({}, { status: 503 });
        const amount = money(body.amount);
        if (
          body.mode !== "0011" || !amount || Number(amount) <= 0 || body.currency !== "BDT" ||
          body.intent !== "sale" || typeof body.callbackURL !== "string" ||
          !/^https?:\/\//.test(body.callbackURL) || !body.merchantInvoiceNumber
        ) {
          return Response.json({ statusCode: "2065", statusMessage: "Invalid request body" });
        }
        const p: FakePayment = {
          paymentID: randomId("TR0011", 14),
          amount,
          currency: "BDT",
          merchantInvoiceNumber: String(body.merchantInvoiceNumber),
          payerReference: String(body.payerReference ?? ""),
          callbackURL: body.callbackURL,
          state: "Initiated",
          trxID: null,
          createTime: now(),
          executeTime: null,
          executions: 0,
          refunds: [],
        };
        this.payments.set(p.paymentID, p);
        return Response.json({
          ...this.#view(p),
          amount: p.amount,
          bkashURL: `${this.origin}/redirect/tokenized/?paymentID=${p.paymentID}&mode=0011`,
          callbackURL: p.callbackURL,
          successCallbackURL: `${p.callbackURL}?status=success`,
          failureCallbackURL: `${p.callbackURL}?status=failure`,
          cancelledCallbackURL: `${p.callbackURL}?status=cancel`,
        });
      }
      case "execute": {
        const p = this.payments.get(String(body.paymentID));
        if (!p) return Response.json({ statusCode: "2023", statusMessage: "Invalid Payment ID" });
        if (this.faults.execute === "error") return Response.json({}, { status: 500 });
        if (this.faults.execute === "timeout") {
          await this.hang();
          return Response.json({ statusCode: "9999", statusMessage: "System error" });
        }
        p.executions++;
        if (p.state === "Completed") {
          return Response.json({
            statusCode: "2062",
            statusMessage: "The payment has already been completed",
          });
        }
        if (p.state !== "Authorized") {
          return Response.json({ statusCode: "2056", statusMessage: "Invalid Payment State" });
        }
        p.state = "Completed";
        p.trxID = randomId("", 10);
        p.executeTime = now();
        this.#announce(p);
        if (this.faults.execute === "complete_then_timeout") {
          await this.hang();
        }
        return Response.json(this.#view(p));
      }
      case "payment/status": {
        if (this.faults.query === "timeout") await this.hang();
        if (this.faults.query === "error") return Response.json({}, { status: 500 });
        const p = this.payments.get(String(body.paymentID));
        if (!p) return Response.json({ statusCode: "2023", statusMessage: "Invalid Payment ID" });
        return Response.json(this.#view(p));
      }
      case "general/searchTransaction": {
        const p = [...this.payments.values()].find((x) => x.trxID && x.trxID === body.trxID);
        if (!p) {
          return Response.json({ statusCode: "2069", statusMessage: "Transaction not found" });
        }
        return Response.json({
          trxID: p.trxID,
          transactionStatus: p.state,
          amount: p.amount,
          currency: p.currency,
          customerMsisdn: "01770618575",
          completedTime: p.executeTime,
          transactionType: "bKash Tokenized Checkout via API",
          statusCode: "0000",
          statusMessage: "Successful",
        });
      }
      case "payment/refund": {
        if (this.faults.refund === "timeout") await this.hang();
        if (this.faults.refund === "error") return Response.json({}, { status: 500 });
        const p = this.payments.get(String(body.paymentID));
        if (!p || p.trxID !== body.trxID || p.state !== "Completed") {
          return Response.json({ statusCode: "2071", statusMessage: "Invalid transaction" });
        }
        if (body.amount === undefined) {
          const last = p.refunds.at(-1);
          if (!last) return Response.json({ statusCode: "2072", statusMessage: "No refund found" });
          return Response.json({
            originalTrxID: p.trxID,
            refundTrxID: last.refundTrxID,
            transactionStatus: "Completed",
            amount: last.amount,
            currency: "BDT",
            charge: "0.00",
            completedTime: last.at,
          });
        }
        const amount = money(body.amount);
        const refunded = p.refunds.reduce((a, r) => a + Math.round(Number(r.amount) * 100), 0);
        if (
          !amount ||
          Math.round(Number(amount) * 100) + refunded > Math.round(Number(p.amount) * 100)
        ) {
          return Response.json({ statusCode: "2074", statusMessage: "Invalid refund amount" });
        }
        const r = { refundTrxID: randomId("", 10), amount, at: now() };
        p.refunds.push(r);
        return Response.json({
          completedTime: r.at,
          transactionStatus: "Completed",
          originalTrxID: p.trxID,
          refundTrxID: r.refundTrxID,
          amount,
          currency: "BDT",
          charge: "0.00",
        });
      }
    }
    return Response.json({ message: "Not Found" }, { status: 404 });
  }

  #page(url: URL, id?: string, error?: string): Response {
    const p = this.payments.get(id ?? url.searchParams.get("paymentID") ?? "");
    if (!p) return new Response("Unknown or expired payment", { status: 404 });
    return paymentPage({
      brand: "bKash",
      color: "#e2136e",
      title: "bKash payment",
      ref: ["Invoice", p.merchantInvoiceNumber],
      amount: p.amount,
      state: p.state,
      open: p.state === "Initiated",
      closed: "This payment can no longer be confirmed.",
      body: () =>
        `${error ? `<p role="alert" style="color:#b91c1c">${esc(error)}</p>` : ""}
<form method="post" action="/redirect/tokenized/act">
<input type="hidden" name="paymentID" value="${esc(p.paymentID)}">
<label for="wallet">Your bKash account number</label>
<input id="wallet" name="wallet" value="01770618575" inputmode="tel">
<label for="otp">Verification code</label><input id="otp" name="otp" value="123456" inputmode="numeric">
<label for="pin">PIN</label><input id="pin" name="pin" type="password" value="12121" inputmode="numeric">
<div class="row"><button class="ok" name="action" value="confirm">Confirm</button>
<button class="no" name="action" value="cancel">Cancel</button></div>
<div class="row"><button class="bad" name="action" value="fail">Simulate insufficient balance</button></div>
</form><p class="note">Sandbox wallet 01770618575, OTP 123456, PIN 12121.</p>`,
    });
  }
}
