import { handlers } from "../../../(_api)/endpoint.ts";
import { listDevices } from "../../../(_api)/v1/iot.ts";

export const handler = handlers(listDevices);
