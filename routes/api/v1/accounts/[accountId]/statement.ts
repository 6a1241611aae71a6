import { handlers } from "../../../(_api)/endpoint.ts";
import { getStatement } from "../../../(_api)/v1/orders.ts";

export const handler = handlers(getStatement);
