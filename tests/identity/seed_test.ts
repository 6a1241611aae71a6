import assert from "node:assert/strict";
import { testKeyring } from "./_fixtures.ts";
import { withTestDb } from "@/tests/helpers/db.ts";
import { seedIdentity } from "@/scripts/seed.ts";
import { ADMIN_EMAIL, SEED_CUSTOMERS } from "@/scripts/demo_credentials.ts";
import { authenticate, listUsers } from "@/services/identity/users.ts";
import { ROLES } from "@/services/identity/roles.ts";
import { verifyAuditChain } from "@/services/audit/audit_log.ts";

Deno.test("seed: an admin, one account per role and customers; idempotent", async () => {
  await withTestDb(async ({ sql }) => {
    const keyring = await testKeyring();
    const first = await seedIdentity(sql, keyring, {});
    assert.ok(first.adminPassword, "a generated admin password is returned once");
    assert.ok(first.demoPassword);
    assert.equal(first.created.length, 1 + (ROLES.length - 2) + SEED_CUSTOMERS.length);

    const admin = await authenticate(sql, keyring, {
      identifier: ADMIN_EMAIL,
      password: first.adminPassword!,
      ip: "127.0.0.1",
    });
    assert.ok(admin.ok);
    assert.deepEqual(admin.user.roles, ["admin"]);
    assert.equal(admin.mustEnrollSecondFactor, true, "TOTP is set up at the first sign-in");

    const fm = await authenticate(sql, keyring, {
      identifier: "farm_manager@smartdairy.test",
      password: first.demoPassword!,
      ip: "127.0.0.1",
    });
    assert.ok(fm.ok && fm.user.roles.includes("farm_manager"));
    const customer = await authenticate(sql, keyring, {
      identifier: "01711-000101",
      password: first.demoPassword!,
      ip: "127.0.0.1",
    });
    assert.ok(customer.ok && customer.user.displayName === "Rahima Begum");
    assert.equal(customer.user.locale, "bn");

    for (const role of ROLES) {
      assert.ok((await listUsers(sql, keyring, { role })).total >= 1, role);
    }

    const second = await seedIdentity(sql, keyring, {});
    assert.deepEqual(second, { adminEmail: ADMIN_EMAIL, created: [] });
    // Passwords were not changed by the second run.
    assert.ok(
      (await authenticate(sql, keyring, {
        identifier: ADMIN_EMAIL,
        password: first.adminPassword!,
        ip: "127.0.0.1",
      })).ok,
    );
    assert.equal((await verifyAuditChain(sql)).ok, true);
  });
});

Deno.test("seed: given passwords are used and not echoed", async () => {
  await withTestDb(async ({ sql }) => {
    const keyring = await testKeyring();
    const r = await seedIdentity(sql, keyring, {
      adminPassword: "admin pass for demo",
      demoPassword: "demo pass for all",
    });
    assert.equal(r.adminPassword, undefined);
    assert.equal(r.demoPassword, undefined);
    assert.ok(
      (await authenticate(sql, keyring, {
        identifier: ADMIN_EMAIL,
        password: "admin pass for demo",
        ip: "::1",
      })).ok,
    );
    assert.ok(
      (await authenticate(sql, keyring, {
        identifier: "hr@smartdairy.test",
        password: "demo pass for all",
        ip: "::1",
      })).ok,
    );
  });
});
