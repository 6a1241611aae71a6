import type { AuthResult } from "@/services/identity/mod.ts";
import { clientIp, homeFor, startSession } from "@/plugins/session.ts";
import { codeStepHandlers, field } from "@/plugins/auth_forms.ts";
import { codeStepPage, KeepSignedIn } from "@/components/AuthCard.tsx";

/**
 * Sign-in by one-time code, step 2. Not subject to the password throttle of the account (only to
 * the per-address limits), so the owner can sign in while someone else fails passwords. An
 * account with two-step sign-in still goes through the TOTP step.
 */
export const handler = codeStepHandlers<Extract<AuthResult, { ok: true }>>({
  purpose: "signin",
  start: "/signin/code",
  title: (m) => m.codeSignin.verifyTitle,
  check: (identity, input, ctx) => identity.completeCodeSignIn({ ...input, ip: clientIp(ctx) }),
  async done(ctx, r) {
    const dest = homeFor(r.user.roles);
    const remember = field(ctx, "remember") === "1";
    if (r.needsSecondFactor) {
      await startSession(ctx, r.user, { stage: "second_factor", next: dest, remember });
      return "/signin/verify";
    }
    await startSession(ctx, r.user, { stage: "signed_in", remember });
    if (r.mustEnrollSecondFactor) return `/account/two-factor?next=${encodeURIComponent(dest)}`;
    return dest;
  },
});

export default codeStepPage({
  words: (m) => m.codeSignin,
  action: "/signin/code/verify",
  start: "/signin/code",
  fields: (_data, m) => <KeepSignedIn m={m} />,
});
