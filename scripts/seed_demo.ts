/**
 * Demo data beyond accounts: the demo farm's devices (secrets derived from the app secret, so
 * `deno task simulate` can connect), the herd with two years of history, and the shop catalog.
 * Each seed skips what already exists, so running this twice changes nothing. Used by the first
 * embedded start (main.ts) and by `deno task seed`.
 */
import type { Database } from "@/services/platform/db.ts";
import { seedDemoDevices } from "@/services/iot/demo.ts";
import { createDutyContact, listDutyContacts } from "@/services/iot/duty.ts";
import { seedFarm } from "@/scripts/seed_farm.ts";
import { seedShop } from "@/scripts/seed_shop.ts";
import { seedShopPhotos } from "@/scripts/seed_shop_photos.ts";
import { createInventory } from "@/services/inventory/mod.ts";
import { seedProduction } from "@/services/production/mod.ts";
import { seedPurchase } from "@/services/purchase/seed.ts";
import { seedIntake } from "@/services/intake/seed.ts";
import { seedLineage } from "@/services/recall/demo.ts";
import { createDemoBooks, seedAccounting } from "@/services/accounting/mod.ts";
import { seedFarmStock } from "@/services/farm/seed_stock.ts";
import { createContexts } from "@/contexts.ts";
import { seedB2b } from "@/scripts/seed_b2b.ts";
import type { Keyring } from "@/services/crypto/field_crypto.ts";
import type { Config } from "@/services/platform/config.ts";

/** What the lineage demo needs to run the contexts' doors (the shop's checkout needs KV). */
export interface DemoWiring {
  kv: Deno.Kv;
  keyring: Keyring;
  config: Config;
}

export async function seedDemoData(
  db: Database,
  appSecret: string,
  log: (msg: string) => void = console.log,
  wiring?: DemoWiring,
): Promise<void> {
  const devices = await seedDemoDevices(db.sql, appSecret, { cows: 255 });
  if (devices.created) log(`demo farm: ${devices.created} devices registered`);
  // Someone on duty, so that alarms reach the outbox (and /admin/outbox) in the demo.
  if ((await listDutyContacts(db.sql)).length === 0) {
    await createDutyContact(db.sql, {
      name: "Farm manager on duty (demo)",
      channel: "sms",
      address: "+8801700000000",
      minSeverity: "warning",
    });
  }
  const farm = await seedFarm(db.sql);
  if (!farm.skipped) {
    log(
      `demo herd: ${farm.inHerd} animals on the farm, ${farm.milkRecords} milk records ` +
        `(${farm.seconds.toFixed(1)} s)`,
    );
  }
  await seedShop(db.sql);
  // Product photos: their sizes are made in a Worker thread while the rest is seeded.
  const photos = await seedShopPhotos(db.sql, log);
  // Farmers' numbers are stored encrypted: intake's demo needs the deployment's keyring.
  if (wiring) await seedIntake(db.sql, { appSecret, log, keyring: wiring.keyring });
  const prod = await seedProduction(db.sql, createInventory({ sql: db.sql }).port);
  if (!prod.skipped) log(`demo production: ${prod.boms} BoMs, ${prod.orders} production orders`);
  // The seeded operations' postings (same rules as the live port), posted in batches below.
  const books = createDemoBooks();
  await seedPurchase(db.sql, { log, ledger: books.port });
  await seedAccounting(db.sql, { log });
  const posted = await books.flush(db.sql);
  if (posted.created) {
    log(
      `demo books: ${posted.created} entries from the seeded operations (${
        posted.seconds.toFixed(1)
      } s)`,
    );
  }
  // Medicine and feed lots received at the farm store, linked to the farm's lists.
  const farmStock = await seedFarmStock(db.sql);
  if (!farmStock.skipped) {
    log(`demo farm store: ${farmStock.linked} feeds and medicines drawn from stock`);
  }
  if (wiring) {
    // Two years of tank milk through intake, quality release, production and shop orders.
    const now = new Date();
    let at = now;
    const clock = { now: () => at, set: (d: Date) => (at = d) };
    const contexts = createContexts({
      ...wiring,
      sql: db.sql,
      clock,
      appSecret,
      mqttUrl: () => "",
    });
    await seedLineage(contexts, { sql: db.sql, clock, now, log });
    // B2B: approved accounts with outlets, contract prices, standing orders and invoices.
    await seedB2b(contexts, clock, now, log);
  }
  await photos.done;
}
