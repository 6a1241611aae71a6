import type { Handlers, PageProps } from "@/framework/mod.ts";
import { PostForm } from "@/components/ui.tsx";
import { can, formatPhone } from "@/services/identity/mod.ts";
import { assertSignedIn } from "@/plugins/session.ts";
import type { State } from "@/state.ts";
import { AccountPage } from "@/components/AccountNav.tsx";
import { AuthNotice } from "@/components/AuthCard.tsx";

interface Data {
  csrf: string;
  name: string;
  email: string | null;
  phone: string | null;
  totpEnabled: boolean;
  notice?: "welcome" | "changed";
}

export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    const me = assertSignedIn(ctx);
    const u = await ctx.state.deps.identity.getUser(me.id);
    ctx.state.title = `${ctx.state.t.identity.account.title} — ${ctx.state.t.site.name}`;
    const q = ctx.url.searchParams;
    return {
      data: {
        csrf: await ctx.csrfToken(),
        name: u?.displayName ?? me.displayName,
        email: u?.email ?? null,
        phone: u?.phone ? formatPhone(u.phone) : null,
        totpEnabled: u?.totpEnabled ?? false,
        notice: q.has("welcome") ? "welcome" : q.has("changed") ? "changed" : undefined,
      },
    };
  },
};

export default function Account({ data, state, url }: PageProps<Data, State>) {
  const m = state.t.identity;
  const user = state.user!;
  return (
    <AccountPage state={state} path={url.pathname} title={m.account.title}>
      {data.notice === "welcome" && <AuthNotice kind="ok">{m.signup.welcome(data.name)}
      </AuthNotice>}
      {data.notice === "changed" && <AuthNotice kind="ok">{m.account.passwordChanged}</AuthNotice>}
      <section class="bg-white border border-gray-200 rounded-lg p-4 mb-4 max-w-xl">
        <p class="text-sm text-gray-600">{m.account.signedInAs}</p>
        <p class="text-xl font-semibold mb-2">{data.name}</p>
        <dl class="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
          {data.email && (
            <>
              <dt class="text-gray-600">{m.admin.email}</dt>
              <dd class="break-all">{data.email}</dd>
            </>
          )}
          {data.phone && (
            <>
              <dt class="text-gray-600">{m.admin.phone}</dt>
              <dd>{data.phone}</dd>
            </>
          )}
          <dt class="text-gray-600">{m.account.roles}</dt>
          <dd>{user.roles.map((r) => m.roles[r]).join(", ")}</dd>
          <dt class="text-gray-600">{m.account.twoFactor}</dt>
          <dd>{data.totpEnabled ? m.account.twoFactorOn : m.account.twoFactorOff}</dd>
        </dl>
      </section>
      <div class="flex flex-wrap gap-3 items-center">
        {can(user.roles, "admin.access") && (
          <a href="/admin" class="rounded bg-brand-600 text-white px-4 py-2">{m.account.admin}</a>
        )}
        {can(user.roles, "farm.record") && (
          <a href="/farm" class="rounded bg-brand-600 text-white px-4 py-2">{m.account.farm}</a>
        )}
        <a href="/account/notifications" class="rounded border border-gray-400 bg-white px-4 py-2">
          {state.lang === "bn" ? "নোটিফিকেশন" : "Notifications"}
        </a>
        <PostForm csrf={data.csrf} action="/signout">
          <button type="submit" class="rounded border border-gray-400 bg-white px-4 py-2">
            {m.common.signOut}
          </button>
        </PostForm>
      </div>
    </AccountPage>
  );
}
