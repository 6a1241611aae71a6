import type { Handlers } from "@/framework/mod.ts";
import { answer, rawCall } from "../(_lib)/relay.ts";

/**
 * SMS gateways calling us: delivery reports (stored per message) and customers' replies (STOP
 * opts out, START opts back in). SSL Wireless proves itself with the token in the URL, Twilio
 * with X-Twilio-Signature; a forged call is refused and changes nothing.
 */
export const handler: Handlers = {
  async POST(ctx) {
    return answer(await ctx.state.deps.notify.smsWebhook(ctx.params.provider, await rawCall(ctx)));
  },
};
