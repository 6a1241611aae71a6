/**
 * The identity door (services/identity/mod.ts) as other contexts and the admin pages use it:
 * names in one query, a customer's contact, and the admin's session ending (re-checked, audited).
 */
import { deepStrictEqual as equal, rejects } from "node:assert/strict";
import { withTestDb } from "../helpers/db.ts";
import { makeUser, testKeyring } from "./_fixtures.ts";
import { createIdentity, ForbiddenError } from "@/services/identity/mod.ts";
import { createAudit } from "@/services/audit/mod.ts";
import { createNotify } from "@/services/notify/mod.ts";

async function withIdentity(
  fn: (t: {
    identity: ReturnType<typeof createIdentity>;
    sql: Parameters<typeof makeUser>[0];
    keyring: Awaited<ReturnType<typeof testKeyring>>;
  }) => Promise<void>,
) {
  await withTestDb(async (db) => {
    const kv = await Deno.openKv(":memory:");
    try {
      const keyring = await testKeyring();
      const audit = createAudit({ sql: db.sql });
      const notify = createNotify({ sql: db.sql });
      const identity = createIdentity({ sql: db.sql, kv, keyring, audit, notify });
      await fn({ identity, sql: db.sql, keyring });
    } finally {
      kv.close();
    }
  });
}

Deno.test("identity door: display names in one call; unknown and malformed ids left out", async () => {
  await withIdentity(async ({ identity, sql, keyring }) => {
    const a = await makeUser(sql, keyring, { displayName: "Rahima Begum" });
    const b = await makeUser(sql, keyring, { displayName: "Karim Uddin" });
    const names = await identity.displayNames([a.id, b.id, a.id, "not-an-id", crypto.randomUUID()]);
    equal(Object.fromEntries(names), { [a.id]: "Rahima Begum", [b.id]: "Karim Uddin" });
    equal((await identity.displayNames([])).size, 0);
  });
});

Deno.test("identity door: contactOf gives the owner's name, email, phone and language", async () => {
  await withIdentity(async ({ identity, sql, keyring }) => {
    const u = await makeUser(sql, keyring, {
      displayName: "Nusrat",
      phone: "01712345678",
      locale: "bn",
    });
    equal(await identity.contactOf(u.id), {
      displayName: "Nusrat",
      email: null,
      phone: "+8801712345678",
      locale: "bn",
    });
    equal(await identity.contactOf(crypto.randomUUID()), null);
  });
});

Deno.test("identity door: ending someone's sessions needs users.manage and is audited", async () => {
  await withIdentity(async ({ identity, sql, keyring }) => {
    const admin = await makeUser(sql, keyring, { roles: ["admin"] });
    const sales = await makeUser(sql, keyring, { roles: ["sales"] });
    const target = await makeUser(sql, keyring);
    const user = {
      id: target.id,
      displayName: target.displayName,
      roles: target.roles,
      locale: target.locale,
    };
    await identity.sessions.create({ user, stage: "signed_in", totpEnabled: false });
    await identity.sessions.create({ user, stage: "signed_in", totpEnabled: false });
    await rejects(identity.endSessions(sales.id, target.id), ForbiddenError);
    equal((await identity.sessions.listForUser(target.id)).length, 2);
    equal(await identity.endSessions(admin.id, target.id), 2);
    equal((await identity.sessions.listForUser(target.id)).length, 0);
    const { rows } = await createAudit({ sql }).list({ action: "user.sessions_ended" });
    equal(rows.map((r) => [r.actorId, r.entityId, r.data]), [[admin.id, target.id, { count: 2 }]]);
  });
});
