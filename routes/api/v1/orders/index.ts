import { handlers } from "../../(_api)/endpoint.ts";
import { createOrder, listOrders } from "../../(_api)/v1/orders.ts";

export const handler = handlers(listOrders, createOrder);
