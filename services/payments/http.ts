/**
 * HTTP calls to payment providers: a timeout on every call (bKash asks for 30 s), JSON or form
 * bodies, and every transport failure turned into ProviderUnavailableError so callers know the
 * outcome is unknown (and query before deciding).
 */
import { ProviderUnavailableError } from "./types.ts";

export interface CallOptions {
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  json?: unknown;
  form?: Record<string, string>;
  timeoutMs: number;
}

export interface CallResult {
  status: number;
  body: Record<string, any>;
}

export async function callProvider(
  provider: string,
  url: string,
  opts: CallOptions,
): Promise<CallResult> {
  const headers: Record<string, string> = { accept: "application/json", ...opts.headers };
  let body: string | undefined;
  if (opts.json !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(opts.json);
  } else if (opts.form) {
    headers["content-type"] = "application/x-www-form-urlencoded";
    body = new URLSearchParams(opts.form).toString();
  }
  let res: Response;
  try {
    res = await fetch(url, {
      method: opts.method ?? (body ? "POST" : "GET"),
      headers,
      body,
      signal: AbortSignal.timeout(opts.timeoutMs),
      redirect: "error",
    });
  } catch (e) {
    const timedOut = e instanceof DOMException && e.name === "TimeoutError";
    throw new ProviderUnavailableError(
      provider,
      timedOut ? `no answer within ${opts.timeoutMs} ms` : `unreachable (${(e as Error).message})`,
      { cause: e },
    );
  }
  let text: string;
  try {
    text = await res.text();
  } catch (e) {
    throw new ProviderUnavailableError(provider, "the answer was cut off", { cause: e });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ProviderUnavailableError(
      provider,
      `HTTP ${res.status} with a body that is not JSON: ${text.slice(0, 120)}`,
    );
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new ProviderUnavailableError(provider, `HTTP ${res.status} with unexpected JSON`);
  }
  if (res.status >= 500) {
    throw new ProviderUnavailableError(provider, `HTTP ${res.status}`);
  }
  return { status: res.status, body: parsed as Record<string, any> };
}
