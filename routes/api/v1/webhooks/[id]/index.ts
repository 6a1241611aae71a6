import { handlers } from "../../../(_api)/endpoint.ts";
import { deleteWebhook, getWebhook } from "../../../(_api)/v1/webhooks.ts";

export const handler = handlers(getWebhook, deleteWebhook);
