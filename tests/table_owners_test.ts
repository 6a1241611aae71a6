/**
 * One door per context, for data (DESIGN.md §3, docs/architecture.md): only a context's own files
 * read or write its tables. Every table the migrations create has one owner below; no file in
 * services/<context>/ names another context's table in SQL (from, join, into, update, …). Other
 * contexts reach that data through the owner's door or a port it hands over.
 *
 * A new table with a new prefix needs a line in OWNERS (the test says which table).
 */
import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";

const root = new URL("../", import.meta.url);

/**
 * Who owns which tables: exact names first, then prefixes. The `shop_` prefix of the payments
 * tables is historical (docs/architecture.md).
 */
const OWNERS: Record<string, (string | RegExp)[]> = {
  platform: ["schema_migrations", "platform_job_days"],
  identity: ["users", "user_roles", "recovery_codes", "one_time_codes", "sign_in_failures"],
  audit: ["audit_log"],
  privacy: [/^privacy_/],
  notify: ["outbox_messages", /^notify_/],
  site: ["contact_messages"],
  payments: [
    "shop_payments",
    "shop_payment_events",
    "shop_refunds",
    "shop_balances",
    "shop_balance_entries",
    "shop_bank_statement_lines",
    "shop_cod_collections",
    "shop_cod_handins",
    "shop_reconciliation_issues",
  ],
  shop: [/^shop_/, "delivery_zones", /^geo_/, "shop_product_photos", "shop_photo_media"],
  farm: [
    /^farm_/,
    "bulls",
    "animals",
    "lactations",
    "repro_events",
    "milk_records",
    "bulk_tank_intakes",
    "medicines",
    "diagnoses",
    "vaccination_schedules",
    "treatments",
    "feed_items",
    "rations",
    "ration_items",
    "feedings",
  ],
  iot: [
    /^iot_/,
    "tanks",
    "devices",
    /^telemetry/,
    "device_events",
    "alarm_rules",
    "alarms",
    "alarm_events",
    "tank_holds",
    "duty_contacts",
  ],
  inventory: [/^inv_/],
  quality: [/^qc_/],
  production: [/^prod_/],
  purchase: [/^pur_/],
  intake: [/^intake_/],
  recall: [/^recall_/],
  accounting: [/^acc_/],
  b2b: [/^b2b_/],
  delivery: [/^delivery_/],
};
// Identity (issue 19 §6): passkeys and sign-in with Google/Facebook.
OWNERS.identity.push("passkeys", "social_identities");
// The public API (issue 16): clients, keys, signing keys, rate windows, call log.
OWNERS.api = [/^api_/];
// Outbound webhooks (issue 16 §4).
OWNERS.webhooks = [/^webhook_/];

/** The owning context of a table, or null when OWNERS does not say. */
function ownerOf(table: string): string | null {
  for (const [ctx, names] of Object.entries(OWNERS)) {
    if (names.includes(table)) return ctx;
  }
  for (const [ctx, names] of Object.entries(OWNERS)) {
    if (names.some((n) => n instanceof RegExp && n.test(table))) return ctx;
  }
  return null;
}

async function* files(dir: URL, pattern: RegExp): AsyncGenerator<URL> {
  for await (const e of Deno.readDir(dir)) {
    const url = new URL(e.name + (e.isDirectory ? "/" : ""), dir);
    if (e.isDirectory) yield* files(url, pattern);
    else if (pattern.test(e.name)) yield url;
  }
}

/** Every table (and view) the migrations create. */
async function migrationTables(): Promise<Set<string>> {
  const out = new Set<string>(["schema_migrations"]);
  const create =
    /create\s+(?:unlogged\s+)?(?:table|view|materialized\s+view)\s+(?:if\s+not\s+exists\s+)?([a-z_][a-z0-9_]*)/gi;
  for await (const f of files(new URL("migrations/", root), /\.sql$/)) {
    for (const m of (await Deno.readTextFile(f)).matchAll(create)) out.add(m[1].toLowerCase());
  }
  return out;
}

/** Source without comments (so "reads from users" in prose is not a query). */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:])\/\/.*$/gm, "$1");
}

const SQL_REF =
  /\b(?:from|join|into|update|references|truncate|table)\s+(?:only\s+)?([a-z_][a-z0-9_]*)\b/gi;

/** Tables each services/<context>/ file names in SQL, with the file. */
async function references(): Promise<{ ctx: string; file: string; table: string }[]> {
  const tables = await migrationTables();
  const out: { ctx: string; file: string; table: string }[] = [];
  const services = new URL("services/", root);
  for await (const f of files(services, /\.tsx?$/)) {
    const file = f.pathname.slice(services.pathname.length);
    const ctx = file.split("/")[0];
    const text = code(await Deno.readTextFile(f));
    for (const m of text.matchAll(SQL_REF)) {
      const table = m[1].toLowerCase();
      if (tables.has(table)) out.push({ ctx, file, table });
    }
  }
  return out;
}

Deno.test("every table the migrations create has an owning context", async () => {
  const orphans = [...await migrationTables()].filter((t) => ownerOf(t) === null);
  assertEquals(orphans, [], "tables without an owner in tests/table_owners_test.ts OWNERS");
});

Deno.test("no context's code reads or writes another context's tables", async () => {
  const trespass = (await references())
    .filter((r) => ownerOf(r.table) !== r.ctx)
    .map((r) => `services/${r.file} names ${r.table} (owned by ${ownerOf(r.table)})`);
  assertEquals([...new Set(trespass)], []);
});

Deno.test("payments names only its own tables (not shop_orders, not users)", async () => {
  const refs = await references();
  const payments = refs.filter((r) => r.ctx === "payments");
  // Guards the checks above against a pattern that finds nothing and passes.
  ok(payments.some((r) => r.table === "shop_payments"), "found payments' own queries");
  ok(refs.some((r) => r.ctx === "shop" && r.table === "shop_orders"), "found the shop's queries");
  const foreign = payments.filter((r) => ["shop_orders", "users"].includes(r.table));
  assertEquals(foreign.map((r) => `${r.file}: ${r.table}`), []);
});

Deno.test("the owner map knows what the comment-stripper and the SQL pattern see", () => {
  const sample = code(`
    // select * from users
    /** joins shop_orders */
    const url = "http://x/y";
    await sql\`select p.* from shop_payments p left join shop_orders o on o.id = p.order_id\`;`);
  const seen = [...sample.matchAll(SQL_REF)].map((m) => m[1]);
  assertEquals(seen, ["shop_payments", "shop_orders"]);
  assertEquals(ownerOf("shop_payments"), "payments");
  assertEquals(ownerOf("shop_orders"), "shop");
  assertEquals(ownerOf("users"), "identity");
});
