import { startSession } from "@/plugins/session.ts";
import { codeStepHandlers } from "@/plugins/auth_forms.ts";
import { codeStepPage } from "@/components/AuthCard.tsx";

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

export default codeStepPage({
  words: (m) => m.signup,
  action: "/signup/verify",
  start: "/signup",
  focusCode: true,
});
