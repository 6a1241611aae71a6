/** /admin/api/:id — one client: its keys (new, revoke, rotate), OAuth secret, enable/disable. */
import type { Context, Handlers, PageProps } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import { assertSignedIn } from "@/plugins/session.ts";
import { formValues } from "@/plugins/forms.ts";
import { type ApiClient, type ApiKeyRow, apiMessages, NotFoundError } from "@/services/api/mod.ts";
import { ApiKeysPanel, NewSecret } from "@/components/ApiKeysPanel.tsx";
import { Button, PostForm } from "@/components/ui.tsx";
import { keyAction, type KeyOutcome } from "./(_lib)/keys.ts";

interface Data {
  client: ApiClient;
  keys: ApiKeyRow[];
  outcome: KeyOutcome;
  secret: string | null;
  csrf: string;
  now: Date;
}

async function clientOf(ctx: Context<State>): Promise<ApiClient> {
  const id = Number(ctx.params.id);
  const c = Number.isSafeInteger(id) && id > 0 ? await ctx.state.deps.api.client(id) : null;
  if (!c) throw new NotFoundError("No such API client");
  return c;
}

async function show(
  ctx: Context<State>,
  outcome: KeyOutcome = { newKey: null, errors: {}, values: {} },
  secret: string | null = null,
  status = 200,
) {
  const client = await clientOf(ctx);
  ctx.state.title = `${client.name} — ${apiMessages(ctx.state.lang).title}`;
  return {
    status,
    // A page that shows a secret is never stored by the browser.
    headers: outcome.newKey || secret ? { "cache-control": "no-store" } : undefined,
    data: {
      client,
      keys: await ctx.state.deps.api.listKeys(client.id),
      outcome,
      secret,
      csrf: await ctx.csrfToken(),
      now: ctx.state.deps.clock.now(),
    },
  };
}

export const handler: Handlers<Data, State> = {
  GET: (ctx) => show(ctx),
  async POST(ctx) {
    const user = assertSignedIn(ctx);
    const actor = { id: user.id, name: user.displayName };
    const client = await clientOf(ctx);
    const v = formValues(ctx);
    const api = ctx.state.deps.api;
    if (v.action === "secret") {
      const s = await api.issueClientSecret(client.id, actor);
      return await show(ctx, undefined, s.clientSecret);
    }
    if (v.action === "disable" || v.action === "enable") {
      await api.setClientDisabled(client.id, v.action === "disable", actor);
      return ctx.redirect(`/admin/api/${client.id}`);
    }
    const outcome = await keyAction(api, client.id, v, actor);
    if (!outcome.newKey && !Object.keys(outcome.errors).length) {
      return ctx.redirect(`/admin/api/${client.id}`);
    }
    return await show(ctx, outcome, null, Object.keys(outcome.errors).length ? 422 : 200);
  },
};

export default function ApiClientPage({ data, state }: PageProps<Data, State>) {
  const t = apiMessages(state.lang);
  const c = data.client;
  const errors: Record<string, string> = {};
  for (const [k, v] of Object.entries(data.outcome.errors)) {
    errors[k] = t.errors[v] ?? t.errors.other;
  }
  return (
    <>
      <p class="mb-2">
        <a href="/admin/api" class="text-brand-700 underline">← {t.back}</a>
      </p>
      <h1 class="text-2xl font-bold mb-1">{c.name}</h1>
      <p class="mb-4 text-sm text-gray-700">
        {c.kind === "b2b" ? `${t.b2b} #${c.b2bAccountId}` : t.partner} · {t.limit}:{" "}
        {c.rateLimitPerHour} · {t.scopes}: {c.scopes.join(", ")} ·{" "}
        {c.disabledAt ? t.disabled : t.active}
      </p>
      <ApiKeysPanel
        t={t}
        keys={data.keys}
        action={`/admin/api/${c.id}`}
        csrf={data.csrf}
        now={data.now}
        newKey={data.outcome.newKey}
        errors={errors}
        values={data.outcome.values}
      />
      <section class="mb-6">
        <h2 class="text-xl font-semibold mb-2">{t.oauth}</h2>
        {data.secret && <NewSecret label={t.secretNow} secret={data.secret} testid="new-secret" />}
        <p class="mb-2 text-sm">
          {t.clientId}: <code data-testid="client-id">{c.oauthClientId}</code> ·{" "}
          {c.hasSecret ? `${t.hasSecret} (${c.secretPrefix}…)` : t.noSecret}
        </p>
        <PostForm csrf={data.csrf} class="flex gap-2">
          <Button kind="secondary" name="action" value="secret">{t.issueSecret}</Button>
          <Button kind="danger" name="action" value={c.disabledAt ? "enable" : "disable"}>
            {c.disabledAt ? t.enable : t.disable}
          </Button>
        </PostForm>
      </section>
    </>
  );
}
