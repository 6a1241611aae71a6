import type { Middleware } from "@/framework/mod.ts";
import { redirect } from "@/framework/mod.ts";
import { requiresSecondFactor } from "@/services/identity/roles.ts";
import { getUser } from "@/services/identity/users.ts";
import { currentSession, requirePermission, updateCurrentSession } from "@/plugins/session.ts";
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
      let enrolled = s?.totpEnabled ?? false;
      if (!enrolled && ctx.state.deps.db) {
        // The session may predate an enrolment made in another browser: ask the database.
        const u = await getUser(ctx.state.deps.db.sql, ctx.state.deps.keyring, user.id);
        enrolled = u?.totpEnabled ?? false;
        if (enrolled) await updateCurrentSession(ctx, (cur) => ({ ...cur, totpEnabled: true }));
      }
      throw redirect(enrolled ? `/signin/verify?next=${next}` : `/account/two-factor?next=${next}`);
    }
  }
  return await ctx.next();
};
