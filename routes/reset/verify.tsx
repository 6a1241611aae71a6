import { endSession } from "@/plugins/session.ts";
import { codeStepHandlers, field } from "@/plugins/auth_forms.ts";
import { codeStepPage, NewPasswordField } from "@/components/AuthCard.tsx";

/**
 * Password reset, step 2: code + new password. Every session of the account ends (whoever knew
 * the old password is out); the person then signs in with the new one.
 */
export const handler = codeStepHandlers({
  purpose: "reset",
  title: (m) => m.reset.verifyTitle,
  check: (identity, input, ctx) =>
    identity.completePasswordReset({ ...input, newPassword: field(ctx, "newPassword") }),
  fieldErrorsNotice: (m) => m.common.fixErrors,
  async done(ctx, r) {
    await ctx.state.deps.identity.sessions.destroyAllForUser(r.userId);
    await endSession(ctx);
    return "/signin?reset=1";
  },
});

export default codeStepPage({
  words: (m) => m.reset,
  action: "/reset/verify",
  start: "/reset",
  fields: (data, m) => (
    <NewPasswordField
      name="newPassword"
      label={m.common.newPassword}
      hint={m.common.newPasswordHint}
      errors={data.errors.newPassword}
    />
  ),
});
