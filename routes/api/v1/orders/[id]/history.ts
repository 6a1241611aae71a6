import { handlers } from "../../../(_api)/endpoint.ts";
import { orderHistory } from "../../../(_api)/v1/orders.ts";

export const handler = handlers(orderHistory);
