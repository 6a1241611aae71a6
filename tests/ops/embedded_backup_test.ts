/**
 * Embedded-mode backups: the app's snapshot (PGlite's dump + KV + secrets, encrypted) restored by
 * `deno task restore` while the app is stopped; the app then serves the orders placed before the
 * snapshot, not the one placed after, and the staff session kept in KV works again. The drill
 * checks the snapshot against the live database. Always embedded (PGlite in a DATA_DIR of its
 * own), whichever database the other tests use.
 */
import { equal, match, ok, rejects } from "node:assert/strict";
import { join } from "node:path";
import { loadConfig } from "@/services/platform/config.ts";
import { type EmbeddedDatabase, openEmbedded } from "@/services/platform/db.ts";
import { migrate } from "@/services/platform/migrate.ts";
import { openKv } from "@/services/platform/kv.ts";
import { loadAppSecret } from "@/services/platform/secrets.ts";
import { loadKeyring } from "@/services/crypto/field_crypto.ts";
import { seedShop } from "@/scripts/seed_shop.ts";
import { createInventory } from "@/services/inventory/mod.ts";
import { placeOrder } from "@/services/shop/orders.ts";
import { createUser } from "@/services/identity/users.ts";
import { sessionStore } from "@/services/identity/sessions.ts";
import { toSessionUser } from "@/plugins/session.ts";
import { addDays, dhakaDate } from "@/services/platform/dhaka.ts";
import {
  listSnapshots,
  openArchive,
  startEmbeddedBackups,
  takeSnapshot,
} from "@/services/ops/mod.ts";
import { BackupPassphraseError } from "@/services/ops/archive.ts";
import { checkoutFor, variantId } from "@/tests/shop/_helpers.ts";
import { appOn, runTask } from "./_helpers.ts";

Deno.test({
  name: "embedded: a snapshot restored by deno task restore; the app serves the restored orders",
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "sd_ops_embedded_" });
  const env = { DATA_DIR: dataDir, BACKUP_KEEP: "2" };
  const config = loadConfig({ DATA_DIR: dataDir, BACKUP_KEEP: "2" });
  try {
    let db: EmbeddedDatabase = await openEmbedded({ dataDir: join(dataDir, "pg") });
    let kv = await openKv(config);
    const keyring = await loadKeyring(config);
    const appSecret = await loadAppSecret(config);
    await migrate(db.sql);
    const today = dhakaDate(new Date());
    await seedShop(db.sql, { on: today, expiresOn: addDays(today, 60) });
    const od = { keyring, stock: createInventory({ sql: db.sql }).port };
    const ghee = await variantId(db.sql, "GHEE-500");
    const order = async () =>
      (await placeOrder(db.sql, od, {
        userId: null,
        locale: "en",
        items: [{ variantId: ghee, qty: 1 }],
        checkout: await checkoutFor(db.sql),
        allowedMethods: ["cod"],
      })).number;
    const staff = await createUser(db.sql, keyring, {
      phone: "+8801711000999",
      displayName: "Sales Manager",
      password: "correct horse battery staple",
      locale: "en",
      roles: ["admin"],
    });
    const session = async () =>
      `sd_session=${
        (await sessionStore(kv).create({
          user: toSessionUser(staff),
          stage: "signed_in",
          totpEnabled: false,
          secondFactorAt: Date.now(),
        })).token
      }`;
    const cookie = await session();
    const before = [await order(), await order()];

    // Three snapshots with BACKUP_KEEP=2: the oldest is rotated away.
    const t = Date.now();
    for (let i = 0; i < 3; i++) await takeSnapshot(db, kv, config, new Date(t + i * 1000));
    const snaps = await listSnapshots(config);
    equal(snaps.length, 2, "rotation keeps BACKUP_KEEP snapshots");
    equal(snaps[1].createdAt.getTime(), Math.floor((t + 2000) / 1000) * 1000);
    // Encrypted: not readable without the passphrase.
    await rejects(
      openArchive("not the passphrase at all", await Deno.readFile(snaps[1].path)),
      BackupPassphraseError,
    );

    const after = await order();
    const lateCookie = await session(); // a session the snapshot does not have

    // The drill with the app stopped: restore into scratch and compare with the live database.
    kv.close();
    await db.close();
    const drill = await runTask(["drill", "--no-serve"], env);
    // Compared as of the recovery point: the order placed after the snapshot is the RPO, not a
    // difference.
    equal(drill.code, 0, drill.output);
    match(drill.output, /DRILL PASSED/);
    match(drill.output, /ok +row counts and money sums/);
    const rpo = Number(/RPO: ([\d.]+) s/.exec(drill.output)?.[1]);
    ok(rpo > 0, `the order placed after the snapshot makes the RPO (${rpo})`);
    match(drill.output, /ok +migrations: all \d+ applied/);
    match(drill.output, /ok +audit chain: intact/);
    match(drill.output, /RPO: /);

    // Restoring while the database is in use is refused.
    db = await openEmbedded({ dataDir: join(dataDir, "pg") });
    const busy = await runTask(["restore"], env);
    equal(busy.code, 1);
    match(busy.output, /in use by another process/);
    await db.close();

    const restore = await runTask(["restore"], env);
    equal(restore.code, 0, restore.output);
    match(restore.output, /restored .*sd-\d{8}T\d{6}Z\.sdbak/);

    db = await openEmbedded({ dataDir: join(dataDir, "pg") });
    kv = await openKv(config);
    try {
      const { fetch } = await appOn(db, kv, config, keyring, appSecret);
      for (const number of before) {
        const res = await fetch(`/admin/shop/orders/${number}`, { headers: { cookie } });
        const html = await res.text();
        equal(res.status, 200, `order ${number} after the restore`);
        ok(html.includes(number), `the page shows ${number}`);
      }
      const gone = await fetch(`/admin/shop/orders/${after}`, { headers: { cookie } });
      equal(gone.status, 404, "the order placed after the snapshot is not there");
      await gone.body?.cancel();
      const late = await fetch(`/admin/shop/orders/${before[0]}`, {
        headers: { cookie: lateCookie },
        redirect: "manual",
      });
      ok(late.status !== 200, "the session made after the snapshot is gone with the KV restore");
      await late.body?.cancel();
    } finally {
      kv.close();
      await db.close();
    }
    // The replaced database was kept aside.
    const kept = [...Deno.readDirSync(dataDir)].filter((e) =>
      e.name.startsWith("pg.before-restore-")
    );
    equal(kept.length, 1);
  } finally {
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  }
});

Deno.test({
  name: "embedded schedule: a snapshot when the newest is an interval old, and when the task asks",
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "sd_ops_schedule_" });
  const config = loadConfig({ DATA_DIR: dataDir, BACKUP_INTERVAL_HOURS: "6" });
  const db = await openEmbedded({ dataDir: join(dataDir, "pg") });
  const kv = await openKv(config);
  let at = new Date("2026-12-01T00:00:00Z").getTime();
  const clock = { now: () => new Date(at) };
  const backups = startEmbeddedBackups({
    db,
    kv,
    config,
    clock,
    pollMs: 50,
    startDelayMs: 0,
    log: () => {},
  });
  const count = async () => (await listSnapshots(config)).length;
  const until = async (n: number) => {
    const deadline = Date.now() + 60_000;
    while ((await count()) < n && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    equal(await count(), n);
  };
  try {
    await until(1); // none yet: one at once
    at += 5 * 3600_000;
    await new Promise((r) => setTimeout(r, 500));
    equal(await count(), 1, "5 hours later: not due");
    at += 3600_000;
    await until(2); // 6 hours: due
    // `deno task backup` while this process holds the database: it asks, we take it.
    at += 60_000;
    const asked = await runTask(["backup"], { DATA_DIR: dataDir });
    equal(asked.code, 0, asked.output);
    match(asked.output, /The app is running: asking it for a snapshot/);
    equal(await count(), 3);
  } finally {
    await backups.stop();
    kv.close();
    await db.close();
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  }
});
