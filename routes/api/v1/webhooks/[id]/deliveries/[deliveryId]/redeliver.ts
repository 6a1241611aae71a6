import { handlers } from "../../../../../(_api)/endpoint.ts";
import { redeliverWebhook } from "../../../../../(_api)/v1/webhooks.ts";

export const handler = handlers(redeliverWebhook);
