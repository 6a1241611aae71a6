/** /admin/api: the public API's clients (partners and B2B accounts), and a new partner client. */
import type { Context, Handlers, PageProps } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import { assertSignedIn } from "@/plugins/session.ts";
import { formValues } from "@/plugins/forms.ts";
import {
  API_SCOPES,
  type ApiClient,
  apiMessages,
  DEFAULT_RATE_LIMIT,
  ValidationError,
} from "@/services/api/mod.ts";
import { Button, CheckboxGrid, Field, inputClass, ListTable, PostForm } from "@/components/ui.tsx";

interface Data {
  clients: (ApiClient & { calls: number })[];
  errors: Record<string, string>;
  values: Record<string, string>;
  scopes: string[];
  csrf: string;
}

async function show(
  ctx: Context<State>,
  form: { errors: Record<string, string>; values: Record<string, string>; scopes: string[] } = {
    errors: {},
    values: {},
    scopes: [],
  },
  status = 200,
) {
  const api = ctx.state.deps.api;
  const clients = await api.listClients();
  const usage = await Promise.all(clients.map((c) => api.usage(c.id)));
  ctx.state.title = `${apiMessages(ctx.state.lang).title} — Smart Dairy admin`;
  return {
    status,
    data: {
      clients: clients.map((c, i) => ({ ...c, calls: usage[i].calls })),
      ...form,
      csrf: await ctx.csrfToken(),
    },
  };
}

export const handler: Handlers<Data, State> = {
  GET: (ctx) => show(ctx),
  async POST(ctx) {
    const user = assertSignedIn(ctx);
    const v = formValues(ctx);
    const scopes = ctx.form?.getAll("scopes").map(String) ?? [];
    try {
      const c = await ctx.state.deps.api.createClient({
        name: v.name ?? "",
        kind: "partner",
        scopes: scopes as never,
        rateLimitPerHour: Number(v.limit || DEFAULT_RATE_LIMIT),
      }, { id: user.id, name: user.displayName });
      return ctx.redirect(`/admin/api/${c.id}`);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      const errors: Record<string, string> = {};
      for (const k of Object.keys(e.fieldErrors)) {
        const f = k.split(".")[0];
        errors[f === "rateLimitPerHour" ? "limit" : f] = f === "rateLimitPerHour" ? "limit" : f;
      }
      return await show(ctx, { errors, values: v, scopes }, 422);
    }
  },
};

export default function ApiClients({ data, state }: PageProps<Data, State>) {
  const t = apiMessages(state.lang);
  const err = (k: string) =>
    data.errors[k] ? (t.errors[data.errors[k]] ?? t.errors.other) : undefined;
  return (
    <>
      <h1 class="text-2xl font-bold mb-2">{t.title}</h1>
      <p class="mb-4 text-gray-700">
        {t.intro} <a href="/api/docs" class="text-brand-700 underline">{t.docs}</a>
      </p>
      <ListTable
        heads={[t.name, t.kind, t.scopes, t.limit, t.usage, t.status]}
        empty={t.noClients}
        class="mb-6"
      >
        {data.clients.map((c) => (
          <tr class="border-t" data-client={c.id}>
            <td class="px-3 py-2">
              <a href={`/admin/api/${c.id}`} class="text-brand-700 underline">{c.name}</a>
            </td>
            <td class="px-3 py-2">{c.kind === "b2b" ? t.b2b : t.partner}</td>
            <td class="px-3 py-2 text-xs">{c.scopes.join(", ")}</td>
            <td class="px-3 py-2">{c.rateLimitPerHour}</td>
            <td class="px-3 py-2">{c.calls}</td>
            <td class="px-3 py-2">{c.disabledAt ? t.disabled : t.active}</td>
          </tr>
        ))}
      </ListTable>
      <PostForm csrf={data.csrf} class="max-w-xl">
        <h2 class="text-xl font-semibold mb-2">{t.newClient}</h2>
        <Field id="client-name" label={t.name} error={err("name")}>
          <input
            id="client-name"
            name="name"
            required
            maxLength={120}
            value={data.values.name ?? ""}
            class={inputClass(!!data.errors.name)}
          />
        </Field>
        <fieldset class="mb-4">
          <legend class="block text-sm font-medium mb-1">{t.scopes}</legend>
          <CheckboxGrid
            name="scopes"
            options={API_SCOPES.map((s) => [s, s])}
            checked={data.scopes}
            class="grid grid-cols-2 gap-1"
            labelClass="text-sm"
          />
          {err("scopes") && <p class="text-sm text-red-700" role="alert">{err("scopes")}</p>}
        </fieldset>
        <Field id="client-limit" label={t.limit} error={err("limit")}>
          <input
            id="client-limit"
            name="limit"
            type="number"
            min={1}
            max={1000000}
            value={data.values.limit ?? String(DEFAULT_RATE_LIMIT)}
            class={inputClass(!!data.errors.limit)}
          />
        </Field>
        <Button>{t.create}</Button>
      </PostForm>
    </>
  );
}
