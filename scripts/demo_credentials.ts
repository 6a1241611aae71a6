/**
 * The embedded demo's shared password, kept so that `deno task seed --credentials` can print the
 * demo accounts again (the admin's password is never kept: it is shown once). The file lives in
 * `DATA_DIR` beside the generated app secret, readable by its owner only, and exists only where
 * the demo accounts were created with a generated password (the embedded default).
 */
import { join } from "node:path";
import { ROLES } from "@/services/identity/roles.ts";

/** The demo accounts' domain: staff demo accounts are `<role>@smartdairy.test`. */
export const SEED_DOMAIN = "smartdairy.test";
export const ADMIN_EMAIL = `admin@${SEED_DOMAIN}`;

export const SEED_CUSTOMERS = [
  { displayName: "Rahima Begum", phone: "+8801711000101", locale: "bn" },
  { displayName: "Abdul Karim", phone: "+8801819000102", locale: "bn" },
  {
    displayName: "Nusrat Jahan",
    phone: "+8801552000103",
    email: "nusrat@example.com",
    locale: "en",
  },
  { displayName: "Tanvir Hasan", phone: "+8801913000104", locale: "en" },
  { displayName: "Farhana Akter", phone: "+8801677000105", locale: "bn" },
] as const;

const FILE = "demo_password";

export async function saveDemoPassword(dataDir: string, password: string): Promise<void> {
  await Deno.mkdir(dataDir, { recursive: true });
  await Deno.writeTextFile(join(dataDir, FILE), password + "\n", { mode: 0o600 });
}

/** The kept demo password, or null when this data directory has none. */
export async function readDemoPassword(dataDir: string): Promise<string | null> {
  try {
    return (await Deno.readTextFile(join(dataDir, FILE))).trim() || null;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
}

/** The demo accounts, one per line, for the terminal. */
export function demoAccountsText(password: string): string {
  const staff = ROLES.filter((r) => r !== "admin" && r !== "customer")
    .map((r) => `  ${`${r}@${SEED_DOMAIN}`.padEnd(34)} ${r}`);
  const customers = SEED_CUSTOMERS.map((c) =>
    `  ${c.phone.replace("+880", "0").padEnd(34)} customer (${c.displayName})`
  );
  return [
    "Demo accounts (all share one password; the admin's was shown only at first start):",
    ...staff,
    ...customers,
    `  password: ${password}`,
  ].join("\n");
}
