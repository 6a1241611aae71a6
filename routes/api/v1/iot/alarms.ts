import { handlers } from "../../(_api)/endpoint.ts";
import { listAlarms } from "../../(_api)/v1/iot.ts";

export const handler = handlers(listAlarms);
