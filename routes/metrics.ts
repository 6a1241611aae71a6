import { metrics } from "@/services/platform/mod.ts";

/** Prometheus metrics for this process. */
export const handler = () =>
  new Response(metrics.render(), {
    headers: { "content-type": "text/plain; version=0.0.4", "cache-control": "no-store" },
  });
