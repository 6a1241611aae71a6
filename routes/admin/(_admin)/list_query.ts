/** Reading a back-office list's query (not a route: the "(_admin)" folder keeps it out of the router). */

/** The list page asked for in the query (`?page=`): a whole number from 1 to `last`, else 1. */
export function pageParam(query: URLSearchParams, last = 10_000): number {
  return Math.max(1, Math.min(last, Number(query.get("page")) || 1));
}

/** `value` when it is one of a filter's `choices`, else undefined (any). */
export function oneOf<T extends string>(
  choices: readonly T[],
  value: string | null,
): T | undefined {
  return (choices as readonly string[]).includes(value ?? "") ? value as T : undefined;
}
