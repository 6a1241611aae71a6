import { deepEqual, equal, notEqual, ok } from "node:assert/strict";
import { withTestKv } from "@/tests/helpers/kv.ts";
import {
  MAX_SESSIONS_PER_USER,
  SessionStore,
  type SessionUser,
} from "@/services/identity/sessions.ts";

const USER: SessionUser = {
  id: "7f1e2d3c-0000-4000-8000-000000000001",
  displayName: "Rahima",
  roles: ["customer"],
  locale: "bn",
};

Deno.test("session store: KV holds a hash of the token, never the token", async () => {
  await withTestKv(async (kv) => {
    const store = new SessionStore(kv);
    const { token, session } = await store.create({
      user: USER,
      stage: "signed_in",
      totpEnabled: false,
    });
    notEqual(session.id, token);
    for await (const e of kv.list({ prefix: [] })) {
      ok(!JSON.stringify(e.key).includes(token), "no key contains the token");
      ok(!JSON.stringify(e.value).includes(token), "no value contains the token");
    }
    equal((await store.get(token))?.id, session.id);
    equal(await store.get(session.id), null, "the id is not a credential");
    equal(await store.get("x".repeat(43) + "!"), null);
    equal(await store.get(""), null);
  });
});

Deno.test("session store: a pending second-factor session lasts 10 minutes", async () => {
  await withTestKv(async (kv) => {
    let now = 1_700_000_000_000;
    const store = new SessionStore(kv, { now: () => now });
    const { token } = await store.create({ user: USER, stage: "second_factor", totpEnabled: true });
    now += 9 * 60_000;
    ok(await store.get(token));
    now += 2 * 60_000;
    equal(await store.get(token), null);
  });
});

Deno.test("session store: at most MAX_SESSIONS_PER_USER sessions; the oldest go first", async () => {
  await withTestKv(async (kv) => {
    let now = 1_700_000_000_000;
    const store = new SessionStore(kv, { now: () => now });
    const tokens: string[] = [];
    for (let i = 0; i < MAX_SESSIONS_PER_USER + 2; i++) {
      now += 1000;
      tokens.push(
        (await store.create({ user: USER, stage: "signed_in", totpEnabled: false })).token,
      );
    }
    equal((await store.listForUser(USER.id)).length, MAX_SESSIONS_PER_USER);
    equal(await store.get(tokens[0]), null);
    equal(await store.get(tokens[1]), null);
    ok(await store.get(tokens[2]));
  });
});

Deno.test("session store: refreshUser updates every session; destroyAllForUser ends them", async () => {
  await withTestKv(async (kv) => {
    const store = new SessionStore(kv);
    const a = await store.create({ user: USER, stage: "signed_in", totpEnabled: false });
    const b = await store.create({ user: USER, stage: "signed_in", totpEnabled: false });
    const other = await store.create({
      user: { ...USER, id: "7f1e2d3c-0000-4000-8000-000000000002" },
      stage: "signed_in",
      totpEnabled: false,
    });
    await store.refreshUser(USER.id, { ...USER, roles: ["customer", "sales"] });
    deepEqual((await store.get(a.token))?.user.roles, ["customer", "sales"]);
    deepEqual((await store.get(b.token))?.user.roles, ["customer", "sales"]);
    equal(await store.destroyAllForUser(USER.id, { except: b.session.id }), 1);
    equal(await store.get(a.token), null);
    ok(await store.get(b.token));
    ok(await store.get(other.token), "other users keep their sessions");
  });
});
