/**
 * What routes may use of the platform (the plumbing every context shares): the configuration's
 * type and public origin, the metrics registry, fixed-window rate limits in KV, the query-string
 * guard and the service error classes. Opening the database and KV, migrations and secrets stay
 * with main.ts.
 */
export { type Config, publicOrigin } from "./config.ts";
export { metrics } from "./metrics.ts";
export { rateLimit } from "./kv.ts";
export { assertCleanQuery } from "./schema.ts";
export { ConflictError, NotFoundError, parseInput, ValidationError } from "./errors.ts";
export { metricsResponse, metricsToken } from "./metrics_http.ts";
export { annotateLogContext, log } from "./log.ts";
