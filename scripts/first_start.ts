/**
 * First start: when the users table is empty there is no way in, so an administrator is created
 * and its password printed once. On the embedded database (a demo or a developer's machine) the
 * demo accounts come too (scripts/seed.ts `seedIdentity`); on a server database only the admin,
 * never accounts with a shared demo password.
 */
import type { Database } from "@/services/platform/db.ts";
import type { Keyring } from "@/services/crypto/field_crypto.ts";
import type { Config } from "@/services/platform/config.ts";
import { createUser, listUsers } from "@/services/identity/users.ts";
import { generatePassword } from "@/services/identity/passwords.ts";
import { seedIdentity } from "@/scripts/seed.ts";
import { ADMIN_EMAIL, SEED_DOMAIN } from "@/scripts/demo_credentials.ts";
import { saveDemoPassword } from "@/scripts/demo_credentials.ts";

/** Seeds an empty users table; returns the banner to print (null when nothing was created). */
export async function seedOnFirstStart(
  db: Database,
  keyring: Keyring,
  config: Pick<Config, "ADMIN_PASSWORD"> & { DATA_DIR?: string },
): Promise<string | null> {
  const { total } = await listUsers(db.sql, keyring, { limit: 1 });
  if (total > 0) return null;
  let adminPassword: string | undefined;
  let demoPassword: string | undefined;
  if (db.kind === "embedded") {
    const r = await seedIdentity(db.sql, keyring, { adminPassword: config.ADMIN_PASSWORD });
    adminPassword = r.adminPassword;
    demoPassword = r.demoPassword;
    // Kept so that `deno task seed --credentials` can print the demo accounts again.
    if (demoPassword && config.DATA_DIR) await saveDemoPassword(config.DATA_DIR, demoPassword);
  } else {
    const password = config.ADMIN_PASSWORD ?? generatePassword(20);
    await createUser(db.sql, keyring, {
      email: ADMIN_EMAIL,
      displayName: "Administrator",
      password,
      roles: ["admin"],
    });
    if (!config.ADMIN_PASSWORD) adminPassword = password;
  }
  return firstStartBanner({ adminPassword, demoPassword });
}

export function firstStartBanner(p: { adminPassword?: string; demoPassword?: string }): string {
  const line = "=".repeat(72);
  const out = [
    line,
    "  First start: an administrator account was created.",
    "",
    `    sign in at   /signin`,
    `    email        ${ADMIN_EMAIL}`,
    `    password     ${p.adminPassword ?? "(the ADMIN_PASSWORD you set)"}`,
    "",
    "  You will be asked to set up a second factor (an authenticator app) at the",
    "  first sign-in. This password is shown only this once: note it now.",
  ];
  if (p.demoPassword) {
    out.push(
      "",
      `  Demo accounts: <role>@${SEED_DOMAIN} (e.g. farm_manager@${SEED_DOMAIN}) and`,
      `  customers by phone (e.g. 01711-000101), password ${p.demoPassword}`,
      "  (`deno task seed --credentials` prints the demo accounts again)",
    );
  }
  out.push(line);
  return out.join("\n");
}
