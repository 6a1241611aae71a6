/**
 * Browser tests on the shop: one watched page (`withPage`) of a fresh browser on the shop's test
 * app, whose PUBLIC_URL is the page's origin (providers call back to it, never to the request's
 * Host).
 */
import type { Page } from "playwright-core";
import { browserTest, withPage } from "../helpers/browser.ts";
import { type ShopTest, withShop } from "../shop/_helpers.ts";

export function shopPageTest(
  name: string,
  viewport: { width: number; height: number },
  fn: (s: ShopTest, page: Page, base: string, errors: string[]) => Promise<void>,
  /** `console`: errors logged count as failures; `fakes`: the payment providers' fakes run. */
  opts: { console?: boolean; fakes?: boolean } = {},
) {
  Deno.test({
    name,
    ...browserTest,
    fn: () =>
      withShop((s) =>
        withPage(s.app.fetch, viewport, (page, base, errors) => {
          s.deps.config.PUBLIC_URL = base;
          return fn(s, page, base, errors);
        }, { console: opts.console }), { fakes: opts.fakes }),
  });
}
