import { handlers } from "../../(_api)/endpoint.ts";
import { getDelivery } from "../../(_api)/v1/deliveries.ts";

export const handler = handlers(getDelivery);
