import type { Handlers, PageProps } from "@/framework/mod.ts";
import { redirect } from "@/framework/mod.ts";
import { homeFor } from "@/plugins/session.ts";
import { field, type FieldErrors, formAgain, sendCode } from "@/plugins/auth_forms.ts";
import type { State } from "@/state.ts";
import {
  AuthCard,
  AuthNotice,
  AuthSubmit,
  IdentifierField,
  NewPasswordField,
} from "@/components/AuthCard.tsx";
import { Field, inputClass, PostForm } from "@/components/ui.tsx";

interface Data {
  csrf: string;
  values: { name: string; identifier: string };
  errors: FieldErrors;
  error?: string;
}

/** Sign-up, step 1: name, phone or email, password → a one-time code is sent (outbox). */
export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    if (ctx.state.user) throw redirect(homeFor(ctx.state.user.roles));
    ctx.state.title = `${ctx.state.t.identity.signup.title} — ${ctx.state.t.site.name}`;
    return {
      data: { csrf: await ctx.csrfToken(), values: { name: "", identifier: "" }, errors: {} },
    };
  },

  POST(ctx) {
    const m = ctx.state.t.identity;
    const values = { name: field(ctx, "name").trim(), identifier: field(ctx, "identifier").trim() };
    ctx.state.title = `${m.signup.title} — ${ctx.state.t.site.name}`;
    return sendCode(ctx, {
      again: formAgain(ctx, { values }),
      send: () =>
        ctx.state.deps.identity.startSignUp({
          identifier: values.identifier,
          name: values.name,
          password: field(ctx, "password"),
          locale: ctx.state.lang,
        }),
      flow: { purpose: "signup", identifier: values.identifier },
      verify: "/signup/verify",
      fieldErrorsNotice: m.common.fixErrors,
    });
  },
};

export default function SignUp({ data, state, url }: PageProps<Data, State>) {
  const m = state.t.identity;
  const err = (k: string) => data.errors[k] ?? [];
  return (
    <AuthCard state={state} path={url.pathname} title={m.signup.title}>
      {data.error && <AuthNotice kind="error">{data.error}</AuthNotice>}
      <p class="mb-4 text-gray-700">{m.signup.intro}</p>
      <PostForm csrf={data.csrf} action="/signup" novalidate>
        <Field id="name" label={m.common.name} error={err("name")}>
          <input
            id="name"
            name="name"
            value={data.values.name}
            autocomplete="name"
            required
            class={inputClass(!!data.errors.name)}
            aria-invalid={data.errors.name ? "true" : undefined}
          />
        </Field>
        <IdentifierField
          label={m.common.identifier}
          value={data.values.identifier}
          errors={data.errors.identifier}
          hint={m.common.identifierHint}
        />
        <NewPasswordField
          name="password"
          label={m.common.password}
          hint={m.common.newPasswordHint}
          errors={data.errors.password}
        />
        <AuthSubmit>{m.signup.submit}</AuthSubmit>
      </PostForm>
      <p class="mt-5 text-sm">
        {m.signup.haveAccount}{" "}
        <a href="/signin" class="text-brand-700 underline">{m.common.signIn}</a>
      </p>
    </AuthCard>
  );
}
