/**
 * The image's HEALTHCHECK: exits 0 when GET /healthz on this container answers 200 within
 * 2 seconds, else 1. Port from HEALTHCHECK_PORT, else PORT (default 8000).
 */
const port = Deno.env.get("HEALTHCHECK_PORT") ?? Deno.env.get("PORT") ?? "8000";
try {
  const res = await fetch(`http://127.0.0.1:${port}/healthz`, {
    signal: AbortSignal.timeout(2000),
  });
  await res.body?.cancel();
  Deno.exit(res.ok ? 0 : 1);
} catch {
  Deno.exit(1);
}
