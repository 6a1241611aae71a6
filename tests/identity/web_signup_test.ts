import { equal, match, ok } from "node:assert/strict";
import { Browser, lastCodeSentTo, signIn, withTestApp } from "./_web.ts";
import type { TestApp } from "@/tests/helpers/app.ts";

const PHONE = "01712-345678";
const E164 = "+8801712345678";
const PASSWORD = "shonali gaabhi 7";

Deno.test("sign-up: a code sent to the phone (read from the outbox) creates the account and signs in", async () => {
  await withTestApp(async (t) => {
    const b = new Browser(t);
    const res = await b.submit("/signup", {
      name: "Rina Akter",
      identifier: PHONE,
      password: PASSWORD,
    });
    equal(res.status, 303);
    equal(res.headers.get("location"), "/signup/verify");
    equal(b.sessionCookie(), undefined, "not signed in before the code");

    await b.get("/signup/verify");
    match(b.html, /017•••••678/, "the page says where the code went, masked");
    const code = await lastCodeSentTo(t.db.sql, E164);

    const wrong = await b.post("/signup/verify", { code: code === "000000" ? "111111" : "000000" });
    equal(wrong.status, 401);
    match(b.html, /not right/);
    match(b.html, /4 tries left/);

    const right = await b.post("/signup/verify", { code });
    equal(right.status, 303);
    equal(right.headers.get("location"), "/account?welcome=1");
    ok(b.sessionCookie(), "signed in");
    const account = await b.get("/account?welcome=1");
    equal(account.status, 200);
    match(b.html, /Welcome to Smart Dairy, Rina Akter/);
    match(b.html, /01712-345678/);

    // The code is single use: a second browser cannot reuse it.
    const other = new Browser(t);
    await other.submit("/signup", { name: "Someone", identifier: PHONE, password: PASSWORD });
    const again = await other.submit("/signup/verify", { code });
    ok(again.status >= 400);
  });
});

Deno.test("sign-up: bad input is shown next to the fields, in Bangla for Bangla visitors", async () => {
  await withTestApp(async (t) => {
    const b = new Browser(t);
    b.cookies.set("lang", "bn");
    await b.get("/signup");
    match(b.html, /অ্যাকাউন্ট খুলুন/);
    const res = await b.post("/signup", { name: "", identifier: "012345", password: "123" });
    equal(res.status, 422);
    match(b.html, /একটি নাম লিখুন/);
    match(b.html, /বাংলাদেশের একটি মোবাইল নম্বর/);
    match(b.html, /অন্তত ১০টি অক্ষর/);
    match(b.html, /value="012345"/, "what was typed stays in the form");
  });
});

Deno.test("sign-up by email, then sign out and sign in again with the email", async () => {
  await withTestApp(async (t) => {
    const b = new Browser(t);
    await b.submit("/signup", { name: "Mitu", identifier: "Mitu@Example.com", password: PASSWORD });
    await b.get("/signup/verify");
    match(b.html, /mitu@example\.com/);
    const code = await lastCodeSentTo(t.db.sql, "mitu@example.com");
    equal((await b.post("/signup/verify", { code })).status, 303);

    await b.get("/account");
    const out = await b.post("/signout", {});
    equal(out.status, 303);
    equal(b.sessionCookie(), undefined, "the cookie is cleared");
    equal((await b.get("/account")).status, 303, "signed out");

    const res = await signIn(b, "mitu@example.com", PASSWORD);
    equal(res.status, 303);
    equal(res.headers.get("location"), "/");
    equal((await b.get("/account")).status, 200);
  });
});

/** Anis signs up by phone through the pages; the answer to the code step. */
async function signUpAnis(t: TestApp, b: Browser): Promise<Response> {
  await b.submit("/signup", { name: "Anis", identifier: "01812-345678", password: PASSWORD });
  const code = await lastCodeSentTo(t.db.sql, "+8801812345678");
  await b.get("/signup/verify");
  return await b.post("/signup/verify", { code });
}

Deno.test("session cookie: HttpOnly, SameSite=Lax, not Secure on plain HTTP", async () => {
  await withTestApp(async (t) => {
    const b = new Browser(t);
    const res = await signUpAnis(t, b);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("sd_session="));
    ok(cookie, "the session cookie is set");
    match(cookie, /; HttpOnly/);
    match(cookie, /; SameSite=Lax/);
    match(cookie, /; Path=\//);
    ok(!/Secure/.test(cookie), "plain HTTP on localhost must work");
    equal(cookie.split(";")[0].split("=")[1].length, 43, "256 random bits");
  });
});

Deno.test("session cookie: __Host- prefix and Secure when PUBLIC_URL is https", async () => {
  await withTestApp(async (t) => {
    const b = new Browser(t);
    const res = await signUpAnis(t, b);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("__Host-sd_session="));
    ok(cookie, "the session cookie has the __Host- prefix");
    match(cookie, /; Secure/);
    match(cookie, /; HttpOnly/);
    match(cookie, /; SameSite=Lax/);
    match(cookie, /; Path=\//);
    ok(!/Domain=/i.test(cookie));
    equal((await b.get("/account")).status, 200);
  }, { config: { PUBLIC_URL: "https://smartdairy.example" } });
});
