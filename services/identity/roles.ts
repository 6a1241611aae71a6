/**
 * THE one place that maps roles to permissions. Routes check a permission; services re-check the
 * sensitive ones with assertCan. Add a permission here, grant it to roles here, nowhere else.
 */

import { identityMessages } from "./messages.ts";

export const ROLES = [
  "customer",
  "b2b_buyer",
  "b2b_admin",
  "farm_worker",
  "vet",
  "farm_manager",
  "sales",
  "warehouse",
  "production",
  "quality",
  "purchase",
  "accountant",
  "hr",
  "admin",
  "rider",
] as const;
export type Role = typeof ROLES[number];

export const PERMISSIONS = [
  "shop.order", // buy in the B2C shop, manage own subscriptions
  "b2b.order", // place orders for the B2B account one belongs to
  "b2b.users.manage", // add/remove users of one's own B2B account
  "b2b.accounts.manage", // back office: B2B accounts, contract prices, credit limits
  "farm.record", // milk recording, heat/feed/events in the farm PWA
  "farm.health", // treatments, withdrawal periods, vet records
  "farm.manage", // herd structure, groups, culling, farm settings
  "iot.view", // device dashboards and alarms
  "iot.manage", // register devices, thresholds
  "sales.manage", // orders, deliveries, customers
  "catalog.manage", // products, prices, delivery areas
  "inventory.manage", // stock, lots, transfers
  "production.manage", // manufacturing orders, recipes, quality checks
  "quality.manage", // test plans, lot test results, release/hold/reject decisions
  "purchase.manage", // suppliers, purchase orders
  "accounting.manage", // journal, invoices, payments, reconciliation
  "reports.view", // business reports
  "hr.manage", // employees, attendance, payroll inputs
  "users.manage", // staff accounts and roles
  "audit.view", // the audit log
  "outbox.view", // outgoing SMS/email (includes one-time codes in development)
  "admin.access", // enter the back office at /admin
  "delivery.ride", // the rider's phone page: own route's stops, delivered/failed, COD collected
  "api.manage", // back office: public API partner clients, their keys and OAuth secrets
] as const;
export type Permission = typeof PERMISSIONS[number];

const STAFF_BASE: Permission[] = ["admin.access"];

const GRANTS: Record<Role, readonly Permission[]> = {
  customer: ["shop.order"],
  b2b_buyer: ["b2b.order"],
  b2b_admin: ["b2b.order", "b2b.users.manage"],
  farm_worker: ["farm.record", "iot.view"],
  vet: ["farm.record", "farm.health", "iot.view"],
  farm_manager: [
    ...STAFF_BASE,
    "farm.record",
    "farm.health",
    "farm.manage",
    "iot.view",
    "iot.manage",
    "reports.view",
  ],
  sales: [...STAFF_BASE, "sales.manage", "catalog.manage", "b2b.accounts.manage", "reports.view"],
  warehouse: [...STAFF_BASE, "inventory.manage", "purchase.manage"],
  // Buyers: suppliers, orders and bills; stock to see what runs low.
  purchase: [...STAFF_BASE, "purchase.manage", "inventory.manage"],
  production: [
    ...STAFF_BASE,
    "production.manage",
    "inventory.manage",
    "iot.view",
    "quality.manage",
  ],
  quality: [...STAFF_BASE, "quality.manage", "iot.view"],
  accountant: [
    ...STAFF_BASE,
    "accounting.manage",
    "purchase.manage",
    "b2b.accounts.manage",
    "reports.view",
    "audit.view",
  ],
  hr: [...STAFF_BASE, "hr.manage", "reports.view"],
  admin: PERMISSIONS,
  // Riders of our own fleet: only their phone page (/rider), no back office.
  rider: ["delivery.ride"],
};

/** Roles of the shop's and B2B customers; every other role is staff. */
const CUSTOMER_ROLES: readonly Role[] = ["customer", "b2b_buyer", "b2b_admin"];
/** Roles held by people who work for the company (as opposed to shop and B2B customers). */
const STAFF_ROLES: ReadonlySet<Role> = new Set(ROLES.filter((r) => !CUSTOMER_ROLES.includes(r)));

/** Admin and finance roles must sign in with a second factor. */
const SECOND_FACTOR_ROLES: ReadonlySet<Role> = new Set<Role>(["admin", "accountant"]);

const roleSet: ReadonlySet<string> = new Set(ROLES);
export function isRole(value: string): value is Role {
  return roleSet.has(value);
}

export function permissionsOf(roles: readonly Role[]): Set<Permission> {
  const out = new Set<Permission>();
  for (const r of roles) for (const p of GRANTS[r] ?? []) out.add(p);
  return out;
}

export function can(roles: readonly Role[], permission: Permission): boolean {
  return roles.some((r) => GRANTS[r]?.includes(permission));
}

export function requiresSecondFactor(roles: readonly Role[]): boolean {
  return roles.some((r) => SECOND_FACTOR_ROLES.has(r));
}

export function isStaff(roles: readonly Role[]): boolean {
  return roles.some((r) => STAFF_ROLES.has(r));
}

/** A signed-in user lacks a permission: the web layer answers 403. */
export class ForbiddenError extends Error {
  readonly status = 403;
  constructor(readonly permission: Permission) {
    super(`Forbidden: this needs the "${permission}" permission`);
    this.name = "ForbiddenError";
  }
}

export function assertCan(roles: readonly Role[], permission: Permission): void {
  if (!can(roles, permission)) throw new ForbiddenError(permission);
}

/** Human labels for the admin pages (the English ones of the identity messages). */
export const ROLE_LABELS: Record<Role, string> = identityMessages.en.roles;
