import { equal, match, ok } from "node:assert/strict";
import "./_fixtures.ts";
import { testKeyring } from "./_fixtures.ts";
import { withTestDb } from "@/tests/helpers/db.ts";
import { seedOnFirstStart } from "@/scripts/first_start.ts";
import { authenticate, listUsers } from "@/services/identity/users.ts";

Deno.test("first start: an empty users table gets an admin whose password is printed once", async () => {
  await withTestDb(async (db) => {
    const keyring = await testKeyring();
    const banner = await seedOnFirstStart(db, keyring, {});
    ok(banner);
    match(banner, /admin@smartdairy\.test/);
    match(banner, /second factor/);
    const password = banner.match(/password\s+(\S{20})/)![1];
    const r = await authenticate(db.sql, keyring, {
      identifier: "admin@smartdairy.test",
      password,
      ip: "127.0.0.1",
    });
    ok(r.ok && r.mustEnrollSecondFactor, "the admin must set up a second factor");
    const { total } = await listUsers(db.sql, keyring, { limit: 1 });
    if (db.kind === "embedded") ok(total > 1, "demo accounts on the embedded database");
    else equal(total, 1, "only the admin on a server database");
    equal(await seedOnFirstStart(db, keyring, {}), null, "the next start prints nothing");
  });
});
