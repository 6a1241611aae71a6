import type { Context } from "@/framework/mod.ts";
import { HttpError } from "@/framework/mod.ts";
import { requirePermission } from "@/plugins/session.ts";
import type { State } from "@/state.ts";
import { intakeError } from "@/services/intake/mod.ts";
import { PERMISSION } from "./(_intake)/screen.ts";

/** A period's payout file (CSV): ?day=YYYY-MM-DD&kind=bkash|bank. */
export const handler = {
  async GET(ctx: Context<State>) {
    requirePermission(ctx, PERMISSION);
    const q = ctx.url.searchParams;
    try {
      const f = await ctx.state.deps.intake.payoutFile({ day: q.get("day"), kind: q.get("kind") });
      return new Response(f.csv, {
        headers: {
          "content-type": "text/csv; charset=utf-8",
          "content-disposition": `attachment; filename="${f.filename}"`,
          "cache-control": "no-store",
        },
      });
    } catch (e) {
      const err = intakeError(ctx.state.t, e);
      throw new HttpError(err.status, err.message);
    }
  },
};
