/** Small database helpers of the farm services. */

/** A numeric column (text from postgres.js) as a number, null kept. */
export function num(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

/** The columns every listing of farm_groups shows (id, code, name, kind, pen). */
export function groupBase(r: Record<string, unknown>) {
  return {
    id: r.id as number,
    code: r.code as string,
    name: r.name as string,
    kind: r.kind as string,
    pen: r.pen as string | null,
  };
}
