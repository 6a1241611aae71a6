import { handlers } from "../../../../(_api)/endpoint.ts";
import { listMilkRecords } from "../../../../(_api)/v1/farm.ts";

export const handler = handlers(listMilkRecords);
