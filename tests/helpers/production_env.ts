/**
 * The process looks like production for the length of `fn` (NODE_ENV=production, fakes not
 * allowed); `fn` may set ALLOW_FAKES_IN_PRODUCTION to force them. Both are put back afterwards.
 */
export async function asProduction(fn: () => Promise<void>): Promise<void> {
  const saved = {
    NODE_ENV: Deno.env.get("NODE_ENV"),
    ALLOW_FAKES_IN_PRODUCTION: Deno.env.get("ALLOW_FAKES_IN_PRODUCTION"),
  };
  Deno.env.set("NODE_ENV", "production");
  Deno.env.delete("ALLOW_FAKES_IN_PRODUCTION");
  try {
    await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) Deno.env.delete(k);
      else Deno.env.set(k, v);
    }
  }
}
