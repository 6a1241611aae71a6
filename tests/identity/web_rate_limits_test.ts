/**
 * Issue 9, finding 8: anonymous writes are rate limited per client address (and globally), and a
 * refused write is a 429 with the form shown again and a clear message (English and Bangla).
 */
import { equal, match } from "node:assert/strict";
import {
  Browser,
  fromAddress,
  makeUser,
  minutes,
  movableClock,
  PASSWORD,
  sessionStart,
  withTestApp,
} from "./_web.ts";
import { WRITE_LIMITS } from "@/plugins/auth_forms.ts";
import type { TestApp } from "@/tests/helpers/app.ts";

/** The next whole hour: a burst of requests never straddles a fixed window's end, and the clock
 * is after every account's creation. */
const START = sessionStart();

const contact = (n: number) => ({
  name: "Nasima Begum",
  phone: "01712-345678",
  email: "",
  topic: "order",
  message: `Please call me about my order, message ${n}.`,
});

async function postContact(b: Browser, n: number): Promise<Response> {
  await b.get("/contact");
  return await b.post("/contact", contact(n));
}

Deno.test("rate limit: the contact form takes 5 messages per address in 10 minutes", async () => {
  await withTestApp(async (t) => {
    const clock = movableClock(t, START);
    const sql = t.db.sql;
    const b = new Browser(fromAddress(t, "203.0.113.10"));
    for (let i = 1; i <= WRITE_LIMITS.contact.perAddress.limit; i++) {
      equal((await postContact(b, i)).status, 303, `message ${i}`);
    }
    const refused = await postContact(b, 6);
    equal(refused.status, 429);
    match(b.html, /You have sent several messages in a short time/);
    match(b.html, /Try again in 10 minutes/);
    match(b.html, /message 6\./, "what was typed stays in the form");
    equal(refused.headers.get("retry-after"), "600");

    const bangla = new Browser(fromAddress(t, "203.0.113.10"));
    bangla.cookies.set("lang", "bn");
    equal((await postContact(bangla, 7)).status, 429);
    match(bangla.html, /অল্প সময়ে আপনি কয়েকটি বার্তা পাঠিয়েছেন/);

    const [{ n }] = await sql`select count(*)::int as n from contact_messages`;
    equal(n, 5, "refused messages are not stored");
    // Someone else is not affected; the address may write again in the next window.
    equal((await postContact(new Browser(fromAddress(t, "198.51.100.3")), 8)).status, 303);
    clock.advance(minutes(10));
    equal((await postContact(b, 9)).status, 303);
  });
});

Deno.test("rate limit: the contact form has a global cap across addresses", async () => {
  await withTestApp(async (t) => {
    movableClock(t, START);
    const { perAddress, global } = WRITE_LIMITS.contact;
    let sent = 0;
    for (let a = 0; sent < global.limit; a++) {
      const b = new Browser(fromAddress(t, `10.20.${a >> 8}.${a & 255}`));
      for (let i = 0; i < perAddress.limit && sent < global.limit; i++, sent++) {
        equal((await postContact(b, sent)).status, 303);
      }
    }
    const fresh = new Browser(fromAddress(t, "198.51.100.99"));
    equal((await postContact(fresh, 999)).status, 429);
    match(fresh.html, /too many requests right now/);
  });
});

/** Posts `fields(i)` to `path` from one address until refused; returns the refusing attempt. */
async function untilRefused(
  t: TestApp,
  page: string,
  path: string,
  fields: (i: number) => Record<string, string>,
  max: number,
): Promise<{ attempt: number; b: Browser; res: Response }> {
  const b = new Browser(fromAddress(t, "203.0.113.77"));
  for (let i = 1; i <= max + 1; i++) {
    // Each attempt as a new visitor from the same address (one that signed in would be sent on).
    b.cookies.clear();
    await b.get(page);
    const res = await b.post(path, fields(i));
    if (res.status === 429) return { attempt: i, b, res };
  }
  throw new Error(`${path}: no 429 after ${max + 1} posts`);
}

Deno.test("rate limit: asking for codes (sign-up, reset, sign-in by code) per address", async () => {
  await withTestApp(async (t) => {
    movableClock(t, START);
    const max = WRITE_LIMITS.send.perAddress.limit;
    // Different identifiers each time: the per-identifier limit is not what stops them.
    const signup = await untilRefused(t, "/signup", "/signup", (i) => ({
      name: "Someone",
      identifier: `someone${i}@example.com`,
      password: PASSWORD,
    }), max);
    equal(signup.attempt, max + 1);
    match(signup.b.html, /Too many attempts\. Try again in/);
  });
  await withTestApp(async (t) => {
    movableClock(t, START);
    const max = WRITE_LIMITS.send.perAddress.limit;
    const reset = await untilRefused(t, "/reset", "/reset", (i) => ({
      identifier: `someone${i}@example.com`,
    }), max);
    equal(reset.attempt, max + 1);
    match(reset.b.html, /Too many attempts\. Try again in/);
    const code = await untilRefused(t, "/signin/code", "/signin/code", (i) => ({
      identifier: `other${i}@example.com`,
    }), max);
    equal(code.attempt, 1, "the same budget: this address already used it");
  });
});

Deno.test("rate limit: entering codes is limited per address", async () => {
  await withTestApp(async (t) => {
    movableClock(t, START);
    const b = new Browser(fromAddress(t, "203.0.113.78"));
    await b.submit("/reset", { identifier: "nobody@example.com" });
    const max = WRITE_LIMITS.check.perAddress.limit;
    let status = 0;
    let i = 0;
    for (; i <= max && status !== 429; i++) {
      await b.get("/reset/verify");
      status = (await b.post("/reset/verify", { code: "123456", newPassword: "new pasture 2025" }))
        .status;
    }
    equal(status, 429);
    equal(i, max + 1);
    match(b.html, /Too many attempts\. Try again in/);
  });
});

Deno.test("rate limit: password sign-in, even with the right password, per address", async () => {
  await withTestApp(async (t) => {
    const clock = movableClock(t, START);
    await makeUser(t.db.sql, t.deps.keyring, { email: "sumi@example.com" });
    const max = WRITE_LIMITS.signin.perAddress.limit;
    const r = await untilRefused(t, "/signin", "/signin", () => ({
      identifier: "sumi@example.com",
      password: PASSWORD,
      next: "",
    }), max);
    equal(r.attempt, max + 1);
    match(r.b.html, /Too many attempts\. Try again in 10 minutes/);
    match(r.b.html, /href="\/signin\/code"/);
    clock.advance(minutes(10));
    const b = new Browser(fromAddress(t, "203.0.113.77"));
    await b.get("/signin");
    equal(
      (await b.post("/signin", { identifier: "sumi@example.com", password: PASSWORD })).status,
      303,
    );
  });
});
