/**
 * An API client's keys: the list (prefix, scopes, last use, state) with revoke and rotate, the
 * form for a new key, and — only in the answer to the POST that made it — the new key itself.
 * Used by the back office (/admin/api/:id) and the B2B portal (/b2b/api).
 */
import type { ApiKeyRow, ApiMessages } from "@/services/api/mod.ts";
import { Button, Field, inputClass, ListTable } from "@/components/ui.tsx";

export function NewSecret(props: { label: string; secret: string; testid: string }) {
  return (
    <div class="border-2 border-amber-400 bg-amber-50 rounded p-3 mb-4" role="status">
      <p class="font-semibold mb-1">{props.label}</p>
      <code class="block break-all text-sm bg-white p-2 border rounded" data-testid={props.testid}>
        {props.secret}
      </code>
    </div>
  );
}

function keyState(t: ApiMessages, k: ApiKeyRow, now: Date): string {
  if (k.revokedAt) return t.revoked;
  if (k.expiresAt && k.expiresAt.getTime() <= now.getTime()) return t.expired;
  if (k.rotatedTo) {
    return `${t.rotated} → ${k.expiresAt?.toISOString().slice(0, 16).replace("T", " ")}`;
  }
  return t.active;
}

export function ApiKeysPanel(props: {
  t: ApiMessages;
  keys: ApiKeyRow[];
  action: string;
  csrf: string;
  now: Date;
  newKey?: string | null;
  errors?: Record<string, string>;
  values?: Record<string, string>;
}) {
  const { t, now } = props;
  const fmt = (d: Date | null) => d ? d.toISOString().slice(0, 16).replace("T", " ") : t.never;
  return (
    <section class="mb-6">
      <h2 class="text-xl font-semibold mb-2">{t.keys}</h2>
      {props.newKey && <NewSecret label={t.copyNow} secret={props.newKey} testid="new-key" />}
      <ListTable
        heads={[t.keyName, t.scopes, t.created, t.lastUsed, t.status, ""]}
        empty={t.noKeys}
        class="mb-4"
      >
        {props.keys.map((k) => {
          const usable = !k.revokedAt && !k.rotatedTo &&
            !(k.expiresAt && k.expiresAt.getTime() <= now.getTime());
          return (
            <tr class="border-t" data-key={k.prefix}>
              <td class="px-3 py-2">
                {k.name} <code class="text-xs">{k.prefix}…</code>
              </td>
              <td class="px-3 py-2 text-xs">{k.scopes.join(", ")}</td>
              <td class="px-3 py-2 text-sm">{fmt(k.createdAt)}</td>
              <td class="px-3 py-2 text-sm">{fmt(k.lastUsedAt)}</td>
              <td class="px-3 py-2 text-sm">{keyState(t, k, now)}</td>
              <td class="px-3 py-2">
                {usable && (
                  <form method="post" action={props.action} class="flex gap-2">
                    <input type="hidden" name="_csrf" value={props.csrf} />
                    <input type="hidden" name="keyId" value={String(k.id)} />
                    <Button kind="secondary" name="action" value="rotate">{t.rotate}</Button>
                    <Button kind="danger" name="action" value="revoke">{t.revoke}</Button>
                  </form>
                )}
              </td>
            </tr>
          );
        })}
      </ListTable>
      <form method="post" action={props.action} class="max-w-md">
        <input type="hidden" name="_csrf" value={props.csrf} />
        <h3 class="font-semibold mb-2">{t.newKey}</h3>
        <Field id="key-name" label={t.keyName} error={props.errors?.name}>
          <input
            id="key-name"
            name="name"
            required
            maxLength={120}
            value={props.values?.name ?? ""}
            class={inputClass(!!props.errors?.name)}
          />
        </Field>
        <Field id="key-expires" label={t.expires} error={props.errors?.expiresAt}>
          <input
            id="key-expires"
            name="expiresOn"
            type="date"
            value={props.values?.expiresOn ?? ""}
            class={inputClass(!!props.errors?.expiresAt)}
          />
        </Field>
        <Button name="action" value="key">{t.create}</Button>
      </form>
    </section>
  );
}
