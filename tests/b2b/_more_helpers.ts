/** B2B test helpers for the second slice: multipart uploads and posting as a signed-in person. */
import type { TestApp } from "@/tests/helpers/app.ts";

/** Posts a multipart form (a file and fields) with the page's CSRF token and cookies. */
export function postFile(
  t: TestApp,
  path: string,
  fields: Record<string, string>,
  file: { name: string; type: string; bytes: Uint8Array } | null,
  s: { cookie: string; token: string },
): Promise<Response> {
  const fd = new FormData();
  fd.set("_csrf", s.token);
  for (const [k, v] of Object.entries(fields)) fd.set(k, v);
  if (file) {
    fd.set(
      "file",
      new File([file.bytes as Uint8Array<ArrayBuffer>], file.name, { type: file.type }),
    );
  }
  return t.fetch(path, {
    method: "POST",
    body: fd,
    redirect: "manual",
    headers: { cookie: s.cookie, origin: "http://localhost", host: "localhost" },
  });
}

/** A small real PDF (its first bytes say so). */
export function pdf(text = "trade licence"): Uint8Array {
  return new TextEncoder().encode(
    `%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\n% ${text}\ntrailer <</Root 1 0 R>>\n%%EOF\n`,
  );
}
