import { handlers } from "../../../(_api)/endpoint.ts";
import { getAvailability } from "../../../(_api)/v1/catalog.ts";

export const handler = handlers(getAvailability);
