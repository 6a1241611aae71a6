import type { Handlers } from "@/framework/mod.ts";
import { answer, PLAIN, rawCall } from "./(_lib)/relay.ts";

/**
 * WhatsApp Cloud API webhook: GET is Meta's subscription handshake (hub.verify_token), POST the
 * message statuses (sent, delivered, read, failed), believed only with a valid
 * X-Hub-Signature-256 over the raw body.
 */
export const handler: Handlers = {
  GET(ctx) {
    // Meta wants the challenge back as plain UTF-8 text, whatever the service names.
    return answer(ctx.state.deps.notify.whatsappVerify(ctx.url.searchParams), PLAIN);
  },
  async POST(ctx) {
    return answer(await ctx.state.deps.notify.whatsappWebhook(await rawCall(ctx)), PLAIN);
  },
};
