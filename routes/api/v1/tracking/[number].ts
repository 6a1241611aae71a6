import { handlers } from "../../(_api)/endpoint.ts";
import { getTracking } from "../../(_api)/v1/deliveries.ts";

export const handler = handlers(getTracking);
