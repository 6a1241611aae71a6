import { redirect } from "@/framework/mod.ts";
import { homeFor, safeNext } from "@/plugins/session.ts";
import { askCodeHandlers } from "@/plugins/auth_forms.ts";
import { askCodePage } from "@/components/AuthCard.tsx";

/**
 * Sign-in by one-time code, step 1: a code to the phone or email (the same answer whether or not
 * the account exists). Stays open while password sign-in is throttled for the account, so that
 * an attacker failing passwords from other addresses cannot keep the owner out.
 */
export const handler = askCodeHandlers({
  purpose: "signin",
  title: (m) => m.codeSignin.title,
  send: (identity, input) => identity.startCodeSignIn(input),
  verify: "/signin/code/verify",
  prefill: true,
  guard: (ctx) => {
    if (ctx.state.user) {
      throw redirect(safeNext(ctx.url.searchParams.get("next"), homeFor(ctx.state.user.roles)));
    }
  },
});

export default askCodePage((m) => m.codeSignin, "/signin/code");
