/**
 * The embedded demo's Google/Facebook sign-in: local providers that ask who signs in (the
 * fakes the tests use answer for a preset person). A visitor types an e-mail and name on the
 * provider's page and comes back signed in with a new account; production refuses the fakes.
 */
import { equal, match, ok, throws } from "node:assert/strict";
import { startFakeSocial } from "@/services/identity/mod.ts";
import { ProductionGuardError } from "@/services/platform/production_guard.ts";
import { Browser, withTestApp } from "./_web.ts";

Deno.test("demo sign-in with Google: the provider asks who, and the account is theirs", async () => {
  const social = startFakeSocial();
  try {
    await withTestApp(async (t) => {
      const b = new Browser(t);
      await b.get("/signin");
      match(b.html, /Continue with Google/);
      match(b.html, /Continue with Facebook/);
      const start = await b.post("/signin/social/google", { next: "/account" });
      equal(start.status, 303);
      const ask = await fetch(start.headers.get("location")!);
      equal(ask.status, 200);
      const page = await ask.text();
      match(page, /Google — local demo provider/);
      // The page's form, filled in as a visitor would.
      const form = new URLSearchParams();
      for (
        const [, k, v] of page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)
      ) {
        form.set(k, v.replaceAll("&#38;", "&"));
      }
      form.set("email", "Laila@Example.com");
      form.set("name", "Laila Akter");
      const consent = await fetch(`${social.issuers.google}/authorize`, {
        method: "POST",
        body: form,
        redirect: "manual",
      });
      await consent.body?.cancel();
      equal(consent.status, 302);
      const back = new URL(consent.headers.get("location")!);
      const done = await b.get(back.pathname + back.search);
      equal(done.status, 303);
      equal(done.headers.get("location"), "/account");
      await b.get("/account");
      match(b.html, /Laila Akter/);
      ok(await t.deps.identity.findUserByIdentifier("laila@example.com"), "an account by e-mail");

      // A form without an e-mail is refused by the provider, not turned into an account.
      form.set("email", "not-an-address");
      const bad = await fetch(`${social.issuers.google}/authorize`, { method: "POST", body: form });
      await bad.body?.cancel();
      equal(bad.status, 400);
    }, { config: social.config });
  } finally {
    await social.stop();
  }
});

Deno.test("the demo's sign-in providers refuse to start in production", () => {
  throws(() => startFakeSocial({ env: { APP_ENV: "production" } }), ProductionGuardError);
  throws(
    () => startFakeSocial({ env: { PUBLIC_URL: "https://smartdairy.com.bd" } }),
    ProductionGuardError,
  );
});
