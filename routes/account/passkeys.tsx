import { type Handlers, type PageProps, renderNonce } from "@/framework/mod.ts";
import { formatWhen } from "@/services/identity/mod.ts";
import { assertSignedIn } from "@/plugins/session.ts";
import { field } from "@/plugins/auth_forms.ts";
import type { State } from "@/state.ts";
import { AccountPage } from "@/components/AccountNav.tsx";
import { AuthNotice } from "@/components/AuthCard.tsx";
import { AccountDetail, AccountItem, RemoveForm } from "@/components/AccountList.tsx";

interface Row {
  id: string;
  name: string;
  createdAt: number;
  lastUsedAt: number | null;
}

interface Data {
  csrf: string;
  rows: Row[];
  notice?: string;
}

/**
 * The person's passkeys: add one on this device (static/passkey.js → /account/passkeys/register),
 * or remove one (a form; works without JavaScript).
 */
export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    const me = assertSignedIn(ctx);
    const m = ctx.state.t.identity;
    ctx.state.title = `${m.passkeys.title} — ${ctx.state.t.site.name}`;
    const q = ctx.url.searchParams;
    const rows = (await ctx.state.deps.identity.listPasskeys(me.id)).map((p) => ({
      id: p.id,
      name: p.name,
      createdAt: p.createdAt.getTime(),
      lastUsedAt: p.lastUsedAt?.getTime() ?? null,
    }));
    return {
      data: {
        csrf: await ctx.csrfToken(),
        rows,
        notice: q.has("added")
          ? m.passkeys.added
          : q.has("removed")
          ? m.passkeys.removed
          : undefined,
      },
    };
  },

  async POST(ctx) {
    const me = assertSignedIn(ctx);
    await ctx.state.deps.identity.deletePasskey(me.id, field(ctx, "id"));
    return new Response(null, {
      status: 303,
      headers: { location: "/account/passkeys?removed=1" },
    });
  },
};

export default function Passkeys({ data, state, url }: PageProps<Data, State>) {
  const m = state.t.identity;
  const lang = state.lang;
  return (
    <AccountPage state={state} path={url.pathname} title={m.account.title}>
      <h2 class="text-xl font-semibold mb-2">{m.passkeys.title}</h2>
      <p class="mb-4 text-gray-700">{m.passkeys.intro}</p>
      {data.notice && <AuthNotice kind="ok">{data.notice}</AuthNotice>}
      {data.rows.length === 0 && <p class="mb-4 text-gray-600">{m.passkeys.none}</p>}
      <ul class="space-y-3 max-w-2xl mb-6">
        {data.rows.map((r) => (
          <AccountItem data-passkey>
            <div class="min-w-0">
              <p class="font-semibold break-all">{r.name}</p>
              <AccountDetail label={m.passkeys.created}>
                {formatWhen(lang, r.createdAt)}
              </AccountDetail>
              <AccountDetail label={m.passkeys.lastUsed}>
                {r.lastUsedAt ? formatWhen(lang, r.lastUsedAt) : m.passkeys.never}
              </AccountDetail>
            </div>
            <RemoveForm action="/account/passkeys" csrf={data.csrf} fields={{ id: r.id }}>
              {m.passkeys.remove}
            </RemoveForm>
          </AccountItem>
        ))}
      </ul>
      <div
        class="max-w-md bg-white border border-gray-200 rounded-lg p-4"
        data-passkey-register
        data-csrf={data.csrf}
        data-unsupported={m.passkeys.unsupported}
        data-failed={m.passkeys.failed}
      >
        <label for="passkey-name" class="block font-medium mb-1">{m.passkeys.name}</label>
        <input
          id="passkey-name"
          maxLength={80}
          value={m.passkeys.defaultName}
          class="w-full rounded border border-gray-400 px-3 py-2 mb-3"
        />
        <button type="button" class="rounded bg-brand-700 text-white px-4 py-2" disabled>
          {m.passkeys.add}
        </button>
        <p class="mt-2 text-sm text-red-800" role="status" data-passkey-status></p>
      </div>
      <script src="/passkey.js" defer nonce={renderNonce()}></script>
    </AccountPage>
  );
}
