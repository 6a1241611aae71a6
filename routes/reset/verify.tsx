import type { PageProps } from "@/framework/mod.ts";
import { endSession } from "@/plugins/session.ts";
import { type CodeStepData, codeStepHandlers, field } from "@/plugins/auth_forms.ts";
import type { State } from "@/state.ts";
import { CodeStepCard, NewPasswordField } from "@/components/AuthCard.tsx";

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

export default function ResetVerify({ data, state, url }: PageProps<CodeStepData, State>) {
  const m = state.t.identity;
  return (
    <CodeStepCard
      state={state}
      path={url.pathname}
      words={m.reset}
      data={data}
      action="/reset/verify"
      start="/reset"
    >
      <NewPasswordField
        name="newPassword"
        label={m.common.newPassword}
        hint={m.common.newPasswordHint}
        errors={data.errors.newPassword}
      />
    </CodeStepCard>
  );
}
