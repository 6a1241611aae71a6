/**
 * A local SSLCommerz v4 sandbox: session (gwprocess/v4/api.php), the hosted gateway page (card,
 * internet banking, mobile wallets incl. Rocket; the "customer" pays, fails or cancels and is
 * posted back to success_url/fail_url/cancel_url like the real gateway, while an IPN goes to
 * ipn_url), the validation API (VALID, then VALIDATED), transaction query by tran_id, refund and
 * refund status (merchantTransIDvalidationAPI.php).
 */
import { md5 } from "hash-wasm";
import { DHAKA_OFFSET_MS } from "@/services/platform/dhaka.ts";
import { esc, FakeProvider, hostedPage, money, paymentPage, randomId, readForm } from "./common.ts";

type State = "PENDING" | "VALID" | "VALIDATED" | "FAILED" | "CANCELLED";

interface FakeSession {
  sessionkey: string;
  tranId: string;
  amount: string;
  currency: string;
  fields: Record<string, string>;
  state: State;
  valId: string | null;
  bankTranId: string | null;
  cardType: string | null;
  tranDate: string;
  refunds: { refundRefId: string; amount: string; status: "refunded" | "processing" }[];
}

export interface SslcommerzFaults {
  validation?: "timeout" | "error";
  query?: "timeout" | "error";
  refund?: "timeout" | "processing";
  /** risk_level 1 on the next payments. */
  risky?: boolean;
  amountOverride?: string;
  /** Do not send IPNs (the real gateway sometimes does not). */
  noIpn?: boolean;
}

const METHODS = [
  ["VISA-Dutch Bangla", "Visa card"],
  ["MASTER-City Bank", "Mastercard"],
  ["IBBL-Islami Bank", "Internet banking"],
  ["DBBLMOBILEB-Dbbl Mobile Banking", "Rocket (DBBL mobile banking)"],
] as const;

const stamp = () =>
  new Date(Date.now() + DHAKA_OFFSET_MS).toISOString().replace("T", " ").slice(0, 19);

export class FakeSslcommerz extends FakeProvider {
  readonly sessions = new Map<string, FakeSession>();
  faults: SslcommerzFaults = {};

  constructor(
    readonly storeId: string,
    readonly storePassword: string,
    opts: { hostname?: string } = {},
  ) {
    super("sslcommerz", opts);
  }

  get baseUrl(): string {
    return this.server.url;
  }

  byTranId(tranId: string): FakeSession | undefined {
    return [...this.sessions.values()].find((s) => s.tranId === tranId);
  }

  /**
   * The customer pays (or fails/cancels) on the gateway page. Returns what the browser posts back
   * to the merchant ({url, fields}); the IPN is sent at the same time.
   */
  async complete(
    sessionkey: string,
    action: "pay" | "fail" | "cancel",
    cardType = "VISA-Dutch Bangla",
  ): Promise<{ url: string; fields: Record<string, string> }> {
    const s = this.sessions.get(sessionkey);
    if (!s) throw new Error(`no session ${sessionkey}`);
    if (s.state === "PENDING") {
      if (action === "pay") {
        s.state = "VALID";
        s.valId = randomId("", 16);
        s.bankTranId = randomId("", 14);
        s.cardType = cardType;
        s.tranDate = stamp();
      } else s.state = action === "fail" ? "FAILED" : "CANCELLED";
    }
    const fields = await this.#resultFields(s);
    const url = s.state === "VALID" || s.state === "VALIDATED"
      ? s.fields.success_url
      : s.state === "FAILED"
      ? s.fields.fail_url
      : s.fields.cancel_url;
    if (!this.faults.noIpn && s.fields.ipn_url) {
      const p = fetch(s.fields.ipn_url, { method: "POST", body: new URLSearchParams(fields) })
        .then((r) => r.body?.cancel()).catch(() => {});
      this.deliveries.push(p);
    }
    return { url, fields };
  }

  async #resultFields(s: FakeSession): Promise<Record<string, string>> {
    const ok = s.state === "VALID" || s.state === "VALIDATED";
    const f: Record<string, string> = {
      tran_id: s.tranId,
      val_id: s.valId ?? "",
      amount: s.amount,
      card_type: s.cardType ?? "",
      store_amount: ok ? (Number(s.amount) * 0.975).toFixed(2) : "0.00",
      card_no: ok ? "432149XXXXXX0667" : "",
      bank_tran_id: s.bankTranId ?? "",
      status: ok ? "VALID" : s.state,
      tran_date: s.tranDate,
      error: ok ? "" : s.state === "FAILED" ? "Declined by issuer" : "Cancelled by customer",
      currency: s.currency,
      card_issuer: ok ? "Dutch Bangla Bank" : "",
      card_brand: ok ? "VISA" : "",
      card_issuer_country: "Bangladesh",
      card_issuer_country_code: "BD",
      store_id: this.storeId,
      currency_type: s.currency,
      currency_amount: s.amount,
      currency_rate: "1.0000",
      value_a: s.fields.value_a ?? "",
      risk_level: this.faults.risky ? "1" : "0",
      risk_title: this.faults.risky ? "Unsafe" : "Safe",
    };
    const keys = Object.keys(f);
    const data: Record<string, string> = { ...f, store_passwd: await md5(this.storePassword) };
    const text = [...keys, "store_passwd"].sort().map((k) => `${k}=${data[k]}`).join("&");
    f.verify_sign = await md5(text);
    f.verify_key = keys.join(",");
    return f;
  }

  #authOk(q: URLSearchParams): boolean {
    return q.get("store_id") === this.storeId && q.get("store_passwd") === this.storePassword;
  }

  protected async handle(req: Request, url: URL): Promise<Response> {
    const path = url.pathname;
    if (req.method === "POST" && path === "/gwprocess/v4/api.php") return await this.#session(req);
    if (req.method === "GET" && path === "/gwprocess/v4/gw.php") {
      return this.#page(url.searchParams.get("SESSIONKEY") ?? "");
    }
    if (req.method === "POST" && path === "/gwprocess/v4/act") {
      const f = await readForm(req);
      if (!this.sessions.has(f.sessionkey ?? "")) {
        return new Response("Unknown session", { status: 404 });
      }
      const r = await this.complete(
        f.sessionkey,
        f.action === "pay" ? "pay" : f.action === "fail" ? "fail" : "cancel",
        f.card_type,
      );
      return this.#returnPage(r.url, r.fields);
    }
    if (req.method === "GET" && path === "/validator/api/validationserverAPI.php") {
      this.calls.push({
        path: "validation",
        body: Object.fromEntries(url.searchParams),
        at: Date.now(),
      });
      if (this.faults.validation === "timeout") await this.hang();
      if (this.faults.validation === "error") return Response.json({}, { status: 500 });
      if (!this.#authOk(url.searchParams)) return Response.json({ APIConnect: "INVALID_REQUEST" });
      const s = [...this.sessions.values()].find((x) =>
        x.valId && x.valId === url.searchParams.get("val_id")
      );
      if (!s) return Response.json({ status: "INVALID_TRANSACTION", APIConnect: "DONE" });
      const status = s.state;
      if (s.state === "VALID") s.state = "VALIDATED";
      return Response.json({ ...this.#element(s), status, APIConnect: "DONE" });
    }
    if (req.method === "GET" && path === "/validator/api/merchantTransIDvalidationAPI.php") {
      const q = url.searchParams;
      this.calls.push({ path: "merchantTransID", body: Object.fromEntries(q), at: Date.now() });
      if (!this.#authOk(q)) return Response.json({ APIConnect: "INVALID_REQUEST" });
      if (q.has("refund_amount")) return await this.#refund(q);
      if (q.has("refund_ref_id")) {
        const s = [...this.sessions.values()].find((x) =>
          x.refunds.some((r) => r.refundRefId === q.get("refund_ref_id"))
        );
        const r = s?.refunds.find((x) => x.refundRefId === q.get("refund_ref_id"));
        if (!s || !r) {
          return Response.json({ APIConnect: "DONE", status: "failed", errorReason: "Not found" });
        }
        return Response.json({
          APIConnect: "DONE",
          bank_tran_id: s.bankTranId,
          tran_id: s.tranId,
          refund_ref_id: r.refundRefId,
          initiated_on: stamp(),
          refunded_on: r.status === "refunded" ? stamp() : "",
          status: r.status,
          errorReason: "",
        });
      }
      if (this.faults.query === "timeout") await this.hang();
      if (this.faults.query === "error") return Response.json({}, { status: 500 });
      const s = this.byTranId(q.get("tran_id") ?? "");
      if (!s || s.state === "PENDING") {
        return Response.json({ APIConnect: "DONE", no_of_trans_found: 0, element: [] });
      }
      return Response.json({
        APIConnect: "DONE",
        no_of_trans_found: 1,
        element: [this.#element(s)],
      });
    }
    return Response.json({ message: "Not Found" }, { status: 404 });
  }

  #element(s: FakeSession) {
    return {
      val_id: s.valId,
      status: s.state,
      tran_date: s.tranDate,
      tran_id: s.tranId,
      amount: this.faults.amountOverride ?? s.amount,
      store_amount: (Number(s.amount) * 0.975).toFixed(2),
      currency: s.currency,
      bank_tran_id: s.bankTranId,
      card_type: s.cardType,
      card_no: "432149XXXXXX0667",
      card_issuer: "Dutch Bangla Bank",
      card_brand: "VISA",
      currency_type: s.currency,
      currency_amount: s.amount,
      value_a: s.fields.value_a ?? "",
      risk_level: this.faults.risky ? "1" : "0",
      risk_title: this.faults.risky ? "Unsafe" : "Safe",
      error: s.state === "FAILED" ? "Declined by issuer" : "",
    };
  }

  async #session(req: Request): Promise<Response> {
    const f = await readForm(req);
    this.calls.push({ path: "session", body: { ...f, store_passwd: "***" }, at: Date.now() });
    if (f.store_id !== this.storeId || f.store_passwd !== this.storePassword) {
      return Response.json({
        status: "FAILED",
        failedreason: "Store Credential Error Or Store is De-active",
      });
    }
    const required = [
      "total_amount",
      "currency",
      "tran_id",
      "success_url",
      "fail_url",
      "cancel_url",
      "cus_name",
      "cus_email",
      "cus_phone",
      "cus_add1",
      "cus_city",
      "cus_country",
      "shipping_method",
      "product_name",
      "product_category",
      "product_profile",
    ];
    const missing = required.filter((k) => !f[k]);
    const amount = money(f.total_amount);
    if (missing.length || !amount || Number(amount) < 10) {
      return Response.json({
        status: "FAILED",
        failedreason: missing.length
          ? `Missing: ${missing.join(", ")}`
          : "Invalid amount (minimum 10.00)",
      });
    }
    if (this.byTranId(f.tran_id)) {
      return Response.json({ status: "FAILED", failedreason: "Duplicate tran_id" });
    }
    const s: FakeSession = {
      sessionkey: randomId("", 32),
      tranId: f.tran_id,
      amount,
      currency: f.currency,
      fields: f,
      state: "PENDING",
      valId: null,
      bankTranId: null,
      cardType: null,
      tranDate: stamp(),
      refunds: [],
    };
    this.sessions.set(s.sessionkey, s);
    return Response.json({
      status: "SUCCESS",
      failedreason: "",
      sessionkey: s.sessionkey,
      gw: {
        visa: "city_visa,ebl_visa,dbbl_visa",
        master: "city_master",
        mobilebanking: "dbblmobilebanking,bkash",
      },
      redirectGatewayURL:
        `${this.baseUrl}/gwprocess/v4/bankgw/indexhtml.php?mamount=${amount}&ssl_id=`,
      GatewayPageURL: `${this.baseUrl}/gwprocess/v4/gw.php?Q=pay&SESSIONKEY=${s.sessionkey}`,
      storeBanner: "",
      storeLogo: "",
    });
  }

  async #refund(q: URLSearchParams): Promise<Response> {
    if (this.faults.refund === "timeout") await this.hang();
    const s = [...this.sessions.values()].find((x) =>
      x.bankTranId && x.bankTranId === q.get("bank_tran_id")
    );
    if (!s || (s.state !== "VALID" && s.state !== "VALIDATED")) {
      return Response.json({
        APIConnect: "DONE",
        status: "failed",
        errorReason: "Invalid bank_tran_id",
      });
    }
    const amount = money(q.get("refund_amount"));
    const done = s.refunds.reduce((a, r) => a + Math.round(Number(r.amount) * 100), 0);
    if (!amount || Math.round(Number(amount) * 100) + done > Math.round(Number(s.amount) * 100)) {
      return Response.json({
        APIConnect: "DONE",
        status: "failed",
        errorReason: "Refund amount exceeds",
      });
    }
    const r = {
      refundRefId: randomId("", 18),
      amount,
      status: this.faults.refund === "processing" ? "processing" as const : "refunded" as const,
    };
    s.refunds.push(r);
    return Response.json({
      APIConnect: "DONE",
      bank_tran_id: s.bankTranId,
      trans_id: s.tranId,
      refund_ref_id: r.refundRefId,
      status: r.status === "refunded" ? "success" : "processing",
      errorReason: "",
    });
  }

  #page(sessionkey: string): Response {
    const s = this.sessions.get(sessionkey);
    if (!s) return new Response("Session expired", { status: 404 });
    return paymentPage({
      brand: "SSLCOMMERZ",
      color: "#0b5ea8",
      title: s.state === "PENDING" ? "SSLCommerz payment" : "SSLCommerz",
      ref: ["Transaction", s.tranId],
      amount: s.amount,
      state: s.state,
      open: s.state === "PENDING",
      closed: "This session is finished.",
      body: () =>
        `<form method="post" action="/gwprocess/v4/act">
<input type="hidden" name="sessionkey" value="${esc(s.sessionkey)}">
<label for="card_type">Pay with</label><select id="card_type" name="card_type">
${METHODS.map(([v, l]) => `<option value="${esc(v)}">${esc(l)}</option>`).join("")}</select>
<label for="card">Card or account number</label><input id="card" name="card" value="4321 4900 0000 0667">
<div class="row"><button class="ok" name="action" value="pay">Pay ৳${esc(s.amount)}</button>
<button class="no" name="action" value="cancel">Cancel</button></div>
<div class="row"><button class="bad" name="action" value="fail">Simulate a declined card</button></div></form>`,
    });
  }

  /** The page that posts the result back to the merchant (auto-submits when scripts run). */
  #returnPage(url: string, fields: Record<string, string>): Response {
    const inputs = Object.entries(fields).map(([k, v]) =>
      `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`
    ).join("");
    return hostedPage({
      brand: "SSLCOMMERZ",
      color: "#0b5ea8",
      title: "Returning to the merchant",
      lines: [["Transaction", fields.tran_id], ["Result", fields.status]],
      body: `<form id="back" method="post" action="${esc(url)}">${inputs}
<div class="row"><button class="ok" type="submit">Return to Smart Dairy</button></div></form>
<script>document.getElementById("back").submit()</script>`,
    });
  }
}
