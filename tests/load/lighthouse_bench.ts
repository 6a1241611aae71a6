/**
 * `deno task bench --only lighthouse`: Lighthouse (npm `lighthouse`, Debian's Chromium, mobile
 * form factor with simulated throttling) on the embedded start as a newcomer gets it — `main.ts`
 * with nothing configured, in a scratch data directory, demo data and photos seeded — for the
 * home page, the shop and a product page with photos. Prints each category's score (0–100) and
 * the lowest of them all (the goal: at least 95). Only run when asked for: it takes minutes.
 */
import lighthouse from "lighthouse";
import * as chromeLauncher from "chrome-launcher";
import { type Figure, figure } from "./harness.ts";

const CHROMIUM = Deno.env.get("CHROMIUM_PATH") ?? "/usr/bin/chromium";
const CATEGORIES = ["performance", "accessibility", "best-practices", "seo"] as const;

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/** `deno run -A main.ts` on embedded defaults; resolves once /healthz answers. */
async function startEmbedded(): Promise<{ url: string; stop(): Promise<void> }> {
  const dir = await Deno.makeTempDir({ prefix: "sd-lighthouse-" });
  const port = freePort();
  const env = { ...Deno.env.toObject() };
  for (const k of ["DATABASE_URL", "MQTT_URL", "KV_PATH", "KV_URL"]) delete env[k];
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "main.ts"],
    cwd: new URL("../../", import.meta.url),
    env: {
      ...env,
      PORT: String(port),
      MQTT_PORT: String(freePort()),
      DATA_DIR: `${dir}/data`,
      LOG_LEVEL: "error",
    },
    clearEnv: true,
    stdout: "null",
    stderr: "null",
  }).spawn();
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    try {
      child.kill("SIGTERM");
    } catch { /* already gone */ }
    await child.status;
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  };
  const until = performance.now() + 180_000;
  while (performance.now() < until) {
    const ok = await fetch(`${url}/healthz`).then((r) => (r.body?.cancel(), r.ok), () => false);
    if (ok) return { url, stop };
    await new Promise((r) => setTimeout(r, 500));
  }
  await stop();
  throw new Error("the embedded start did not answer /healthz within 180 s");
}

/** The first product page of the shop that shows a photo (its sizes made by the photo pipeline). */
async function productWithPhotos(base: string): Promise<string> {
  const until = performance.now() + 120_000;
  while (performance.now() < until) {
    const shop = await (await fetch(`${base}/shop`)).text();
    for (const [, href] of shop.matchAll(/href="(\/shop\/products\/[^"?#]+)"/g)) {
      const page = await (await fetch(`${base}${href}`)).text();
      if (/<img[^>]+srcset=/.test(page)) return href;
    }
    await new Promise((r) => setTimeout(r, 2000));
  }
  throw new Error("no product page with photos on the embedded start");
}

export async function benchLighthouse(): Promise<Figure[]> {
  const app = await startEmbedded();
  const chrome = await chromeLauncher.launch({
    chromePath: CHROMIUM,
    chromeFlags: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
    ],
  });
  const figures: Figure[] = [];
  let lowest = 100;
  try {
    const pages: [string, string][] = [
      ["home", "/"],
      ["shop", "/shop"],
      ["product", await productWithPhotos(app.url)],
    ];
    for (const [name, path] of pages) {
      const run = await lighthouse(`${app.url}${path}`, {
        port: chrome.port,
        output: "json",
        logLevel: "error",
        onlyCategories: [...CATEGORIES],
      });
      if (!run) throw new Error(`Lighthouse gave no result for ${path}`);
      for (const c of CATEGORIES) {
        const score = Math.round((run.lhr.categories[c]?.score ?? 0) * 100);
        lowest = Math.min(lowest, score);
        figures.push(figure(`lighthouse ${name} ${c}`, score, "score"));
      }
      const lcp = run.lhr.audits["largest-contentful-paint"]?.numericValue;
      if (lcp !== undefined) figures.push(figure(`lighthouse ${name} LCP`, lcp, "ms"));
    }
    figures.push(figure("lighthouse lowest score (goal >= 95)", lowest, "score"));
  } finally {
    chrome.kill();
    await app.stop();
  }
  return figures;
}

if (import.meta.main) {
  for (const f of await benchLighthouse()) console.log(JSON.stringify(f));
}
