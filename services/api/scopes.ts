/**
 * What an API caller may do: one scope per resource and action ("orders:write"). A key or a token
 * carries a subset of its client's scopes; every route names the one scope it needs.
 */
export const API_RESOURCES = [
  "catalog",
  "orders",
  "invoices",
  "deliveries",
  "farm",
  "iot",
  // Partners' webhook subscriptions (services/webhooks, /api/v1/webhooks).
  "webhooks",
] as const;
export type ApiResource = typeof API_RESOURCES[number];
export const API_ACTIONS = ["read", "write"] as const;
export type ApiAction = typeof API_ACTIONS[number];
export type ApiScope = `${ApiResource}:${ApiAction}`;

/** Every scope there is, in a stable order. */
export const API_SCOPES: readonly ApiScope[] = API_RESOURCES.flatMap((r) =>
  API_ACTIONS.map((a) => `${r}:${a}` as ApiScope)
);

/** Resources a B2B account's own client may be given (the catalog, its own orders and invoices). */
export const B2B_SCOPES: readonly ApiScope[] = [
  "catalog:read",
  "orders:read",
  "orders:write",
  "invoices:read",
];

export function isScope(s: string): s is ApiScope {
  return (API_SCOPES as readonly string[]).includes(s);
}

/** The scopes in `wanted` that `granted` allows ("x:write" does not imply "x:read"). */
export function grants(granted: readonly string[], wanted: ApiScope): boolean {
  return granted.includes(wanted);
}
