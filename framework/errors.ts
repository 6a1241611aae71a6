/**
 * The one place that turns a thrown error into an HTTP status and a message a user may see.
 * HttpError carries its status; Zod errors become 422 with field messages; an error object with
 * a numeric `status` (e.g. a service's ForbiddenError) keeps it; input the database or KV refuses
 * as malformed (a NUL byte, a number out of range, a value too long, a key too large) is a 400 —
 * the safety net behind the schemas, which should have refused it first; anything else is a 500
 * whose details are logged, never shown.
 */
import { defaultMessage, HttpError } from "./http_error.ts";

export interface ErrorInfo {
  status: number;
  message: string;
  fields?: Record<string, string[]>;
  /** Whether this is an unexpected error (logged with its stack). */
  unexpected: boolean;
}

interface ZodLike {
  name: string;
  issues: { path: PropertyKey[]; message: string }[];
}

function isZodError(e: unknown): e is ZodLike {
  return typeof e === "object" && e !== null && (e as ZodLike).name === "ZodError" &&
    Array.isArray((e as ZodLike).issues);
}

export function zodFields(e: ZodLike): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const issue of e.issues) {
    const key = issue.path.map(String).join(".") || "_";
    (fields[key] ??= []).push(issue.message);
  }
  return fields;
}

/**
 * PostgreSQL SQLSTATEs that mean "the value the client sent is malformed", not "we broke":
 * 22001 string too long, 22003 numeric out of range, 22007/22008 bad date/time, 22021 invalid byte
 * sequence (a NUL byte), 22P02 invalid text representation, 22P05 untranslatable character,
 * 2200D/2201B bad format/regex, 22023 invalid parameter value, 22025 invalid escape sequence,
 * 22026 string length mismatch, 22019 invalid escape character.
 */
const BAD_INPUT_SQLSTATES = new Set([
  "22001",
  "22003",
  "22007",
  "22008",
  "22019",
  "2200D",
  "2201B",
  "22021",
  "22023",
  "22025",
  "22026",
  "22P02",
  "22P05",
]);

/**
 * How often the safety net caught what a schema should have refused (the fuzz suite reads it to
 * name the routes whose schemas let bad input through).
 */
export const badInputNet = { hits: 0, last: "" };

/** Whether an error is the database or KV refusing a malformed value that came from the client. */
export function isBadInputError(e: unknown): boolean {
  if (typeof e !== "object" || e === null) return false;
  const code = (e as { code?: unknown }).code;
  if (typeof code === "string" && BAD_INPUT_SQLSTATES.has(code)) return true;
  const message = String((e as { message?: unknown }).message ?? "");
  // Deno KV: "Key too large for write (max 2048 bytes)", "… for read (max 2049 bytes)",
  // "Value too large (max 65536 bytes)".
  return /^(Key|Value) too large\b/.test(message);
}

export function classifyError(e: unknown): ErrorInfo {
  if (e instanceof HttpError) {
    return { status: e.status, message: e.message, fields: e.options.fields, unexpected: false };
  }
  if (isZodError(e)) {
    return { status: 422, message: defaultMessage(422), fields: zodFields(e), unexpected: false };
  }
  if (isBadInputError(e)) {
    badInputNet.hits++;
    badInputNet.last = String((e as Error).message).slice(0, 200);
    return { status: 400, message: defaultMessage(400), unexpected: false };
  }
  if (typeof e === "object" && e !== null) {
    const status = (e as { status?: unknown }).status;
    if (typeof status === "number" && status >= 400 && status < 500) {
      return {
        status,
        message: (e as Error).message || defaultMessage(status),
        unexpected: false,
      };
    }
  }
  return { status: 500, message: defaultMessage(500), unexpected: true };
}

/** Whether the client wants JSON rather than an HTML page. */
export function wantsJson(req: Request, url: URL): boolean {
  if (url.pathname.startsWith("/api/")) return true;
  const accept = req.headers.get("accept") ?? "";
  return accept.includes("application/json") && !accept.includes("text/html");
}

export function errorJson(info: ErrorInfo, requestId: string): Response {
  return Response.json(
    { error: { status: info.status, message: info.message, fields: info.fields, requestId } },
    { status: info.status },
  );
}

/**
 * The same error as RFC 9457 problem details (application/problem+json), for the URLs the app's
 * `problemDetails` option names: errors raised before or around their handlers (405, a malformed
 * query, …).
 */
export function errorProblem(info: ErrorInfo, instance: string): Response {
  const errors = info.fields
    ? Object.entries(info.fields).flatMap(([k, vs]) =>
      vs.map((detail) => ({
        location: "query",
        pointer: k === "_" ? "" : "/" + k.split(".").join("/"),
        detail,
      }))
    )
    : undefined;
  return new Response(
    JSON.stringify({
      type: "about:blank",
      title: info.message,
      status: info.status,
      detail: info.message,
      instance,
      ...(errors ? { errors } : {}),
    }),
    {
      status: info.status,
      headers: { "content-type": "application/problem+json", "cache-control": "no-store" },
    },
  );
}
