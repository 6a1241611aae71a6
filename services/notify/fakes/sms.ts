/**
 * Local fakes of the SMS gateways, each speaking its provider's HTTP API:
 * - SSL Wireless ISMS v3: POST /api/v3/send-sms (JSON, api_token + sid); delivery reports POSTed
 *   to our webhook with its token.
 * - Alpha SMS (sms.net.bd): POST /sendsms (form, api_key); GET /report/request/{id}/ to poll.
 * - Twilio: POST /2010-04-01/Accounts/{sid}/Messages.json (Basic auth); status callbacks signed
 *   with X-Twilio-Signature.
 */
import { twilioSignature } from "../transports/sms.ts";
import { FakeMessageProvider } from "./common.ts";

async function readForm(req: Request): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  try {
    (await req.formData()).forEach((v, k) => (out[k] = String(v)));
  } catch { /* empty */ }
  return out;
}

export class FakeSslWireless extends FakeMessageProvider {
  /** Where delivery reports go (our /webhooks/sms/sslwireless?token=…). */
  dlrUrl: string | null = null;
  constructor(readonly apiToken: string, readonly sid: string, opts: { hostname?: string } = {}) {
    super("SSL Wireless", opts);
  }

  protected async handle(req: Request, url: URL): Promise<Response> {
    if (req.method !== "POST" || url.pathname !== "/api/v3/send-sms") {
      return Response.json({ status: "FAILED", status_code: 404, error_message: "Not found" }, {
        status: 404,
      });
    }
    const b = await req.json().catch(() => ({}));
    const hung = await this.faulted();
    if (hung) return hung;
    if (b.api_token !== this.apiToken || b.sid !== this.sid) {
      return Response.json({ status: "FAILED", status_code: 4001, error_message: "Unauthorized" });
    }
    if (this.fault === "error") {
      return Response.json({
        status: "FAILED",
        status_code: 4025,
        error_message: "Insufficient balance",
      });
    }
    if (!/^8801[3-9]\d{8}$/.test(String(b.msisdn)) || !b.sms || !b.csms_id) {
      return Response.json({
        status: "FAILED",
        status_code: 4022,
        error_message: "Invalid MSISDN",
      });
    }
    const ref = this.nextId("SSL");
    this.accepted.push({
      id: ref,
      to: String(b.msisdn),
      text: String(b.sms),
      raw: b,
      at: Date.now(),
    });
    if (this.autoReceipt) this.background(this.receipt(ref, "DELIVRD"));
    return Response.json({
      status: "SUCCESS",
      status_code: 200,
      error_message: "",
      smsinfo: [{
        sms_status: "SUCCESS",
        status_message: "Success",
        msisdn: b.msisdn,
        sms_type: [...b.sms].every((ch) => ch.charCodeAt(0) < 0x80) ? "EN" : "BN",
        sms_body: b.sms,
        csms_id: b.csms_id,
        reference_id: ref,
      }],
    });
  }

  /** POSTs a delivery report for `ref` to dlrUrl (DELIVRD, UNDELIV, EXPIRED…). */
  async receipt(ref: string, status: string): Promise<number> {
    if (!this.dlrUrl) throw new Error("FakeSslWireless: no dlrUrl");
    const m = this.accepted.find((a) => a.id === ref);
    const res = await fetch(this.dlrUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ reference_id: ref, msisdn: m?.to, status, csms_id: m?.raw.csms_id }),
    });
    await res.body?.cancel();
    return res.status;
  }

  /** An SMS from a customer to our short code, POSTed to dlrUrl (STOP…). */
  async inbound(from: string, text: string): Promise<number> {
    const res = await fetch(this.dlrUrl!, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ msisdn: from, sms: text, type: "MO" }),
    });
    await res.body?.cancel();
    return res.status;
  }
}

export class FakeAlphaSms extends FakeMessageProvider {
  /** Delivery states the report API answers with, by request id. */
  readonly states = new Map<string, string>();
  constructor(readonly apiKey: string, opts: { hostname?: string } = {}) {
    super("Alpha SMS", opts);
  }

  protected async handle(req: Request, url: URL): Promise<Response> {
    const report = url.pathname.match(/^\/report\/request\/([^/]+)\/?$/);
    if (req.method === "GET" && report) {
      if (url.searchParams.get("api_key") !== this.apiKey) {
        return Response.json({ error: 403, msg: "Invalid API key" });
      }
      const id = decodeURIComponent(report[1]);
      const m = this.accepted.find((a) => a.id === id);
      if (!m) return Response.json({ error: 404, msg: "Request not found" });
      return Response.json({
        error: 0,
        msg: "Success",
        data: {
          request_id: Number(id),
          request_status: "Complete",
          recipients: [{
            number: m.to,
            charge: 0.25,
            status: this.states.get(id) ?? (this.autoReceipt ? "Delivered" : "Sent"),
          }],
        },
      });
    }
    if (req.method !== "POST" || url.pathname !== "/sendsms") {
      return Response.json({ error: 404, msg: "Not found" }, { status: 404 });
    }
    const f = await readForm(req);
    const hung = await this.faulted();
    if (hung) return hung;
    if (f.api_key !== this.apiKey) return Response.json({ error: 403, msg: "Invalid API key" });
    if (this.fault === "error") return Response.json({ error: 416, msg: "Insufficient balance" });
    if (!/^8801[3-9]\d{8}$/.test(f.to ?? "") || !f.msg) {
      return Response.json({ error: 400, msg: "Invalid recipient or message" });
    }
    const id = String(100000 + this.accepted.length + 1);
    this.accepted.push({ id, to: f.to, text: f.msg, raw: f, at: Date.now() });
    return Response.json({
      error: 0,
      msg: "Request successfully submitted",
      data: { request_id: Number(id) },
    });
  }
}

export class FakeTwilio extends FakeMessageProvider {
  /** Numbers Twilio calls invalid (21211), e.g. a disconnected range. */
  readonly invalid = new Set<string>();
  constructor(
    readonly accountSid: string,
    readonly authToken: string,
    opts: { hostname?: string } = {},
  ) {
    super("Twilio", opts);
  }

  protected async handle(req: Request, url: URL): Promise<Response> {
    const m = url.pathname.match(/^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/);
    if (req.method !== "POST" || !m) {
      return Response.json({
        code: 20404,
        message: "The requested resource was not found",
        status: 404,
      }, {
        status: 404,
      });
    }
    const f = await readForm(req);
    const hung = await this.faulted();
    if (hung) return hung;
    if (
      m[1] !== this.accountSid ||
      req.headers.get("authorization") !== `Basic ${btoa(`${this.accountSid}:${this.authToken}`)}`
    ) {
      return Response.json({ code: 20003, message: "Authenticate", status: 401 }, { status: 401 });
    }
    if (this.fault === "error") {
      return Response.json({ code: 30001, message: "Queue overflow", status: 429 }, {
        status: 429,
      });
    }
    if (!/^\+[1-9]\d{7,14}$/.test(f.To ?? "") || this.invalid.has(f.To)) {
      return Response.json({
        code: 21211,
        message: `The 'To' number ${f.To} is not a valid phone number.`,
        status: 400,
      }, { status: 400 });
    }
    const sid = "SM" + crypto.randomUUID().replaceAll("-", "");
    this.accepted.push({ id: sid, to: f.To, text: f.Body ?? "", raw: f, at: Date.now() });
    if (this.autoReceipt && f.StatusCallback) this.background(this.receipt(sid, "delivered"));
    return Response.json({
      sid,
      account_sid: this.accountSid,
      to: f.To,
      from: f.From,
      body: f.Body,
      status: "queued",
      num_segments: "1",
      date_created: new Date().toUTCString(),
    }, { status: 201 });
  }

  /** A status callback for `sid`, signed as Twilio signs it (or with `forge`, wrongly). */
  async receipt(sid: string, status: string, forge = false): Promise<number> {
    const m = this.accepted.find((a) => a.id === sid);
    const url = String(m?.raw.StatusCallback ?? "");
    const params: Record<string, string> = {
      MessageSid: sid,
      SmsSid: sid,
      AccountSid: this.accountSid,
      MessageStatus: status,
      To: m?.to ?? "",
    };
    if (status === "undelivered" || status === "failed") params.ErrorCode = "30003";
    return await this.post(url, params, forge);
  }

  /** An inbound SMS from `from` to our number, sent to `url` (STOP…). */
  inbound(url: string, from: string, text: string, forge = false): Promise<number> {
    return this.post(url, {
      MessageSid: "SM" + crypto.randomUUID().replaceAll("-", ""),
      AccountSid: this.accountSid,
      From: from,
      To: "+15005550006",
      Body: text,
    }, forge);
  }

  private async post(url: string, params: Record<string, string>, forge: boolean) {
    const sig = await twilioSignature(forge ? "not-the-token" : this.authToken, url, params);
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": sig },
      body: new URLSearchParams(params),
    });
    await res.body?.cancel();
    return res.status;
  }
}
