import type { Handlers, PageProps } from "@/framework/mod.ts";
import { generatePassword } from "@/services/identity/mod.ts";
import { requireFreshSecondFactor, requirePermission } from "@/plugins/session.ts";
import { field, type FieldErrors, formErrors } from "@/plugins/auth_forms.ts";
import type { State } from "@/state.ts";
import { AuthNotice } from "@/components/AuthCard.tsx";
import { AccountRoleChecks } from "@/components/AccountRoleChecks.tsx";
import { Field, inputClass, PostForm } from "@/components/ui.tsx";

interface Data {
  csrf: string;
  values: { displayName: string; email: string; phone: string; locale: string; roles: string[] };
  errors: FieldErrors;
  error?: string;
  /** After creating with a generated password: shown this once. */
  created?: { id: string; password?: string };
}

const EMPTY = { displayName: "", email: "", phone: "", locale: "bn", roles: [] as string[] };

/** An administrator creates a staff (or B2B) account; the service re-checks users.manage. */
export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    requirePermission(ctx, "users.manage");
    ctx.state.title = `${ctx.state.t.identity.admin.createTitle} — ${ctx.state.t.site.name}`;
    return { data: { csrf: await ctx.csrfToken(), values: EMPTY, errors: {} } };
  },

  async POST(ctx) {
    const me = requirePermission(ctx, "users.manage");
    // Granting roles to a new account: a second factor at most 5 minutes old (step-up).
    await requireFreshSecondFactor(ctx);
    const m = ctx.state.t.identity;
    ctx.state.title = `${m.admin.createTitle} — ${ctx.state.t.site.name}`;
    const values = {
      displayName: field(ctx, "displayName").trim(),
      email: field(ctx, "email").trim(),
      phone: field(ctx, "phone").trim(),
      locale: field(ctx, "locale") === "en" ? "en" : "bn",
      roles: ctx.form!.getAll("roles").map(String),
    };
    const typed = field(ctx, "password");
    const password = typed || generatePassword(16);
    try {
      const user = await ctx.state.deps.identity.createUserByAdmin(me.id, {
        displayName: values.displayName,
        email: values.email || undefined,
        phone: values.phone || undefined,
        locale: values.locale as "en" | "bn",
        password,
        roles: values.roles as never,
      });
      if (typed) {
        return new Response(null, {
          status: 303,
          headers: { location: `/admin/users/${user.id}?created=1` },
        });
      }
      return {
        status: 201,
        data: {
          csrf: await ctx.csrfToken(),
          values: EMPTY,
          errors: {},
          created: { id: user.id, password },
        },
      };
    } catch (e) {
      return {
        status: 422,
        data: {
          csrf: await ctx.csrfToken(),
          values,
          errors: formErrors(e, ctx.state.t),
          error: m.common.fixErrors,
        },
      };
    }
  },
};

export default function NewUser({ data, state }: PageProps<Data, State>) {
  const m = state.t.identity;
  const a = m.admin;
  const v = data.values;
  const err = (k: string) => data.errors[k] ?? [];
  /** A labelled text box for one of the account's fields, filled with what was posted. */
  const text = (
    id: "displayName" | "email" | "phone",
    label: string,
    attrs: { required?: boolean; type?: string; placeholder?: string; autocomplete?: string },
  ) => (
    <Field id={id} label={label} error={err(id)}>
      <input id={id} name={id} value={v[id]} class={inputClass(!!data.errors[id])} {...attrs} />
    </Field>
  );
  if (data.created) {
    return (
      <div class="max-w-xl">
        <h1 class="text-2xl font-bold mb-3">{a.createTitle}</h1>
        <AuthNotice kind="ok">{a.created}</AuthNotice>
        <p class="mb-2">{a.generatedPassword}</p>
        <p class="font-mono text-lg bg-white border rounded p-3 mb-4 select-all" data-password>
          {data.created.password}
        </p>
        <a href={`/admin/users/${data.created.id}`} class="text-brand-700 underline">{a.open}</a>
      </div>
    );
  }
  return (
    <div class="max-w-xl">
      <h1 class="text-2xl font-bold mb-2">{a.createTitle}</h1>
      <p class="mb-4 text-gray-700">{a.createIntro}</p>
      {data.error && <AuthNotice kind="error">{data.error}</AuthNotice>}
      <PostForm
        csrf={data.csrf}
        action="/admin/users/new"
        class="bg-white border rounded-lg p-4"
        novalidate
      >
        {text("displayName", a.name, { required: true })}
        {text("email", a.email, { type: "email", autocomplete: "off" })}
        {text("phone", a.phone, { type: "tel", placeholder: "01712-345678", autocomplete: "off" })}
        <Field id="locale" label={a.language}>
          <select id="locale" name="locale" class={inputClass(false)}>
            <option value="bn" selected={v.locale === "bn"}>বাংলা</option>
            <option value="en" selected={v.locale === "en"}>English</option>
          </select>
        </Field>
        <AccountRoleChecks m={m} checked={v.roles} errors={err("roles")} />
        <Field id="password" label={a.passwordOptional} error={err("password")}>
          <input
            id="password"
            name="password"
            type="password"
            autocomplete="new-password"
            class={inputClass(!!data.errors.password)}
          />
        </Field>
        <button type="submit" class="rounded bg-brand-600 text-white font-semibold px-5 py-2">
          {a.create}
        </button>
      </PostForm>
    </div>
  );
}
