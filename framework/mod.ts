// The public surface of the Fresh-compatible layer.
export { createApp } from "./app.ts";
export type { AppOptions, FreshApp, ResponseInfo } from "./app.ts";
export { HttpError, redirect } from "./http_error.ts";
export { safePath } from "./redirect.ts";
export { bodyLimit, type BodyLimitOptions } from "./middlewares/body_limit.ts";
export { csrf, type CsrfOptions } from "./middlewares/csrf.ts";
export { csp, type CspOptions, securityHeaders } from "./middlewares/csp.ts";
export { compress } from "./middlewares/compress.ts";
export { staticFiles } from "./middlewares/static_files.ts";
export { trailingSlashes } from "./middlewares/trailing_slashes.ts";
export { isIpOrCidr, type RemoteAddr, type RequestInfo } from "./client_info.ts";
export { Head } from "./head.ts";
export { renderNonce } from "./islands.ts";
export { asset } from "./middlewares/static_files.ts";
export { deleteCookie, getCookies, setCookie } from "./cookies.ts";
export { zodFields } from "./errors.ts";
export type {
  Context,
  HandlerFn,
  Handlers,
  Middleware,
  PageProps,
  PageResult,
  RouteConfig,
} from "./types.ts";
export {
  REQUEST_ID_HEADER,
  requestLog,
  type RequestLogEntry,
  type RequestLogOptions,
  validRequestId,
} from "./middlewares/request_log.ts";
