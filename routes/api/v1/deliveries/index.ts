import { handlers } from "../../(_api)/endpoint.ts";
import { listDeliveries } from "../../(_api)/v1/deliveries.ts";

export const handler = handlers(listDeliveries);
