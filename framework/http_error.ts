import { safePath } from "./redirect.ts";

/** An error that carries the HTTP status it should be answered with. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message?: string,
    readonly options: { fields?: Record<string, string[]>; headers?: HeadersInit } = {},
  ) {
    super(message ?? defaultMessage(status));
    this.name = "HttpError";
  }
}

export function defaultMessage(status: number): string {
  switch (status) {
    case 400:
      return "Bad request";
    case 401:
      return "Please sign in";
    case 403:
      return "You do not have permission to do that";
    case 404:
      return "Page not found";
    case 405:
      return "Method not allowed";
    case 409:
      return "Conflict";
    case 413:
      return "Request too large";
    case 422:
      return "Some fields need attention";
    case 429:
      return "Too many requests; please wait and try again";
    default:
      return status >= 500 ? "Something went wrong on our side" : "Request failed";
  }
}

/**
 * Stops the handler and redirects (303 See Other by default): `throw redirect("/signin")`.
 * Like ctx.redirect(), only to a path on this site (anything else goes to "/").
 */
export function redirect(location: string, status: 301 | 302 | 303 | 307 | 308 = 303): HttpError {
  return new HttpError(status, "Redirect", { headers: { location: safePath(location, "/") } });
}
