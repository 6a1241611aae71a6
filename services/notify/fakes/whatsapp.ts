/**
 * Local fake of the WhatsApp Cloud API: POST /{phone-number-id}/messages with a Bearer token takes
 * template messages only (as outside the 24-hour window); statuses go to our webhook signed with
 * X-Hub-Signature-256 = sha256=HMAC-SHA256(app secret, raw body), as Meta signs them.
 */
import { whatsappSignature } from "../transports/whatsapp.ts";
import { FakeMessageProvider } from "./common.ts";

export class FakeWhatsApp extends FakeMessageProvider {
  /** Our webhook (/webhooks/whatsapp). */
  webhookUrl: string | null = null;
  /** Approved templates: a message naming another is refused (132001). */
  readonly templates = new Set(["smartdairy_notice"]);
  constructor(
    readonly token: string,
    readonly phoneNumberId: string,
    readonly appSecret: string,
    opts: { hostname?: string } = {},
  ) {
    super("WhatsApp Cloud API", opts);
  }

  protected async handle(req: Request, url: URL): Promise<Response> {
    if (req.method !== "POST" || url.pathname !== `/${this.phoneNumberId}/messages`) {
      return this.error(404, 100, "Unsupported post request");
    }
    const b = await req.json().catch(() => ({}));
    const hung = await this.faulted();
    if (hung) return hung;
    if (req.headers.get("authorization") !== `Bearer ${this.token}`) {
      return this.error(401, 190, "Invalid OAuth access token");
    }
    if (this.fault === "error") return this.error(429, 130429, "Rate limit hit");
    if (b.messaging_product !== "whatsapp" || b.type !== "template" || !b.template?.name) {
      return this.error(400, 131047, "Re-engagement message: only template messages may be sent");
    }
    if (!this.templates.has(b.template.name)) {
      return this.error(404, 132001, `Template name does not exist in the translation`);
    }
    if (!/^\d{8,15}$/.test(String(b.to))) return this.error(400, 131026, "Message undeliverable");
    const params = (b.template.components ?? []).flatMap((c: any) =>
      (c.parameters ?? []).map((p: any) => String(p.text))
    );
    const id = `wamid.${btoa(crypto.randomUUID()).replace(/=+$/, "")}`;
    this.accepted.push({ id, to: String(b.to), text: params.join(" | "), raw: b, at: Date.now() });
    if (this.autoReceipt) {
      this.background(this.status(id, "sent").then(() => this.status(id, "delivered")));
    }
    return Response.json({
      messaging_product: "whatsapp",
      contacts: [{ input: b.to, wa_id: b.to }],
      messages: [{ id }],
    });
  }

  private error(status: number, code: number, message: string) {
    return Response.json({
      error: { message, type: "OAuthException", code, fbtrace_id: crypto.randomUUID() },
    }, { status });
  }

  /** Posts a status (sent, delivered, read, failed) for `id`; `forge` signs with a wrong secret. */
  async status(id: string, status: string, forge = false): Promise<number> {
    if (!this.webhookUrl) throw new Error("FakeWhatsApp: no webhookUrl");
    const m = this.accepted.find((a) => a.id === id);
    const body = JSON.stringify({
      object: "whatsapp_business_account",
      entry: [{
        id: "102290129340398",
        changes: [{
          field: "messages",
          value: {
            messaging_product: "whatsapp",
            metadata: { display_phone_number: "15550783881", phone_number_id: this.phoneNumberId },
            statuses: [{
              id,
              status,
              timestamp: String(Math.floor(Date.now() / 1000)),
              recipient_id: m?.to ?? "",
              ...(status === "failed"
                ? { errors: [{ code: 131026, title: "Message undeliverable" }] }
                : {}),
            }],
          },
        }],
      }],
    });
    const res = await fetch(this.webhookUrl, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-hub-signature-256": await whatsappSignature(forge ? "wrong" : this.appSecret, body),
      },
      body,
    });
    await res.body?.cancel();
    return res.status;
  }
}
