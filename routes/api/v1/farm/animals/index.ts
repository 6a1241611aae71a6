import { handlers } from "../../../(_api)/endpoint.ts";
import { createAnimal, listAnimals } from "../../../(_api)/v1/farm.ts";

export const handler = handlers(listAnimals, createAnimal);
