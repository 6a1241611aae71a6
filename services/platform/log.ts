/**
 * Structured logs: one JSON line per event on stdout (time, level, msg, and the request's id,
 * user, route, status and duration when there is one), below LOG_LEVEL dropped.
 *
 * The request id travels with the work it starts: the web request runs inside `withLogContext`
 * (framework/middlewares/request_log.ts), the outbox stores it with each queued message
 * (outbox_messages.request_id) and the worker logs the delivery inside the same context again.
 * MQTT publishes carry it as the v5 user property `request-id` (`mqttUserProperties()`).
 */
import { AsyncLocalStorage } from "node:async_hooks";

export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
export type LogLevel = typeof LOG_LEVELS[number];
const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface LogContext {
  requestId?: string;
  userId?: string;
  /** Which process part logs: "web", "outbox", "ingest"… */
  component?: string;
  /** The public API's caller (services/api): its client id and key prefix. */
  apiClient?: number;
  apiKey?: string;
}

export type LogFields = Record<string, unknown>;

const store = new AsyncLocalStorage<LogContext>();
/** LOG_LEVEL from the environment until the configuration sets it (scripts, tests). */
function envLevel(): number {
  try {
    const v = Deno.env.get("LOG_LEVEL");
    return v && v in RANK ? RANK[v as LogLevel] : RANK.info;
  } catch {
    return RANK.info; // no --allow-env
  }
}
let threshold: number = envLevel();
let sink: (line: string) => void = (line) => console.log(line);

/** LOG_LEVEL of the configuration (main.ts, workers/bootstrap.ts). */
export function setLogLevel(level: LogLevel): void {
  threshold = RANK[level];
}

/** The level in force. */
export function logLevel(): LogLevel {
  return LOG_LEVELS.find((l) => RANK[l] === threshold) ?? "info";
}

/** Where the lines go (stdout by default); returns the previous sink. For tests. */
export function setLogSink(next: (line: string) => void): (line: string) => void {
  const prev = sink;
  sink = next;
  return prev;
}

/** Runs `fn` with `ctx` merged into the current context: every line logged inside carries it. */
export function withLogContext<T>(ctx: LogContext, fn: () => T): T {
  return store.run({ ...store.getStore(), ...ctx }, fn);
}

/** The current log context (a copy), e.g. to add the user once the session is known. */
export function logContext(): LogContext {
  return { ...store.getStore() };
}

/** Sets fields of the current context in place (the user id, once the session is read). */
export function annotateLogContext(ctx: LogContext): void {
  const cur = store.getStore();
  if (cur) Object.assign(cur, ctx);
}

/** The id of the request being served (or whose queued work is being done), if any. */
export function currentRequestId(): string | null {
  return store.getStore()?.requestId ?? null;
}

/** What an X-Request-Id may be: 1–128 characters of letters, digits and `._:-`. */
export const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/** A client's X-Request-Id when it is well-formed, else a fresh random one. */
export function requestIdFrom(header: string | null | undefined): string {
  return header && REQUEST_ID_PATTERN.test(header) ? header : crypto.randomUUID();
}

function errorFields(e: unknown): LogFields {
  if (e instanceof Error) return { error: e.message, error_name: e.name, stack: e.stack };
  return { error: String(e) };
}

function write(level: LogLevel, msg: string, fields?: LogFields): void {
  if (RANK[level] < threshold) return;
  const ctx = store.getStore();
  const entry: LogFields = { time: new Date().toISOString(), level, msg };
  if (ctx?.component) entry.component = ctx.component;
  if (ctx?.requestId) entry.request_id = ctx.requestId;
  if (ctx?.userId) entry.user_id = ctx.userId;
  if (ctx?.apiClient !== undefined) entry.api_client = ctx.apiClient;
  if (ctx?.apiKey) entry.api_key = ctx.apiKey;
  if (fields) {
    for (const [k, v] of Object.entries(fields)) {
      if (v === undefined) continue;
      if (k === "error") Object.assign(entry, errorFields(v));
      else entry[k] = v;
    }
  }
  let line: string;
  try {
    line = JSON.stringify(entry, (_k, v) => typeof v === "bigint" ? v.toString() : v);
  } catch {
    line = JSON.stringify({ time: entry.time, level, msg, note: "fields not serialisable" });
  }
  try {
    sink(line);
  } catch { /* logging never breaks the caller */ }
}

export const log = {
  debug: (msg: string, fields?: LogFields) => write("debug", msg, fields),
  info: (msg: string, fields?: LogFields) => write("info", msg, fields),
  warn: (msg: string, fields?: LogFields) => write("warn", msg, fields),
  error: (msg: string, fields?: LogFields) => write("error", msg, fields),
};
export type Logger = typeof log;

/** MQTT v5 user properties carrying the current request id (empty outside a request). */
export function mqttUserProperties(): Record<string, string> {
  const id = currentRequestId();
  return id ? { "request-id": id } : {};
}
