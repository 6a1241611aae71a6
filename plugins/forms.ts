/**
 * A posted form, as the back office's pages read it: its text fields (without the CSRF token),
 * its numbered rows (`lines.0.qty`, `lines.1.qty`…), and the person acting.
 */
import type { Context } from "@/framework/mod.ts";
import type { State } from "@/state.ts";

/** The posted form's text fields (without the CSRF token). */
export function formValues(ctx: Context<State>): Record<string, string> {
  const out: Record<string, string> = {};
  ctx.form?.forEach((v, k) => {
    if (typeof v === "string" && k !== "_csrf") out[k] = v;
  });
  return out;
}

/**
 * Form rows `lines.0.qty`, `lines.1.qty`… (at most 100), each with every field of `keys` ("" when
 * not posted). Rows missing from the numbering are dropped, or kept empty with `keepGaps` (so that
 * row i is still the form's line i).
 */
export function formLines<K extends string>(
  v: Record<string, string>,
  keys: readonly K[],
  opts: { keepGaps?: boolean } = {},
): Record<K, string>[] {
  const empty = () => Object.fromEntries(keys.map((k) => [k, ""])) as Record<K, string>;
  const out: Record<K, string>[] = [];
  for (const [k, val] of Object.entries(v)) {
    const m = /^lines\.(\d{1,2})\.(\w+)$/.exec(k);
    if (!m || !(keys as readonly string[]).includes(m[2])) continue;
    (out[Number(m[1])] ??= empty())[m[2] as K] = val;
  }
  if (!opts.keepGaps) return out.filter(Boolean);
  for (let i = 0; i < out.length; i++) out[i] ??= empty();
  return out;
}

/** The signed-in person acting, as the contexts record them (id and display name). */
export function actorOf(ctx: Context<State>): { id: string | null; name: string } {
  const u = ctx.state.user;
  return { id: u?.id ?? null, name: u?.displayName ?? "" };
}
