import { handlers } from "../../../(_api)/endpoint.ts";
import { listInvoices } from "../../../(_api)/v1/orders.ts";

export const handler = handlers(listInvoices);
