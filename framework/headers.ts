/**
 * Applies header changes to a response. Responses from Response.redirect() have immutable
 * headers: only then (the set throws) is the response copied, so the common path does no extra
 * header work.
 */
export function withHeaders(res: Response, apply: (headers: Headers) => void): Response {
  try {
    apply(res.headers);
    return res;
  } catch {
    const copy = new Response(res.body, {
      status: res.status,
      statusText: res.statusText,
      headers: new Headers(res.headers),
    });
    apply(copy.headers);
    return copy;
  }
}
