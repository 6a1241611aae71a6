import { handlers } from "../../../../(_api)/endpoint.ts";
import { getDevice } from "../../../../(_api)/v1/iot.ts";

export const handler = handlers(getDevice);
