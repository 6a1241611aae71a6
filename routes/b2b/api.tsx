/**
 * /b2b/api — a B2B account's admin manages the account's own API keys (orders, invoices and the
 * catalog of this account only). The account's client is made with its first key.
 */
import type { Context, Handlers, PageProps } from "@/framework/mod.ts";
import { formValues } from "@/plugins/forms.ts";
import type { State } from "@/state.ts";
import { HttpError } from "@/framework/mod.ts";
import { type ApiClient, type ApiKeyRow, apiMessages } from "@/services/api/mod.ts";
import { ApiKeysPanel } from "@/components/ApiKeysPanel.tsx";
import { B2bLayout, portalMember, portalTitle } from "./(_lib)/web.tsx";
import { keyAction, type KeyOutcome } from "@/routes/admin/api/(_lib)/keys.ts";

interface Data {
  client: ApiClient | null;
  keys: ApiKeyRow[];
  outcome: KeyOutcome;
  csrf: string;
  now: Date;
}

/** The signed-in admin's account (403 for its other users, 404 for a non-member). */
async function adminAccount(ctx: Context<State>) {
  const { user, m } = await portalMember(ctx);
  if (m.role !== "admin") throw new HttpError(403);
  return { user, account: m.account };
}

async function show(
  ctx: Context<State>,
  outcome: KeyOutcome = { newKey: null, errors: {}, values: {} },
  status = 200,
) {
  const { account } = await adminAccount(ctx);
  const api = ctx.state.deps.api;
  const [client] = await api.listClients({ b2bAccountId: account.id });
  portalTitle(ctx, apiMessages(ctx.state.lang).title);
  return {
    status,
    headers: outcome.newKey ? { "cache-control": "no-store" } : undefined,
    data: {
      client: client ?? null,
      keys: client ? await api.listKeys(client.id) : [],
      outcome,
      csrf: await ctx.csrfToken(),
      now: ctx.state.deps.clock.now(),
    },
  };
}

export const handler: Handlers<Data, State> = {
  GET: (ctx) => show(ctx),
  async POST(ctx) {
    const { user, account } = await adminAccount(ctx);
    const actor = { id: user.id, name: user.displayName };
    const api = ctx.state.deps.api;
    const client = await api.accountClient(account.id, account.company, actor);
    const outcome = await keyAction(api, client.id, formValues(ctx), actor);
    if (!outcome.newKey && !Object.keys(outcome.errors).length) return ctx.redirect("/b2b/api");
    return await show(ctx, outcome, Object.keys(outcome.errors).length ? 422 : 200);
  },
};

export default function B2bApiKeys({ data, state, url }: PageProps<Data, State>) {
  const t = apiMessages(state.lang);
  const errors: Record<string, string> = {};
  for (const [k, v] of Object.entries(data.outcome.errors)) {
    errors[k] = t.errors[v] ?? t.errors.other;
  }
  return (
    <B2bLayout state={state} path={url.pathname}>
      <h1 class="text-2xl font-bold mb-2">{t.title}</h1>
      <p class="mb-4 text-gray-700">
        {t.intro} <a href="/api/docs" class="text-brand-700 underline">{t.docs}</a>
      </p>
      {data.client && (
        <p class="mb-4 text-sm">
          {t.scopes}: {data.client.scopes.join(", ")} · {t.limit}: {data.client.rateLimitPerHour}
        </p>
      )}
      <ApiKeysPanel
        t={t}
        keys={data.keys}
        action="/b2b/api"
        csrf={data.csrf}
        now={data.now}
        newKey={data.outcome.newKey}
        errors={errors}
        values={data.outcome.values}
      />
    </B2bLayout>
  );
}
