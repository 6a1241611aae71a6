import { handlers } from "../../../../(_api)/endpoint.ts";
import { getAnimal } from "../../../../(_api)/v1/farm.ts";

export const handler = handlers(getAnimal);
