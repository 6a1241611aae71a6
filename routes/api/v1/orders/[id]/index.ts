import { handlers } from "../../../(_api)/endpoint.ts";
import { getOrder } from "../../../(_api)/v1/orders.ts";

export const handler = handlers(getOrder);
