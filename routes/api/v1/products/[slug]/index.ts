import { handlers } from "../../../(_api)/endpoint.ts";
import { getProduct } from "../../../(_api)/v1/catalog.ts";

export const handler = handlers(getProduct);
