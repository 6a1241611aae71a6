import { handlers } from "../../../(_api)/endpoint.ts";
import { rotateWebhookSecret } from "../../../(_api)/v1/webhooks.ts";

export const handler = handlers(rotateWebhookSecret);
