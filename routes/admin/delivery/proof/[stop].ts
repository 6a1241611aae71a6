/** A delivered stop's proof image (photo or signature), for staff who see the routes. */
import { type Handlers, HttpError } from "@/framework/mod.ts";
import { requirePermission } from "@/plugins/session.ts";
import type { State } from "@/state.ts";

export const handler: Handlers<unknown, State> = {
  async GET(ctx) {
    requirePermission(ctx, "sales.manage");
    const img = await ctx.state.deps.delivery.proofImage(Number(ctx.params.stop));
    if (!img) throw new HttpError(404);
    return new Response(img.data, {
      headers: {
        "content-type": img.mime,
        "cache-control": "private, max-age=3600",
        "x-content-type-options": "nosniff",
      },
    });
  },
};
