import type { PageProps } from "@/framework/mod.ts";
import { startSession } from "@/plugins/session.ts";
import { type CodeStepData, codeStepHandlers } from "@/plugins/auth_forms.ts";
import type { State } from "@/state.ts";
import { CodeStepCard } from "@/components/AuthCard.tsx";

/** Sign-up, step 2: the code from the message creates the account and signs the person in. */
export const handler = codeStepHandlers({
  purpose: "signup",
  title: (m) => m.signup.verifyTitle,
  check: (identity, input) => identity.completeSignUp(input),
  async done(ctx, r) {
    await startSession(ctx, r.user, { stage: "signed_in" });
    return "/account?welcome=1";
  },
});

export default function SignUpVerify({ data, state, url }: PageProps<CodeStepData, State>) {
  const m = state.t.identity;
  return (
    <CodeStepCard
      state={state}
      path={url.pathname}
      words={m.signup}
      data={data}
      action="/signup/verify"
      start="/signup"
      focusCode
    />
  );
}
