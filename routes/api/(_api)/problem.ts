/**
 * RFC 9457 problem details for every API error: `application/problem+json` with type, title,
 * status, detail and, for input errors, `errors` naming each field by where it was (body, query,
 * path, header) and its JSON Pointer. The one place that maps the contexts' errors to statuses
 * for the API (framework/errors.ts `classifyError` underneath).
 */
import { classifyError } from "@/framework/errors.ts";
import { HttpError } from "@/framework/mod.ts";
import { ApiAuthError, OAuthError } from "@/services/api/mod.ts";
import { log } from "@/services/platform/mod.ts";

export type Location = "body" | "query" | "path" | "header";

export interface FieldProblem {
  location: Location;
  /** JSON Pointer (RFC 6901) to the value, e.g. "/lines/0/qty". */
  pointer: string;
  detail: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: FieldProblem[];
}

const TITLES: Record<number, string> = {
  400: "Bad request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not found",
  405: "Method not allowed",
  406: "Not acceptable",
  409: "Conflict",
  413: "Payload too large",
  415: "Unsupported media type",
  422: "Unprocessable content",
  428: "Precondition required",
  429: "Too many requests",
  500: "Internal server error",
};

/** A problem's type URI: a page of docs/api.md, so a developer can read what it means. */
export function problemType(slug: string): string {
  return `https://smartdairy.com.bd/docs/api#problem-${slug}`;
}

/** An error carrying a finished problem (field errors from our own request parsing). */
export class ProblemError extends Error {
  constructor(readonly problem: Problem, readonly headers: Record<string, string> = {}) {
    super(problem.detail);
    this.name = "ProblemError";
  }
}

export function fieldProblem(
  status: 400 | 422,
  detail: string,
  errors: FieldProblem[],
): ProblemError {
  return new ProblemError({
    type: problemType(status === 400 ? "malformed" : "validation"),
    title: TITLES[status],
    status,
    detail,
    errors,
  });
}

export function problemResponse(p: Problem, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(p), {
    status: p.status,
    headers: {
      "content-type": "application/problem+json",
      "cache-control": "no-store",
      ...headers,
    },
  });
}

/** "lines.0.qty" (a service's field key) → "/lines/0/qty". */
export function pointerOf(path: readonly PropertyKey[] | string): string {
  const parts = typeof path === "string" ? path.split(".") : path.map(String);
  if (parts.length === 0 || (parts.length === 1 && (parts[0] === "" || parts[0] === "form"))) {
    return "";
  }
  return "/" + parts.map((p) => p.replaceAll("~", "~0").replaceAll("/", "~1")).join("/");
}

/** Any error thrown while answering an API call, as a problem response. */
export function problemFor(e: unknown, req: Request): Response {
  const instance = new URL(req.url).pathname;
  if (e instanceof ProblemError) return problemResponse({ ...e.problem, instance }, e.headers);
  if (e instanceof ApiAuthError) {
    return problemResponse({
      type: problemType(e.code),
      title: TITLES[e.status],
      status: e.status,
      detail: e.message,
      instance,
    }, e.headers);
  }
  if (e instanceof OAuthError) {
    // RFC 6749 §5.2 fields alongside the problem's.
    return new Response(
      JSON.stringify({
        error: e.error,
        error_description: e.message,
        type: problemType(e.error),
        title: TITLES[e.status],
        status: e.status,
        detail: e.message,
      }),
      {
        status: e.status,
        headers: {
          "content-type": "application/json",
          "cache-control": "no-store",
          ...(e.status === 401 ? { "WWW-Authenticate": `Basic realm="api"` } : {}),
        },
      },
    );
  }
  // A service's ValidationError: field keys to pointers in the body.
  const fieldErrors = (e as { fieldErrors?: Record<string, string> })?.fieldErrors;
  const info = classifyError(e);
  if (info.unexpected) log.error("api call failed", { path: instance, error: e });
  const errors: FieldProblem[] = [];
  if (fieldErrors && typeof fieldErrors === "object") {
    for (const [k, v] of Object.entries(fieldErrors)) {
      errors.push({ location: "body", pointer: pointerOf(k), detail: v });
    }
  } else if (info.fields) {
    for (const [k, vs] of Object.entries(info.fields)) {
      for (const v of vs) errors.push({ location: "body", pointer: pointerOf(k), detail: v });
    }
  }
  const headers: Record<string, string> = {};
  if (e instanceof HttpError && e.options.headers) {
    new Headers(e.options.headers).forEach((v, k) => headers[k] = v);
  }
  return problemResponse({
    type: problemType(
      info.status === 422
        ? "validation"
        : info.status === 404
        ? "not-found"
        : info.status === 409
        ? "conflict"
        : info.status >= 500
        ? "server"
        : String(info.status),
    ),
    title: TITLES[info.status] ?? info.message,
    status: info.status,
    detail: info.unexpected ? "Something went wrong on our side" : info.message,
    instance,
    ...(errors.length ? { errors } : {}),
  }, headers);
}
