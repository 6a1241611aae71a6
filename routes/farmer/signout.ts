import type { Context } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import { clearFarmerCookie } from "./(_farmer)/farmer.tsx";

/** The farmer signs out: the access cookie is removed. */
export const handler = {
  POST(ctx: Context<State>) {
    clearFarmerCookie(ctx);
    return ctx.redirect("/farmer/signin");
  },
};
