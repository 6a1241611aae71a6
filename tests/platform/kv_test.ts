import assert from "node:assert/strict";
import {
  AtomicConflictError,
  keys,
  openKv,
  rateLimit,
  updateAtomic,
} from "@/services/platform/kv.ts";
import { testConfig } from "../helpers/db.ts";
import { withTestKv } from "../helpers/kv.ts";
import { ConfigError, loadConfig } from "@/services/platform/config.ts";

Deno.test("kv: 20 concurrent increments through updateAtomic end at exactly 20", async () => {
  await withTestKv(async (kv) => {
    const key = keys.cache("counter", "visits");
    const results = await Promise.all(
      Array.from({ length: 20 }, () => updateAtomic<number>(kv, key, (n) => (n ?? 0) + 1)),
    );
    assert.equal((await kv.get<number>(key)).value, 20);
    // Every caller got its own step of the count: no two saw the same value.
    assert.deepEqual(results.sort((a, b) => a! - b!), Array.from({ length: 20 }, (_, i) => i + 1));
  });
});

Deno.test("kv: updateAtomic gives up with a clear error when the key keeps changing", async () => {
  await withTestKv(async (kv) => {
    const key = keys.idem("checkout", "abc");
    await kv.set(key, 0);
    let calls = 0;
    const err = await updateAtomic<number>(kv, key, (n) => {
      calls++;
      // Another writer gets in between the read and the commit every time.
      kv.set(key, 1000 + calls);
      return (n ?? 0) + 1;
    }, { retries: 3 }).catch((e) => e);
    assert.ok(err instanceof AtomicConflictError, String(err));
    assert.match(err.message, /\["idem","checkout","abc"\] changed under us 4 times/);
    assert.equal(calls, 4);
  });
});

Deno.test("kv: updateAtomic deletes on null and skips the write for an unchanged value", async () => {
  await withTestKv(async (kv) => {
    const key = keys.cart("user-1");
    assert.deepEqual(await updateAtomic(kv, key, () => ({ items: 1 })), { items: 1 });
    const before = await kv.get(key);
    assert.deepEqual(await updateAtomic(kv, key, (current) => current), { items: 1 });
    assert.equal((await kv.get(key)).versionstamp, before.versionstamp); // no write happened
    assert.deepEqual(await updateAtomic(kv, key, () => ({ items: 2 })), { items: 2 });
    assert.notEqual((await kv.get(key)).versionstamp, before.versionstamp);
    assert.equal(await updateAtomic(kv, key, () => null), null);
    assert.equal((await kv.get(key)).versionstamp, null);
  });
});

Deno.test("kv: rateLimit allows `limit` calls per window, then blocks until the next", async () => {
  await withTestKv(async (kv) => {
    const opts = { limit: 3, windowSeconds: 60, now: Date.UTC(2025, 0, 1, 10, 0, 15) };
    const seen = [];
    for (let i = 0; i < 5; i++) seen.push(await rateLimit(kv, "login", "01711000000", opts));
    assert.deepEqual(seen.map((r) => [r.allowed, r.remaining]), [
      [true, 2],
      [true, 1],
      [true, 0],
      [false, 0],
      [false, 0],
    ]);
    assert.equal(seen[0].retryAfterSeconds, 0);
    assert.equal(seen[3].retryAfterSeconds, 45); // the window ends at 10:01:00
    // Another key has its own budget; the next window starts afresh.
    assert.equal((await rateLimit(kv, "login", "01811000000", opts)).allowed, true);
    const next = await rateLimit(kv, "login", "01711000000", { ...opts, now: opts.now + 45_000 });
    assert.deepEqual(next, { allowed: true, remaining: 2, retryAfterSeconds: 0 });
  });
});

Deno.test("kv: rateLimit under concurrent calls lets exactly `limit` through", async () => {
  await withTestKv(async (kv) => {
    const opts = { limit: 5, windowSeconds: 60, now: Date.UTC(2025, 0, 1, 10, 0, 0) };
    const results = await Promise.all(
      Array.from({ length: 12 }, () => rateLimit(kv, "api", "partner-7", opts)),
    );
    assert.equal(results.filter((r) => r.allowed).length, 5);
  });
  await withTestKv(async (kv) => {
    await assert.rejects(rateLimit(kv, "a", "b", { limit: 1, windowSeconds: 0 }), RangeError);
  });
});

Deno.test("kv: keys follow the documented tuple layout", () => {
  assert.deepEqual(keys.session("s1"), ["session", "s1"]);
  assert.deepEqual(keys.userSessions("u1", "s1"), ["user_sessions", "u1", "s1"]);
  assert.deepEqual(keys.cart("u1"), ["cart", "u1"]);
  assert.deepEqual(keys.rateLimit("login", "ip", 42), ["ratelimit", "login", "ip", 42]);
  assert.deepEqual(keys.idem("payment", "k"), ["idem", "payment", "k"]);
  assert.deepEqual(keys.otp("login", "p"), ["otp", "login", "p"]);
  assert.deepEqual(keys.cache("price", 7), ["cache", "price", 7]);
});

Deno.test("kv: openKv persists in DATA_DIR/kv.sqlite3 by default", async () => {
  const config = testConfig({ KV_PATH: undefined });
  const kv = await openKv(config);
  await kv.set(keys.session("s1"), { userId: "u1" });
  kv.close();
  const again = await openKv(config);
  try {
    assert.deepEqual((await again.get(keys.session("s1"))).value, { userId: "u1" });
    assert.ok((await Deno.stat(`${config.DATA_DIR}/kv.sqlite3`)).isFile);
  } finally {
    again.close();
  }
});

Deno.test("kv: KV_URL names a remote KV shared by the instances; it needs its access token", () => {
  const base = { DATA_DIR: "/tmp/sd", KV_URL: "http://denokv:4512" };
  assert.throws(
    () => loadConfig(base),
    (e: Error) => e instanceof ConfigError && /DENO_KV_ACCESS_TOKEN/.test(e.message),
  );
  assert.throws(
    () => loadConfig({ ...base, KV_URL: "denokv:4512", DENO_KV_ACCESS_TOKEN: "t".repeat(32) }),
    (e: Error) => e instanceof ConfigError && /KV_URL/.test(e.message),
  );
  const config = loadConfig({ ...base, DENO_KV_ACCESS_TOKEN: "t".repeat(32) });
  assert.equal(config.KV_URL, "http://denokv:4512");
});

Deno.test("kv: two processes on one KV_PATH see each other's sessions and carts", async () => {
  const config = testConfig({ KV_PATH: undefined });
  const a = await openKv(config);
  try {
    await a.set(keys.cart("u1"), { items: [{ variantId: 7, qty: 2 }] });
    // Another process (a second web instance on this host) opens the same file.
    const read = new Deno.Command(Deno.execPath(), {
      args: [
        "eval",
        "--unstable-kv",
        `const kv = await Deno.openKv(${JSON.stringify(`${config.DATA_DIR}/kv.sqlite3`)});
         console.log(JSON.stringify((await kv.get(["cart", "u1"])).value));
         await kv.set(["session", "s2"], { userId: "u2" });
         kv.close();`,
      ],
    });
    const out = await read.output();
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    assert.deepEqual(JSON.parse(new TextDecoder().decode(out.stdout)), {
      items: [{ variantId: 7, qty: 2 }],
    });
    assert.deepEqual((await a.get(keys.session("s2"))).value, { userId: "u2" });
  } finally {
    a.close();
  }
});
