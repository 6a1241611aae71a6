import { handlers } from "../../(_api)/endpoint.ts";
import { createMilkRecord } from "../../(_api)/v1/farm.ts";

export const handler = handlers(createMilkRecord);
