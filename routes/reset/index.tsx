import { askCodeHandlers } from "@/plugins/auth_forms.ts";
import { askCodePage } from "@/components/AuthCard.tsx";

/** Password reset, step 1: a code to the phone or email (the same answer whether or not it exists). */
export const handler = askCodeHandlers({
  purpose: "reset",
  title: (m) => m.reset.title,
  send: (identity, input) => identity.startPasswordReset(input),
  verify: "/reset/verify",
});

export default askCodePage((m) => m.reset, "/reset");
