/** Liveness: the process is up and serving. */
export const handler = () =>
  new Response("ok\n", { headers: { "content-type": "text/plain", "cache-control": "no-store" } });
