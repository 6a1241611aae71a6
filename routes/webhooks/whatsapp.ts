import type { Handlers } from "@/framework/mod.ts";

/**
 * WhatsApp Cloud API webhook: GET is Meta's subscription handshake (hub.verify_token), POST the
 * message statuses (sent, delivered, read, failed), believed only with a valid
 * X-Hub-Signature-256 over the raw body.
 */
export const handler: Handlers = {
  GET(ctx) {
    const r = ctx.state.deps.notify.whatsappVerify(ctx.url.searchParams);
    return new Response(r.body, {
      status: r.status,
      headers: { "content-type": "text/plain; charset=utf-8" },
    });
  },
  async POST(ctx) {
    const r = await ctx.state.deps.notify.whatsappWebhook({
      pathAndQuery: ctx.url.pathname + ctx.url.search,
      query: ctx.url.searchParams,
      headers: ctx.req.headers,
      body: await ctx.req.text(),
    });
    return new Response(r.body, {
      status: r.status,
      headers: { "content-type": "text/plain; charset=utf-8" },
    });
  },
};
