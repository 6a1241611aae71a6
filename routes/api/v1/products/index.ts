import { handlers } from "../../(_api)/endpoint.ts";
import { listProducts } from "../../(_api)/v1/catalog.ts";

export const handler = handlers(listProducts);
