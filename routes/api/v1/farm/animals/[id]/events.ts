import { handlers } from "../../../../(_api)/endpoint.ts";
import { listEvents } from "../../../../(_api)/v1/farm.ts";

export const handler = handlers(listEvents);
