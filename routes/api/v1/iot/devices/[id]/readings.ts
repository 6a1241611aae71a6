import { handlers } from "../../../../(_api)/endpoint.ts";
import { getReadings } from "../../../../(_api)/v1/iot.ts";

export const handler = handlers(getReadings);
