import { handlers } from "../../../../(_api)/endpoint.ts";
import { listWebhookDeliveries } from "../../../../(_api)/v1/webhooks.ts";

export const handler = handlers(listWebhookDeliveries);
