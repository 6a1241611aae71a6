import type { Handlers, PageProps } from "@/framework/mod.ts";
import { field, type FieldErrors, formAgain, sendCode } from "@/plugins/auth_forms.ts";
import type { State } from "@/state.ts";
import { AuthCard, AuthNotice, AuthSubmit, IdentifierField } from "@/components/AuthCard.tsx";

interface Data {
  csrf: string;
  identifier: string;
  errors: FieldErrors;
  error?: string;
}

/** Password reset, step 1: a code to the phone or email (the same answer whether or not it exists). */
export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    ctx.state.title = `${ctx.state.t.identity.reset.title} — ${ctx.state.t.site.name}`;
    return { data: { csrf: await ctx.csrfToken(), identifier: "", errors: {} } };
  },

  POST(ctx) {
    const identifier = field(ctx, "identifier").trim();
    ctx.state.title = `${ctx.state.t.identity.reset.title} — ${ctx.state.t.site.name}`;
    return sendCode(ctx, {
      again: formAgain(ctx, { identifier }),
      send: () => ctx.state.deps.identity.startPasswordReset({ identifier }),
      flow: { purpose: "reset", identifier },
      verify: "/reset/verify",
    });
  },
};

export default function Reset({ data, state, url }: PageProps<Data, State>) {
  const m = state.t.identity;
  return (
    <AuthCard state={state} path={url.pathname} title={m.reset.title}>
      {data.error && <AuthNotice kind="error">{data.error}</AuthNotice>}
      <p class="mb-4 text-gray-700">{m.reset.intro}</p>
      <form method="post" action="/reset" novalidate>
        <input type="hidden" name="_csrf" value={data.csrf} />
        <IdentifierField
          label={m.common.identifier}
          value={data.identifier}
          errors={data.errors.identifier}
        />
        <AuthSubmit>{m.reset.submit}</AuthSubmit>
      </form>
      <p class="mt-5 text-sm">
        <a href="/signin" class="text-brand-700 underline">{m.common.signIn}</a>
      </p>
    </AuthCard>
  );
}
