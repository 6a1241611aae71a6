import type { Handlers } from "@/framework/mod.ts";

/**
 * bKash's webhook, delivered through AWS SNS: verified, confirmed or applied by the payments
 * context (after asking bKash). Always 200 for genuine messages so that SNS stops retrying; 400
 * for anything not signed by SNS.
 */
export const handler: Handlers = {
  async POST(ctx) {
    const r = await ctx.state.deps.payments.bkashWebhook(await ctx.req.text());
    return new Response(r.body, { status: r.status });
  },
};
