/**
 * Demo accounts (identity part of the seed). `deno task seed` runs it on its own; the main seed
 * calls seedIdentity. Idempotent: accounts that exist are left as they are (passwords included).
 *
 * - admin@smartdairy.test: password opts.adminPassword (the script passes ADMIN_PASSWORD), else
 *   generated and returned once. TOTP is NOT enrolled: the web layer forces enrolment at the
 *   admin's first sign-in (admin and accountant roles require a second factor).
 * - <role>@smartdairy.test for every other role except customer (farm_manager@smartdairy.test…),
 *   sharing one demo password: opts.demoPassword (the script passes DEMO_PASSWORD), else
 *   generated and returned once.
 * - a few customers with Bangladeshi names and mobile numbers, same demo password.
 *
 * `deno task seed --credentials` prints the demo accounts and their password again.
 */
import type { Sql } from "@/services/platform/db.ts";
import type { Keyring } from "@/services/crypto/field_crypto.ts";
import { createUser, findUserByIdentifier } from "@/services/identity/users.ts";
import { generatePassword } from "@/services/identity/passwords.ts";
import { type Role, ROLES } from "@/services/identity/roles.ts";
import { ADMIN_EMAIL, SEED_CUSTOMERS, SEED_DOMAIN } from "./demo_credentials.ts";

const STAFF_NAMES: Partial<Record<Role, string>> = {
  b2b_buyer: "Kamal Uddin (Dhaka Sweets)",
  b2b_admin: "Shirin Sultana (Dhaka Sweets)",
  farm_worker: "Jamal Mia",
  vet: "Dr. Mahmuda Khatun",
  farm_manager: "Rafiqul Islam",
  sales: "Sabina Yasmin",
  warehouse: "Mizanur Rahman",
  production: "Arif Hossain",
  quality: "Dr. Sharmin Akter",
  purchase: "Habibur Rahman",
  accountant: "Nasrin Akter",
  hr: "Shahana Parvin",
};

export interface SeedIdentityResult {
  adminEmail: string;
  /** Set only when the admin was created now with a generated password: print it once. */
  adminPassword?: string;
  /** Set only when demo accounts were created now with a generated password: print it once. */
  demoPassword?: string;
  /** Identifiers of the accounts created by this run. */
  created: string[];
}

export async function seedIdentity(
  sql: Sql,
  keyring: Keyring,
  opts: { adminPassword?: string; demoPassword?: string } = {},
): Promise<SeedIdentityResult> {
  const result: SeedIdentityResult = { adminEmail: ADMIN_EMAIL, created: [] };
  const demoGiven = opts.demoPassword;
  const demoPassword = demoGiven ?? generatePassword();

  if (!(await findUserByIdentifier(sql, keyring, ADMIN_EMAIL))) {
    const given = opts.adminPassword;
    const password = given ?? generatePassword(20);
    await createUser(sql, keyring, {
      email: ADMIN_EMAIL,
      displayName: "Administrator",
      password,
      roles: ["admin"],
    });
    result.created.push(ADMIN_EMAIL);
    if (!given) result.adminPassword = password;
  }

  let demoUsed = false;
  for (const role of ROLES) {
    if (role === "admin" || role === "customer") continue;
    const email = `${role}@${SEED_DOMAIN}`;
    if (await findUserByIdentifier(sql, keyring, email)) continue;
    await createUser(sql, keyring, {
      email,
      displayName: STAFF_NAMES[role] ?? role,
      password: demoPassword,
      roles: [role],
    });
    result.created.push(email);
    demoUsed = true;
  }
  for (const c of SEED_CUSTOMERS) {
    if (await findUserByIdentifier(sql, keyring, c.phone)) continue;
    await createUser(sql, keyring, {
      phone: c.phone,
      email: "email" in c ? c.email : undefined,
      displayName: c.displayName,
      locale: c.locale,
      password: demoPassword,
      roles: ["customer"],
    });
    result.created.push(c.phone);
    demoUsed = true;
  }
  if (demoUsed && !demoGiven) result.demoPassword = demoPassword;
  return result;
}

if (import.meta.main && Deno.args.includes("--credentials")) {
  // Prints the demo accounts again (the embedded demo keeps its generated password in DATA_DIR).
  const { loadConfig } = await import("@/services/platform/config.ts");
  const { demoAccountsText, readDemoPassword } = await import("./demo_credentials.ts");
  const password = Deno.env.get("DEMO_PASSWORD") ||
    await readDemoPassword(loadConfig().DATA_DIR);
  if (!password) {
    console.error(
      "No demo password is kept here: demo accounts are made on the embedded database's first " +
        "start (`deno task start` with no DATABASE_URL), or set DEMO_PASSWORD before seeding.",
    );
    Deno.exit(1);
  }
  console.log(demoAccountsText(password));
} else if (import.meta.main) {
  const { loadConfig } = await import("@/services/platform/config.ts");
  const { openDatabase } = await import("@/services/platform/db.ts");
  const { migrate } = await import("@/services/platform/migrate.ts");
  const { loadKeyring } = await import("@/services/crypto/field_crypto.ts");
  const config = loadConfig();
  const db = await openDatabase(config);
  try {
    await migrate(db.sql);
    const keyring = await loadKeyring(config);
    const r = await seedIdentity(db.sql, keyring, {
      adminPassword: config.ADMIN_PASSWORD,
      demoPassword: Deno.env.get("DEMO_PASSWORD") || undefined,
    });
    console.log(`identity seed: ${r.created.length} account(s) created`);
    if (r.adminPassword) {
      console.log(
        `admin: ${r.adminEmail} / ${r.adminPassword}  (shown once; TOTP set-up at first sign-in)`,
      );
    }
    if (r.demoPassword) {
      console.log(
        `demo accounts (<role>@${SEED_DOMAIN}, customers by phone): password ${r.demoPassword}  (shown once)`,
      );
    }
    const { loadAppSecret } = await import("@/services/platform/secrets.ts");
    const { seedDemoData } = await import("@/scripts/seed_demo.ts");
    const kv = await Deno.openKv(":memory:");
    try {
      // The demo's shop orders go through checkout, which needs the KV (carts) and the keys.
      await seedDemoData(db, await loadAppSecret(config), console.log, { kv, keyring, config });
    } finally {
      kv.close();
    }
  } finally {
    await db.close();
  }
}
