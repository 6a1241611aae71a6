/**
 * "Continue with Google / Facebook" against a local OpenID Connect provider that speaks the
 * protocol (services/identity/fakes/oidc.ts): discovery, authorize, token, JWKS-signed id_token.
 */
import { equal, match, notEqual, ok } from "node:assert/strict";
import { FakeOidcProvider } from "@/services/identity/fakes/oidc.ts";
import { Browser, makeUser, withTestApp } from "./_web.ts";
import type { TestApp } from "@/tests/helpers/app.ts";

const CLIENT = { id: "smartdairy-test", secret: "s3cret-for-tests" };

async function withProvider(fn: (t: TestApp, fake: FakeOidcProvider) => Promise<void>) {
  const fake = new FakeOidcProvider(CLIENT);
  try {
    await withTestApp((t) => fn(t, fake), {
      config: {
        OIDC_GOOGLE_ISSUER: fake.issuer,
        OIDC_GOOGLE_CLIENT_ID: CLIENT.id,
        OIDC_GOOGLE_CLIENT_SECRET: CLIENT.secret,
      },
    });
  } finally {
    await fake.stop();
  }
}

/** Starts at our site, lets the provider answer, returns the callback path (not yet visited). */
async function throughProvider(b: Browser, next = ""): Promise<string> {
  const start = await b.get(
    `/signin/social/google${next ? `?next=${encodeURIComponent(next)}` : ""}`,
  );
  equal(start.status, 303);
  const auth = await fetch(start.headers.get("location")!, { redirect: "manual" });
  await auth.body?.cancel();
  equal(auth.status, 302);
  const back = new URL(auth.headers.get("location")!);
  equal(back.pathname, "/signin/social/google/callback");
  return back.pathname + back.search;
}

async function userCount(t: TestApp): Promise<number> {
  const [{ n }] = await t.db.sql`select count(*)::int as n from users`;
  return n as number;
}

Deno.test("a new visitor continues with Google and has a customer account", async () => {
  await withProvider(async (t, fake) => {
    fake.person = { sub: "g-100", email: "Mita@Example.com", email_verified: true, name: "Mita" };
    const b = new Browser(t);
    await b.get("/signin");
    match(b.html, /Continue with Google/);
    ok(!/Continue with Facebook/.test(b.html), "Facebook is not configured");
    const before = await userCount(t);
    const res = await b.get(await throughProvider(b, "/account"));
    equal(res.status, 303);
    equal(res.headers.get("location"), "/account");
    equal((await b.get("/account")).status, 200);
    match(b.html, /Mita/);
    equal(await userCount(t), before + 1);
    const u = await t.deps.identity.findUserByIdentifier("mita@example.com");
    equal(u?.roles.join(), "customer");

    // Next time the same Google account finds the same customer, nothing new is made.
    const again = new Browser(t);
    await again.get(await throughProvider(again));
    equal((await again.get("/account")).status, 200);
    equal(await userCount(t), before + 1);

    // Facebook is not configured: no way in there.
    equal((await b.get("/signin/social/facebook")).status, 404);
  });
});

Deno.test("a verified email links to the existing account; an unverified one does nothing", async () => {
  await withProvider(async (t, fake) => {
    const existing = await makeUser(t.db.sql, t.deps.keyring, {
      email: "karim@example.com",
      displayName: "Karim",
    });
    fake.person = { sub: "g-200", email: "karim@example.com", email_verified: false };
    const b = new Browser(t);
    const refused = await b.get(await throughProvider(b));
    equal(refused.headers.get("location"), "/signin?social_error=unverified_email");
    await b.get("/signin?social_error=unverified_email");
    match(b.html, /no verified email address/);
    equal((await b.get("/account")).status, 303, "not signed in");

    fake.person = { sub: "g-200", email: "karim@example.com", email_verified: true };
    await b.get(await throughProvider(b));
    equal((await b.get("/account")).status, 200);
    match(b.html, /Karim/);
    const [row] = await t.db.sql`
      select user_id::text from social_identities where provider = 'google' and subject = 'g-200'`;
    equal(row.user_id, existing.id);
  });
});

Deno.test("state, nonce and PKCE are checked", async () => {
  await withProvider(async (t, fake) => {
    fake.person = { sub: "g-300", email: "safe@example.com", email_verified: true };
    const b = new Browser(t);
    const callback = await throughProvider(b);
    await b.get(callback);
    equal((await b.get("/account")).status, 200);

    // The same answer again: its state was used.
    const replay = new Browser(t);
    const r1 = await replay.get(callback);
    equal(r1.headers.get("location"), "/signin?social_error=expired");

    // A made-up state.
    const forged = callback.replace(/state=[^&]+/, "state=not-ours");
    equal((await replay.get(forged)).headers.get("location"), "/signin?social_error=expired");

    // One flow's code with another flow's state: the PKCE verifier does not match the code.
    const x = new Browser(t);
    const a = new URL(await throughProvider(x), "http://localhost");
    const c = new URL(await throughProvider(x), "http://localhost");
    const mixed = `/signin/social/google/callback?code=${a.searchParams.get("code")}&state=${
      c.searchParams.get("state")
    }`;
    equal((await x.get(mixed)).headers.get("location"), "/signin?social_error=invalid");

    // An id_token not signed by a key in the provider's JWKS is refused.
    fake.forgeSignature = true;
    const f = new Browser(t);
    const forgedToken = await f.get(await throughProvider(f));
    equal(forgedToken.headers.get("location"), "/signin?social_error=invalid");
    fake.forgeSignature = false;

    // An id_token for another sign-in (wrong nonce) is refused.
    fake.wrongNonce = true;
    const n = new Browser(t);
    const r2 = await n.get(await throughProvider(n));
    equal(r2.headers.get("location"), "/signin?social_error=invalid");
    equal((await n.get("/account")).status, 303);
    notEqual(n.sessionCookie() ?? "", b.sessionCookie());
  });
});

Deno.test("the sign-in form's Google button carries keep me signed in and where to go", async () => {
  await withProvider(async (t, fake) => {
    fake.person = { sub: "g-300", email: "rumi@example.com", email_verified: true, name: "Rumi" };
    const b = new Browser(t);
    await b.get("/signin?next=%2Faccount");
    match(b.html, /formaction="\/signin\/social\/google"/);
    // The button submits the sign-in form (its box ticked, no password typed) to the start.
    const start = await b.post("/signin/social/google", {
      identifier: "",
      password: "",
      remember: "1",
      next: "/account",
    });
    equal(start.status, 303);
    const auth = await fetch(start.headers.get("location")!, { redirect: "manual" });
    await auth.body?.cancel();
    const back = new URL(auth.headers.get("location")!);
    const res = await b.get(back.pathname + back.search);
    equal(res.status, 303);
    equal(res.headers.get("location"), "/account");
    ok(b.cookies.get("sd_device") ?? b.cookies.get("__Host-sd_device"), "the device is remembered");
    // From another site the start is refused like any other form post.
    const forged = await new Browser(t).post("/signin/social/google", { remember: "1" }, {
      token: null,
      origin: "https://evil.example",
    });
    equal(forged.status, 403);
  });
});
