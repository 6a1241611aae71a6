/**
 * The one place that turns a thrown error into an HTTP status and a message a user may see.
 * HttpError carries its status; Zod errors become 422 with field messages; an error object with
 * a numeric `status` (e.g. a service's ForbiddenError) keeps it; anything else is a 500 whose
 * details are logged, never shown.
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

export function classifyError(e: unknown): ErrorInfo {
  if (e instanceof HttpError) {
    return { status: e.status, message: e.message, fields: e.options.fields, unexpected: false };
  }
  if (isZodError(e)) {
    return { status: 422, message: defaultMessage(422), fields: zodFields(e), unexpected: false };
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
