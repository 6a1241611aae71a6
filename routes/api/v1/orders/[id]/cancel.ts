import { handlers } from "../../../(_api)/endpoint.ts";
import { cancelOrder } from "../../../(_api)/v1/orders.ts";

export const handler = handlers(cancelOrder);
