/**
 * The one open-redirect guard: `ctx.redirect()` (and `safePath()` for code that builds a
 * location without a context) accepts only paths on our own origin, after the normalisation a
 * browser applies. Browsers turn "\" into "/" and drop tabs and newlines, so "/\evil.example",
 * "/%5Cevil.example" (once decoded by the query parser) and "/\t/evil.example" all become
 * "//evil.example", another site. Anything that is not plainly a same-origin path falls back.
 */
const BASE = "http://same-origin.invalid";
const MAX_LENGTH = 2000;

/** `target` as a same-origin path ("/a?b#c"), or `fallback` when it could leave the site. */
export function safePath(target: string | null | undefined, fallback = "/"): string {
  if (typeof target !== "string" || !target || target.length > MAX_LENGTH) return fallback;
  // A path, not a scheme-relative URL ("//evil") or an absolute one ("https://evil").
  if (target[0] !== "/" || target[1] === "/") return fallback;
  // Backslashes, control characters (tab, CR, LF, NUL…) and DEL are rewritten or stripped by
  // URL parsers; no honest path of ours contains them. Percent-encoded ones stay encoded and
  // are harmless (the browser does not decode them before resolving the location).
  // deno-lint-ignore no-control-regex
  if (/[\x00-\x1f\x7f\\]/.test(target)) return fallback;
  let u: URL;
  try {
    u = new URL(target, BASE);
  } catch {
    return fallback;
  }
  if (u.origin !== BASE) return fallback;
  const path = u.pathname + u.search + u.hash;
  // After dot-segment removal the path must still be a single-slash path.
  return path.startsWith("//") ? fallback : path;
}

/** A redirect to `target` if it is a same-origin path, else to `fallback`. */
export function redirectTo(
  target: string | null | undefined,
  status = 303,
  fallback = "/",
  headers?: HeadersInit,
): Response {
  const h = new Headers(headers);
  h.set("location", safePath(target, safePath(fallback, "/")));
  return new Response(null, { status, headers: h });
}
