import type { Handlers, PageProps } from "@/framework/mod.ts";
import { redirect } from "@/framework/mod.ts";
import { homeFor, safeNext } from "@/plugins/session.ts";
import { field, type FieldErrors, formAgain, sendCode } from "@/plugins/auth_forms.ts";
import type { State } from "@/state.ts";
import { AskCodeCard } from "@/components/AuthCard.tsx";

interface Data {
  csrf: string;
  identifier: string;
  errors: FieldErrors;
  error?: string;
}

/**
 * Sign-in by one-time code, step 1: a code to the phone or email (the same answer whether or not
 * the account exists). Stays open while password sign-in is throttled for the account, so that
 * an attacker failing passwords from other addresses cannot keep the owner out.
 */
export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    if (ctx.state.user) {
      throw redirect(safeNext(ctx.url.searchParams.get("next"), homeFor(ctx.state.user.roles)));
    }
    ctx.state.title = `${ctx.state.t.identity.codeSignin.title} — ${ctx.state.t.site.name}`;
    const identifier = (ctx.url.searchParams.get("identifier") ?? "").slice(0, 320);
    return { data: { csrf: await ctx.csrfToken(), identifier, errors: {} } };
  },

  POST(ctx) {
    const identifier = field(ctx, "identifier").trim();
    ctx.state.title = `${ctx.state.t.identity.codeSignin.title} — ${ctx.state.t.site.name}`;
    return sendCode(ctx, {
      again: formAgain(ctx, { identifier }),
      send: () => ctx.state.deps.identity.startCodeSignIn({ identifier }),
      flow: { purpose: "signin", identifier },
      verify: "/signin/code/verify",
    });
  },
};

export default function CodeSignIn({ data, state, url }: PageProps<Data, State>) {
  return (
    <AskCodeCard
      state={state}
      path={url.pathname}
      words={state.t.identity.codeSignin}
      action="/signin/code"
      data={data}
    />
  );
}
