import type { Handlers, PageProps } from "@/framework/mod.ts";
import {
  assertSignedIn,
  currentSession,
  requireRecentSignIn,
  startSession,
} from "@/plugins/session.ts";
import { field, type FieldErrors, formErrors } from "@/plugins/auth_forms.ts";
import type { State } from "@/state.ts";
import { AccountPage } from "@/components/AccountNav.tsx";
import { AuthNotice, AuthSubmit, NewPasswordField } from "@/components/AuthCard.tsx";
import { Field, inputClass, PostForm } from "@/components/ui.tsx";

interface Data {
  csrf: string;
  errors: FieldErrors;
  error?: string;
}

/**
 * Change password. Every session of the account ends, this one included; this browser gets a
 * fresh session at once so the person stays signed in here.
 */
export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    requireRecentSignIn(ctx); // not from a session a remembered device opened

    ctx.state.title = `${ctx.state.t.identity.password.title} — ${ctx.state.t.site.name}`;
    return { data: { csrf: await ctx.csrfToken(), errors: {} } };
  },

  async POST(ctx) {
    assertSignedIn(ctx);
    const me = requireRecentSignIn(ctx);
    const identity = ctx.state.deps.identity;
    const m = ctx.state.t.identity;
    ctx.state.title = `${m.password.title} — ${ctx.state.t.site.name}`;
    const again = async (status: number, errors: FieldErrors, error?: string) => ({
      status,
      data: { csrf: await ctx.csrfToken(), errors, error },
    });
    const store = identity.sessions;
    let r;
    try {
      r = await identity.changePassword({
        userId: me.id,
        currentPassword: field(ctx, "currentPassword"),
        newPassword: field(ctx, "newPassword"),
        now: new Date(store.now()),
      });
    } catch (e) {
      return again(422, formErrors(e, ctx.state.t), m.common.fixErrors);
    }
    if (!r.ok) {
      return r.reason === "wrong_password"
        ? again(401, { currentPassword: [m.password.wrong] })
        : again(429, {}, m.signin.reasons.locked);
    }
    const secondFactorAt = currentSession(ctx)?.secondFactorAt ?? null;
    await store.destroyAllForUser(me.id);
    const user = await identity.getUser(me.id);
    if (user) await startSession(ctx, user, { stage: "signed_in", secondFactorAt });
    return new Response(null, { status: 303, headers: { location: "/account?changed=1" } });
  },
};

export default function Password({ data, state, url }: PageProps<Data, State>) {
  const m = state.t.identity;
  const err = (k: string) => data.errors[k] ?? [];
  return (
    <AccountPage state={state} path={url.pathname} title={m.account.title}>
      <div class="max-w-md bg-white border border-gray-200 rounded-lg p-4">
        <h2 class="text-xl font-semibold mb-2">{m.password.title}</h2>
        <p class="mb-4 text-gray-700">{m.password.intro}</p>
        {data.error && <AuthNotice kind="error">{data.error}</AuthNotice>}
        <PostForm csrf={data.csrf} action="/account/password" novalidate>
          <Field
            id="currentPassword"
            label={m.common.currentPassword}
            error={err("currentPassword")}
          >
            <input
              id="currentPassword"
              name="currentPassword"
              type="password"
              autocomplete="current-password"
              required
              class={inputClass(!!data.errors.currentPassword)}
              aria-invalid={data.errors.currentPassword ? "true" : undefined}
            />
          </Field>
          <NewPasswordField
            name="newPassword"
            label={m.common.newPassword}
            hint={m.common.newPasswordHint}
            errors={data.errors.newPassword}
          />
          <AuthSubmit>{m.password.submit}</AuthSubmit>
        </PostForm>
      </div>
    </AccountPage>
  );
}
