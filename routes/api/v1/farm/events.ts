import { handlers } from "../../(_api)/endpoint.ts";
import { createEvent } from "../../(_api)/v1/farm.ts";

export const handler = handlers(createEvent);
