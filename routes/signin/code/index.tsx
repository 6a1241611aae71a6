import type { Handlers, PageProps } from "@/framework/mod.ts";
import { redirect } from "@/framework/mod.ts";
import { homeFor, safeNext } from "@/plugins/session.ts";
import { field, type FieldErrors, formAgain, sendCode } from "@/plugins/auth_forms.ts";
import type { State } from "@/state.ts";
import { AuthCard, AuthNotice, AuthSubmit, IdentifierField } from "@/components/AuthCard.tsx";

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
  const m = state.t.identity;
  return (
    <AuthCard state={state} path={url.pathname} title={m.codeSignin.title}>
      {data.error && <AuthNotice kind="error">{data.error}</AuthNotice>}
      <p class="mb-4 text-gray-700">{m.codeSignin.intro}</p>
      <form method="post" action="/signin/code" novalidate>
        <input type="hidden" name="_csrf" value={data.csrf} />
        <IdentifierField
          label={m.common.identifier}
          value={data.identifier}
          errors={data.errors.identifier}
        />
        <AuthSubmit>{m.codeSignin.submit}</AuthSubmit>
      </form>
      <p class="mt-5 text-sm">
        <a href="/signin" class="text-brand-700 underline">{m.common.signIn}</a>
      </p>
    </AuthCard>
  );
}
