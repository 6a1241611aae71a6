/** API test fixtures: a shop-seeded app, a partner client with a key, and authed fetches. */
import type { ShopTest } from "@/tests/shop/_helpers.ts";
import type { ApiScope } from "@/services/api/mod.ts";

export const STAFF = { id: null, name: "test" };

/** A partner client with the given scopes and one key; the key's secret. */
export async function partnerKey(
  s: ShopTest,
  scopes: ApiScope[],
  opts: { limit?: number; name?: string } = {},
): Promise<{ key: string; clientId: number; keyId: number }> {
  const c = await s.deps.api.createClient({
    name: opts.name ?? "Partner",
    kind: "partner",
    scopes,
    rateLimitPerHour: opts.limit ?? 1000,
  }, STAFF);
  const k = await s.deps.api.createKey(c.id, { name: "test" }, STAFF);
  return { key: k.key, clientId: c.id, keyId: k.row.id };
}

export function api(
  s: ShopTest,
  key: string,
  path: string,
  init: RequestInit & { json?: unknown; idem?: string } = {},
): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set("authorization", `Bearer ${key}`);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set("content-type", "application/json");
    body = JSON.stringify(init.json);
  }
  if (init.idem) headers.set("idempotency-key", init.idem);
  return s.fetch(path, { ...init, headers, body });
}
