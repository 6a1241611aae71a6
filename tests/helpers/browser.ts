/**
 * Browser tests drive Debian's Chromium through playwright-core. When Chromium is missing the
 * tests report themselves ignored (by name) instead of failing.
 */
import { type Browser, chromium } from "playwright-core";

export const CHROMIUM = Deno.env.get("CHROMIUM_PATH") ?? "/usr/bin/chromium";

export const hasChromium = (() => {
  try {
    return Deno.statSync(CHROMIUM).isFile;
  } catch {
    return false;
  }
})();

if (!hasChromium) console.warn(`browser tests skipped: no Chromium at ${CHROMIUM}`);

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
}

/** Serves a fetch handler on a free loopback port for the length of `fn`. */
export async function withServer<T>(
  handler: (req: Request) => Response | Promise<Response>,
  fn: (baseUrl: string) => Promise<T>,
): Promise<T> {
  const ac = new AbortController();
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", signal: ac.signal, onListen: () => {} },
    handler,
  );
  try {
    return await fn(`http://127.0.0.1:${server.addr.port}`);
  } finally {
    ac.abort();
    await server.finished;
  }
}
