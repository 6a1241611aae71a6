/**
 * `requestLog({ context, log })`: every request gets an id — the client's `X-Request-Id` when it
 * is well-formed (1–128 of `A–Z a–z 0–9 . _ : -`), else a fresh UUID — returned in the response's
 * `X-Request-Id` header. The rest of the chain runs inside `context(id, …)` (so whatever it logs
 * or queues carries the id), and once the response is known `log` gets one entry: method, path,
 * route pattern, status, duration and the signed-in user (read from the state by `userId`).
 *
 * Put it first (outermost): then its duration covers everything and error pages are logged too.
 */
import type { Context, Middleware } from "../types.ts";

export const REQUEST_ID_HEADER = "x-request-id";
const VALID_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export interface RequestLogEntry {
  requestId: string;
  method: string;
  path: string;
  /** The matched route pattern ("/shop/:slug"), "static", or null (no route: 404). */
  route: string | null;
  status: number;
  durationMs: number;
  userId: string | null;
}

export interface RequestLogOptions<State> {
  /** Runs the rest of the chain with the request id known to the logger. */
  context: <T>(requestId: string, fn: () => T) => T;
  log: (entry: RequestLogEntry) => void;
  /** The signed-in user's id from the state after the chain ran (null: anonymous). */
  userId?: (state: State) => string | null | undefined;
  /** Generates an id when the client sent none (default crypto.randomUUID). */
  newId?: () => string;
}

/** A client's X-Request-Id when well-formed, else null. */
export function validRequestId(value: string | null | undefined): string | null {
  return value && VALID_ID.test(value) ? value : null;
}

export function requestLog<State>(opts: RequestLogOptions<State>): Middleware<State> {
  const newId = opts.newId ?? (() => crypto.randomUUID());
  return async (ctx: Context<State>) => {
    const started = performance.now();
    const requestId = validRequestId(ctx.req.headers.get(REQUEST_ID_HEADER)) ?? newId();
    ctx.responseHeaders.set(REQUEST_ID_HEADER, requestId);
    // (The framework hands a middleware a response, never an exception: errors are rendered.)
    const res = await opts.context(requestId, () => ctx.next());
    let userId: string | null = null;
    try {
      userId = opts.userId?.(ctx.state) ?? null;
    } catch { /* a state without a user */ }
    opts.context(requestId, () =>
      opts.log({
        requestId,
        method: ctx.req.method,
        path: ctx.url.pathname,
        route: ctx.route,
        status: res.status,
        durationMs: Math.round((performance.now() - started) * 10) / 10,
        userId,
      }));
    return res;
  };
}
