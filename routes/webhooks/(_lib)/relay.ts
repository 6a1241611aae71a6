/**
 * Webhooks whose checking and meaning live in a service (SMS gateways, WhatsApp): the call is
 * handed over as it came, and the service's answer goes back as it says.
 */
import type { Context } from "@/framework/mod.ts";
import type { State } from "@/state.ts";

/** The call as the services check it: signatures cover the path, the query and the raw body. */
export async function rawCall(ctx: Context<State>) {
  return {
    pathAndQuery: ctx.url.pathname + ctx.url.search,
    query: ctx.url.searchParams,
    headers: ctx.req.headers,
    body: await ctx.req.text(),
  };
}

export const PLAIN = "text/plain; charset=utf-8";

/** A service's answer to a provider: as `type`, else the type it names, else plain text. */
export function answer(
  r: { status: number; body: string; contentType?: string },
  type = r.contentType ?? PLAIN,
): Response {
  return new Response(r.body, { status: r.status, headers: { "content-type": type } });
}
