import { handlers } from "../../../(_api)/endpoint.ts";
import { enableWebhook } from "../../../(_api)/v1/webhooks.ts";

export const handler = handlers(enableWebhook);
