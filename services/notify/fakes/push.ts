/**
 * A local fake push service (what FCM or Mozilla's autopush are to a browser): it takes RFC 8030
 * pushes at /push/{id} when they carry a VAPID Authorization (RFC 8292: "vapid t=<JWT>, k=<key>",
 * the JWT's aud our origin) and an aes128gcm body (RFC 8291), and answers 201; a subscription
 * marked gone answers 410, as a real service does after the user unsubscribed.
 */
import { FakeMessageProvider } from "./common.ts";

export class FakePushService extends FakeMessageProvider {
  /** Subscriptions the browser dropped: pushes to them get 410 Gone. */
  readonly gone = new Set<string>();
  constructor(opts: { hostname?: string } = {}) {
    super("push service", opts);
  }

  /** A new endpoint on this service (what PushManager.subscribe() gives a browser). */
  endpoint(): string {
    return `${this.baseUrl}/push/${crypto.randomUUID()}`;
  }

  protected async handle(req: Request, url: URL): Promise<Response> {
    const m = url.pathname.match(/^\/push\/([0-9a-f-]{36})$/);
    if (req.method !== "POST" || !m) return new Response("not found", { status: 404 });
    const body = new Uint8Array(await req.arrayBuffer());
    const hung = await this.faulted();
    if (hung) return hung;
    if (this.gone.has(m[1])) {
      return new Response("push subscription has unsubscribed", { status: 410 });
    }
    const auth = req.headers.get("authorization") ?? "";
    const vapid = auth.match(/^vapid t=([\w-]+\.[\w-]+\.[\w-]+), k=([\w-]+)$/);
    if (!vapid) return new Response("missing VAPID authorization", { status: 401 });
    let claims: Record<string, unknown>;
    try {
      const b64 = vapid[1].split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
      claims = JSON.parse(atob(b64));
    } catch {
      return new Response("bad VAPID token", { status: 401 });
    }
    if (typeof claims.aud !== "string" || new URL(claims.aud).origin !== url.origin) {
      return new Response("VAPID audience is not this push service", { status: 403 });
    }
    if (req.headers.get("content-encoding") !== "aes128gcm" || body.length < 86) {
      return new Response("payload must be aes128gcm", { status: 400 });
    }
    if (this.fault === "error") return new Response("too many requests", { status: 429 });
    this.accepted.push({
      id: m[1],
      to: m[1],
      text: `${body.length} encrypted bytes`,
      raw: { ttl: req.headers.get("ttl"), urgency: req.headers.get("urgency"), sub: claims.sub },
      at: Date.now(),
    });
    return new Response(null, { status: 201, headers: { location: `${url.pathname}/m` } });
  }
}
