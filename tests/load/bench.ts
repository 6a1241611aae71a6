/**
 * `deno task bench [--only <group>] [--json]`: runs the benchmark groups and prints their
 * figures, as a table or as one JSON object per line ({name, value, unit, baseline?, ratio?}).
 * Each group measures its own baseline in the same run; nothing here asserts on speed.
 */
import type { Figure } from "./harness.ts";

type Group = () => Promise<Figure[]>;

/** Groups load lazily so that `--only` runs just one; a missing group file is skipped. */
const groups: Record<string, () => Promise<Group | null>> = {
  home: async () => (await import("./home_bench.ts")).benchHome,
  ingest: () => optional("./ingest_bench.ts", "benchIngest"),
  shop: () => optional("./shop_bench.ts", "benchShop"),
  inventory: async () => {
    const { benchInventory } = await import("./inventory_bench.ts");
    const { benchLineage } = await import("./lineage_bench.ts");
    return async () => [...await benchInventory(), ...await benchLineage()];
  },
  dashboard: async () => (await import("./dashboard_bench.ts")).benchDashboard,
  ledger: async () => (await import("./ledger_bench.ts")).benchLedger,
  outbox: async () => (await import("./outbox_bench.ts")).benchOutbox,
  b2b: async () => (await import("./b2b_bench.ts")).benchB2b,
  lighthouse: async () => (await import("./lighthouse_bench.ts")).benchLighthouse,
  // The public API (issue 16): REST against the HTML catalog; webhook deliveries per second come
  // from tests/load/webhooks_bench.ts (`benchWebhooks`) when that file exists.
  api: async () => {
    const { benchApi } = await import("./api_bench.ts");
    const webhooks = await optional("./webhooks_bench.ts", "benchWebhooks");
    return async () => [...await benchApi(), ...(webhooks ? await webhooks() : [])];
  },
  // Outbound webhooks: signed deliveries per second to a local receiver (issue 16 §4).
  webhooks: async () => (await import("./webhooks_bench.ts")).benchWebhooks,
};

/** Groups that take minutes: run only when named with --only. */
const whenAsked = new Set(["lighthouse"]);

async function optional(file: string, name: string): Promise<Group | null> {
  try {
    await Deno.stat(new URL(file, import.meta.url));
  } catch {
    return null;
  }
  const mod = await import(file);
  return mod[name] as Group;
}

const args = Deno.args;
const json = args.includes("--json");
const onlyAt = args.indexOf("--only");
const only = onlyAt >= 0 ? args[onlyAt + 1] : null;
if (only && !(only in groups)) {
  console.error(`Unknown group "${only}". Groups: ${Object.keys(groups).join(", ")}`);
  Deno.exit(2);
}

let failed = false;
for (const [name, loadGroup] of Object.entries(groups)) {
  if (only ? name !== only : whenAsked.has(name)) continue;
  const group = await loadGroup();
  if (!group) {
    if (!json) console.log(`# ${name}: not available`);
    continue;
  }
  if (!json) console.log(`# ${name}`);
  try {
    for (const f of await group()) {
      if (json) console.log(JSON.stringify(f));
      else {
        const base = f.baseline !== undefined
          ? `  (baseline ${f.baseline} ${f.unit}, ratio ${f.ratio})`
          : "";
        console.log(`${f.name.padEnd(40)} ${String(f.value).padStart(12)} ${f.unit}${base}`);
      }
    }
  } catch (e) {
    failed = true;
    console.error(`bench group ${name} failed:`, e);
  }
}
Deno.exit(failed ? 1 : 0);
