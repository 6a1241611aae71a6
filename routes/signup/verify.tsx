import type { PageProps } from "@/framework/mod.ts";
import { completeSignUp } from "@/services/identity/users.ts";
import { im } from "@/services/identity/messages.ts";
import { startSession } from "@/plugins/session.ts";
import { clearFlow, type CodeStepData, codeStepHandlers, field } from "@/plugins/auth_forms.ts";
import type { State } from "@/state.ts";
import { CodeStepCard } from "@/components/AuthCard.tsx";

/** Sign-up, step 2: the code from the message creates the account and signs the person in. */
export const handler = codeStepHandlers({
  purpose: "signup",
  title: (m) => m.signup.verifyTitle,
  check: (ctx, db, flow, now) =>
    completeSignUp(db.sql, ctx.state.deps.keyring, {
      identifier: flow.identifier,
      code: field(ctx, "code"),
    }, { now }),
  async done(ctx, r) {
    clearFlow(ctx);
    await startSession(ctx, r.user, { stage: "signed_in" });
    return "/account?welcome=1";
  },
});

export default function SignUpVerify({ data, state, url }: PageProps<CodeStepData, State>) {
  const m = im(state.lang);
  return (
    <CodeStepCard
      state={state}
      path={url.pathname}
      title={m.signup.verifyTitle}
      intro={m.signup.verifyIntro(data.sentTo)}
      action="/signup/verify"
      csrf={data.csrf}
      error={data.error}
      code={{
        label: m.common.code,
        errors: data.errors.code,
        invalid: !!data.errors.code || !!data.error,
        autofocus: true,
      }}
      submit={m.signup.verifySubmit}
      startAgain={{ href: "/signup", text: m.signup.startAgain }}
    />
  );
}
