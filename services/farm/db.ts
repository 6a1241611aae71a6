/** Small database helpers of the farm services. */

/** A numeric column (text from postgres.js) as a number, null kept. */
export function num(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}
