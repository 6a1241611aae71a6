import type { Middleware } from "@/framework/mod.ts";
import { redirect } from "@/framework/mod.ts";
import { requiresSecondFactor } from "@/services/identity/mod.ts";
import { currentSession, requirePermission, secondFactorEnrolled } from "@/plugins/session.ts";
import type { State } from "@/state.ts";

/**
 * The back office's door: anonymous → sign in (and back here); signed in without admin.access →
 * 403; admin and accountant → only after the second factor was verified in this session (sent to
 * enrol when they have none, to the second-factor step when they have one).
 */
export const handler: Middleware<State> = async (ctx) => {
  const user = requirePermission(ctx, "admin.access");
  if (requiresSecondFactor(user.roles)) {
    const s = currentSession(ctx);
    if (!s?.secondFactorAt) {
      const next = encodeURIComponent(ctx.url.pathname + ctx.url.search);
      const enrolled = await secondFactorEnrolled(ctx);
      throw redirect(enrolled ? `/signin/verify?next=${next}` : `/account/two-factor?next=${next}`);
    }
  }
  return await ctx.next();
};
