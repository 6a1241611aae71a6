import type { Handlers } from "@/framework/mod.ts";

/**
 * SMS gateways calling us: delivery reports (stored per message) and customers' replies (STOP
 * opts out, START opts back in). SSL Wireless proves itself with the token in the URL, Twilio
 * with X-Twilio-Signature; a forged call is refused and changes nothing.
 */
export const handler: Handlers = {
  async POST(ctx) {
    const r = await ctx.state.deps.notify.smsWebhook(ctx.params.provider, {
      pathAndQuery: ctx.url.pathname + ctx.url.search,
      query: ctx.url.searchParams,
      headers: ctx.req.headers,
      body: await ctx.req.text(),
    });
    return new Response(r.body, {
      status: r.status,
      headers: { "content-type": r.contentType ?? "text/plain; charset=utf-8" },
    });
  },
};
