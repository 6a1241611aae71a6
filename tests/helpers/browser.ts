/**
 * Browser tests drive Debian's Chromium through playwright-core. When Chromium is missing the
 * tests report themselves ignored (by name) instead of failing.
 */
import { type Browser, chromium, type Page } from "playwright-core";

export const CHROMIUM = Deno.env.get("CHROMIUM_PATH") ?? "/usr/bin/chromium";

export const hasChromium = (() => {
  try {
    return Deno.statSync(CHROMIUM).isFile;
  } catch {
    return false;
  }
})();

if (!hasChromium) console.warn(`browser tests skipped: no Chromium at ${CHROMIUM}`);

/** The options of every browser test: ignored without Chromium; the browser outlives awaits. */
export const browserTest = { ignore: !hasChromium, sanitizeResources: false, sanitizeOps: false };

const SHOTS = Deno.env.get("E2E_SCREENSHOTS");

/** Keeps a screenshot of `page` as `<name>.png` in $E2E_SCREENSHOTS (nothing when unset). */
export async function shot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  await Deno.mkdir(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

/**
 * What fails a browser test, collected while it runs: script errors, 5xx answers and, with
 * `console`, errors logged to the console (CSP refusals among them).
 */
export function watchPage(page: Page, opts: { console?: boolean } = {}): string[] {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  if (opts.console) {
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
  }
  page.on("response", (r) => {
    if (r.status() >= 500) errors.push(`${r.status()} ${r.url()}`);
  });
  return errors;
}

/** Signs in through the form of /signin?next=`next` and waits to land on `next`. */
export async function signInOnPage(
  page: Page,
  base: string,
  next: string,
  identifier: string,
  password: string,
): Promise<void> {
  await page.goto(`${base}/signin?next=${encodeURIComponent(next)}`);
  await page.fill("#identifier", identifier);
  await page.fill("#password", password);
  await page.click("button[type=submit]");
  await page.waitForURL(`${base}${next}`);
}

/**
 * Sends `entries` to a phone's sync endpoint from the page itself (its session and CSRF token), as
 * a lost answer or a second tap would send them again: each entry's status.
 */
export function syncFromPage(page: Page, path: string, entries: unknown[]): Promise<string[]> {
  return page.evaluate(async ({ path, entries }) => {
    const { csrf } = await (await fetch(path, { headers: { accept: "application/json" } })).json();
    const res = await fetch(path, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json",
        "x-csrf-token": csrf,
      },
      body: JSON.stringify({ entries }),
    });
    return (await res.json()).results.map((r: { status: string }) => r.status);
  }, { path, entries });
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
}

/** A browser and `handler` served on a free loopback port for the length of `fn`. */
export async function withBrowser<T>(
  handler: (req: Request) => Response | Promise<Response>,
  fn: (browser: Browser, baseUrl: string) => Promise<T>,
): Promise<T> {
  const browser = await launchBrowser();
  try {
    return await withServer(handler, (base) => fn(browser, base));
  } finally {
    await browser.close();
  }
}

/**
 * One page of a fresh browser on `handler` at `viewport`, its failures watched (`watchPage`, with
 * `watch`): what most browser tests start from.
 */
export async function withPage<T>(
  handler: (req: Request) => Response | Promise<Response>,
  viewport: { width: number; height: number },
  fn: (page: Page, baseUrl: string, errors: string[]) => Promise<T>,
  watch: { console?: boolean } = {},
): Promise<T> {
  return await withBrowser(handler, async (browser, base) => {
    const page = await browser.newPage({ viewport });
    return await fn(page, base, watchPage(page, watch));
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

/**
 * Waits until the service worker controls the page and has (or, with `kept` false, no longer
 * has) a copy of `path` in its cache. (Polled from here: the page's answer is a promise, which
 * Playwright's waitForFunction would take as truthy at once.)
 */
export async function waitForKeptPage(page: Page, path: string, kept = true): Promise<void> {
  for (let i = 0; i < 150; i++) {
    const now = await page.evaluate(
      async (p) => !!navigator.serviceWorker.controller && !!(await caches.match(p)),
      path,
    );
    if (now === kept) return;
    await page.waitForTimeout(100);
  }
  throw new Error(`the service worker ${kept ? "did not keep" : "still keeps"} ${path}`);
}
