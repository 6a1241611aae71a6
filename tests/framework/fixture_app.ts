/**
 * The fixture project (tests/framework/fixture/) as an app with every middleware part composed
 * the way server.ts composes them for Smart Dairy.
 */
import {
  type AppOptions,
  createApp,
  type FreshApp,
  getCookies,
  type Middleware,
} from "@/framework/mod.ts";
import { compress } from "@/framework/middlewares/compress.ts";
import { csp } from "@/framework/middlewares/csp.ts";
import { csrf } from "@/framework/middlewares/csrf.ts";
import { staticFiles } from "@/framework/middlewares/static_files.ts";
import { trailingSlashes } from "@/framework/middlewares/trailing_slashes.ts";
import presetTailwind from "@twind/preset-tailwind";
import { defineConfig } from "@twind/core";

export const fixtureRoot = new URL("./fixture/", import.meta.url).pathname;
export const FIXTURE_SECRET = "fixture-secret-fixture-secret-fixture";
/** The fixture's stand-in for a session: a request with this cookie counts as signed in. */
export const SESSION_COOKIE = "fx_session=1";
export const hasSession = (req: Request) => getCookies(req).fx_session !== undefined;

type State = { trail: string[] };

export async function fixtureApp(
  extra: Partial<AppOptions<State>> = {},
): Promise<FreshApp> {
  const app = await createApp<State>({
    root: fixtureRoot,
    twind: defineConfig({ presets: [presetTailwind()], hash: false }),
    createState: () => ({ trail: [] }),
    ...extra,
  });
  return app.use(
    compress(),
    csp(),
    trailingSlashes(),
    staticFiles(fixtureRoot + "static"),
    csrf({ secret: FIXTURE_SECRET, secure: false, hasSession }),
  );
}

let shared: Promise<FreshApp> | null = null;
/** A GET (or any request) to the one shared fully composed fixture app. */
export async function fixtureGet(path: string, init?: RequestInit): Promise<Response> {
  return (await (shared ??= fixtureApp())).fetch(new Request(`http://localhost${path}`, init));
}

/** The fixture with only the given parts. */
export async function bareFixture(...parts: Middleware[]): Promise<FreshApp> {
  const app = await createApp<State>({
    root: fixtureRoot,
    twind: defineConfig({ hash: false }),
    createState: () => ({ trail: [] }),
  });
  return app.use(...parts);
}

/** A same-origin form post with the visitor's CSRF cookie and token. */
export function postForm(app: FreshApp, path: string, cookie: string, body: string) {
  return app.fetch(
    new Request(`http://localhost${path}`, {
      method: "POST",
      headers: {
        cookie,
        origin: "http://localhost",
        "content-type": "application/x-www-form-urlencoded",
      },
      body,
    }),
  );
}

/** A CSP hash source for inline code, computed independently of the framework (WebCrypto). */
export async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return `'sha256-${btoa(String.fromCharCode(...new Uint8Array(digest)))}'`;
}
