import type { Handlers } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import { productionActor, seeOther } from "./(_prod)/prod.tsx";

/** /admin/production → the production orders. */
export const handler: Handlers<unknown, State> = {
  GET(ctx) {
    productionActor(ctx);
    return seeOther("/admin/production/orders");
  },
};
