import { handlers } from "../../(_api)/endpoint.ts";
import { createWebhook, listWebhooks } from "../../(_api)/v1/webhooks.ts";

export const handler = handlers(listWebhooks, createWebhook);
