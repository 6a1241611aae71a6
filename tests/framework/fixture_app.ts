/**
 * The fixture project (tests/framework/fixture/) as an app with every middleware part composed
 * the way server.ts composes them for Smart Dairy.
 */
import {
  type AppOptions,
  compress,
  createApp,
  csp,
  csrf,
  type FreshApp,
  staticFiles,
  trailingSlashes,
} from "@/framework/mod.ts";
import presetTailwind from "@twind/preset-tailwind";
import { defineConfig } from "@twind/core";

export const fixtureRoot = new URL("./fixture/", import.meta.url).pathname;
export const FIXTURE_SECRET = "fixture-secret-fixture-secret-fixture";

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
    csrf({ secret: FIXTURE_SECRET, secure: false }),
  );
}
