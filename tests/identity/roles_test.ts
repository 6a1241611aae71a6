import assert from "node:assert/strict";
import {
  assertCan,
  can,
  ForbiddenError,
  isStaff,
  type Permission,
  PERMISSIONS,
  permissionsOf,
  requiresSecondFactor,
  type Role,
  ROLES,
} from "@/services/identity/roles.ts";

// The table a reviewer reads: who may do what. A change to roles.ts that breaks it fails here.
const EXPECTED: [Role, Permission, boolean][] = [
  ["customer", "shop.order", true],
  ["customer", "admin.access", false],
  ["customer", "b2b.order", false],
  ["b2b_buyer", "b2b.order", true],
  ["b2b_buyer", "b2b.users.manage", false],
  ["b2b_admin", "b2b.users.manage", true],
  ["b2b_admin", "admin.access", false],
  ["farm_worker", "farm.record", true],
  ["farm_worker", "farm.health", false],
  ["farm_worker", "farm.manage", false],
  ["vet", "farm.health", true],
  ["vet", "farm.manage", false],
  ["farm_manager", "farm.manage", true],
  ["farm_manager", "iot.manage", true],
  ["farm_manager", "accounting.manage", false],
  ["sales", "sales.manage", true],
  ["sales", "catalog.manage", true],
  ["sales", "accounting.manage", false],
  ["warehouse", "inventory.manage", true],
  ["warehouse", "users.manage", false],
  ["production", "production.manage", true],
  ["accountant", "accounting.manage", true],
  ["accountant", "audit.view", true],
  ["accountant", "users.manage", false],
  ["hr", "hr.manage", true],
  ["hr", "accounting.manage", false],
  ["admin", "users.manage", true],
  ["admin", "outbox.view", true],
];

Deno.test("roles: permission table", () => {
  for (const [role, permission, expected] of EXPECTED) {
    assert.equal(can([role], permission), expected, `${role} → ${permission}`);
  }
});

Deno.test("roles: admin holds every permission; several roles add up", () => {
  for (const p of PERMISSIONS) assert.ok(can(["admin"], p), p);
  const both = permissionsOf(["vet", "sales"]);
  assert.ok(both.has("farm.health") && both.has("sales.manage"));
  assert.ok(!both.has("users.manage"));
  assert.equal(can([], "shop.order"), false);
});

Deno.test("roles: second factor for admin and finance, staff versus customers", () => {
  assert.equal(requiresSecondFactor(["admin"]), true);
  assert.equal(requiresSecondFactor(["accountant"]), true);
  assert.equal(requiresSecondFactor(["sales", "hr"]), false);
  assert.equal(requiresSecondFactor(["customer"]), false);
  for (const r of ROLES) {
    assert.equal(isStaff([r]), !["customer", "b2b_buyer", "b2b_admin"].includes(r), r);
  }
});

Deno.test("roles: assertCan throws a 403 naming the permission", () => {
  assert.doesNotThrow(() => assertCan(["hr"], "hr.manage"));
  assert.throws(
    () => assertCan(["hr"], "users.manage"),
    (e: Error) =>
      e instanceof ForbiddenError && e.status === 403 && e.message.includes('"users.manage"'),
  );
});
