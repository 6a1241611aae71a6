/**
 * The restore drill on a throwaway PostgreSQL cluster (its own port, created and dropped here):
 * backup:setup turns on WAL archiving into an encrypted pgBackRest repository; orders and meter
 * readings are written continuously; a backup and `deno task drill` run while they are; then the
 * cluster is killed mid-write (SIGKILL, as a power cut), `deno task restore` brings it back to the
 * newest archived point, and the test counts what was lost among the writes the database had
 * acknowledged. It prints RPO and RTO. Needs root and Debian's pgbackrest and postgresql-common;
 * reported as ignored otherwise.
 */
import { equal, ok } from "node:assert/strict";
import { join } from "node:path";
import postgres from "postgres";
import { migrate } from "@/services/platform/migrate.ts";
import { seedShop } from "@/scripts/seed_shop.ts";
import { createInventory } from "@/services/inventory/mod.ts";
import { testKeyring } from "@/tests/helpers/app.ts";
import { placeOrder } from "@/services/shop/orders.ts";
import { addDays, dhakaDate } from "@/services/platform/dhaka.ts";
import { startServingApp } from "@/services/ops/app_probe.ts";
import { checkoutFor, variantId } from "@/tests/shop/_helpers.ts";
import { runTask, serverToolsMissing } from "./_helpers.ts";

const ARCHIVE_TIMEOUT = 5; // seconds: the longest a committed write waits to be archived

async function sh(cmd: string[]): Promise<string> {
  const out = await new Deno.Command(cmd[0], {
    args: cmd.slice(1),
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  const dec = new TextDecoder();
  if (out.code !== 0) throw new Error(`${cmd.join(" ")}: ${dec.decode(out.stderr)}`);
  return dec.decode(out.stdout);
}

async function majorVersion(): Promise<number> {
  const dirs: number[] = [];
  for await (const e of Deno.readDir("/usr/lib/postgresql")) {
    if (e.isDirectory && /^\d+$/.test(e.name)) dirs.push(Number(e.name));
  }
  return Math.max(...dirs);
}

/** A port in 5450–5469 that nothing listens on. */
function freeClusterPort(): number {
  for (let p = 5450; p <= 5469; p++) {
    try {
      Deno.listen({ hostname: "127.0.0.1", port: p }).close();
      return p;
    } catch { /* taken */ }
  }
  throw new Error("no free port in 5450–5469");
}

interface Written {
  kind: "order" | "reading";
  key: string;
  /** When the database acknowledged the commit (client clock). */
  at: number;
}

Deno.test({
  name: "drill: continuous writes, a killed cluster, restore to the newest point — RPO and RTO",
  ignore: serverToolsMissing.length > 0,
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  const major = await majorVersion();
  const port = freeClusterPort();
  const name = `sd_drill_${crypto.randomUUID().slice(0, 8)}`;
  const work = await Deno.makeTempDir({ prefix: "sd_drill_test_", dir: "/var/tmp" });
  await Deno.chmod(work, 0o755); // postgres (archive-push) reads the configuration below it
  const url = `postgres://postgres@127.0.0.1:${port}/smartdairy`;
  const env = {
    DATABASE_URL: url,
    DATA_DIR: join(work, "data"),
    KV_PATH: join(work, "data", "kv.sqlite3"),
    BACKUP_REPO_PATH: join(work, "repo"),
    BACKUP_CONFIG: join(work, "conf", "pgbackrest.conf"),
    BACKUP_STANZA: name.replace(/_/g, "-"),
    BACKUP_ARCHIVE_TIMEOUT: String(ARCHIVE_TIMEOUT),
  };
  await sh(["pg_createcluster", String(major), name, "-p", String(port)]);
  let writer: postgres.Sql | null = null;
  // The power cut may catch postgres.js writing to a socket the dead server already closed: a
  // TypeError thrown from the library's own timer, not from any call of ours. Expected of a power
  // cut, so not a failure of the drill (what was written and recovered is what it judges).
  const deadSocket = (e: ErrorEvent) => {
    if (e.error instanceof TypeError && /postgres\/src\/connection\.js/.test(e.error.stack ?? "")) {
      e.preventDefault();
    }
  };
  globalThis.addEventListener("error", deadSocket);
  try {
    // The throwaway cluster trusts local TCP connections (never the machine's main cluster).
    const hba = `/etc/postgresql/${major}/${name}/pg_hba.conf`;
    await Deno.writeTextFile(hba, "local all all peer\nhost all all 127.0.0.1/32 trust\n");
    await sh(["pg_ctlcluster", String(major), name, "start"]);
    const admin = postgres(`postgres://postgres@127.0.0.1:${port}/postgres`, { max: 1 });
    await admin`create database smartdairy`;
    await admin.end();

    writer = postgres(url, { max: 4, onnotice: () => {} });
    await migrate(writer);
    const today = dhakaDate(new Date());
    await seedShop(writer, { stock: 20_000, on: today, expiresOn: addDays(today, 60) });

    const setup = await runTask(["setup", "--restart"], env);
    console.log(setup.output.trim());
    equal(setup.code, 0, setup.output);

    // Writers: orders through the shop's own use case, readings as the ingest writes them.
    const keyring = await testKeyring();
    const od = { keyring, stock: createInventory({ sql: writer }).port };
    const ghee = await variantId(writer, "GHEE-500");
    const checkout = await checkoutFor(writer);
    const written: Written[] = [];
    let failures = 0;
    let stop = false;
    const sql = writer;
    const orders = (async () => {
      while (!stop) {
        try {
          const o = await placeOrder(sql, od, {
            userId: null,
            locale: "en",
            items: [{ variantId: ghee, qty: 1 }],
            checkout,
            allowedMethods: ["cod"],
          });
          written.push({ kind: "order", key: o.number, at: Date.now() });
        } catch {
          failures++;
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    })();
    let seq = 0;
    const readings = (async () => {
      while (!stop) {
        const n = ++seq;
        try {
          await sql`insert into telemetry (device_id, metric, at, value, tank_id)
                    values ('drill-meter', 'seq', now(), ${n}, 'T1')`;
          written.push({ kind: "reading", key: String(n), at: Date.now() });
        } catch {
          failures++;
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    })();

    await new Promise((r) => setTimeout(r, 3000));
    const backup = await runTask(["backup"], env);
    console.log(backup.output.trim());
    equal(backup.code, 0, backup.output);
    await new Promise((r) => setTimeout(r, 2000));

    // The drill while the writes go on: restore into a scratch cluster, check, serve.
    const drill = await runTask(["drill"], env);
    console.log(drill.output.trim());
    equal(drill.code, 0, drill.output);
    ok(drill.output.includes("DRILL PASSED"));
    const drillRpo = /RPO: ([\d.]+) s/.exec(drill.output);
    ok(/RTO: /.test(drill.output) && /RPO: /.test(drill.output));
    if (drillRpo) ok(Number(drillRpo[1]) <= 60, `drill RPO ${drillRpo[1]} s > 1 minute`);

    // The power cut: SIGKILL the postmaster mid-write.
    await new Promise((r) => setTimeout(r, 2000));
    const dataDir = `/var/lib/postgresql/${major}/${name}`;
    const pid = Number((await Deno.readTextFile(join(dataDir, "postmaster.pid"))).split("\n")[0]);
    const ordersBefore = written.filter((w) => w.kind === "order").length;
    ok(
      ordersBefore > 5,
      `the writer placed too few orders (${ordersBefore}, ${failures} failures)`,
    );
    Deno.kill(pid, "SIGKILL");
    const killedAt = Date.now();
    // Children die with the postmaster's loss of its connections; let the writers notice.
    await new Promise((r) => setTimeout(r, 1000));
    stop = true;
    await Promise.all([orders, readings]);
    await writer.end({ timeout: 1 }).catch(() => {});
    writer = null;
    // What the database acknowledged before it died.
    const acked = written.filter((w) => w.at <= killedAt);

    // Recovery: restore to the newest archived point, then the app serves again.
    const t0 = performance.now();
    const restore = await runTask(["restore"], env);
    console.log(restore.output.trim());
    equal(restore.code, 0, restore.output);
    const app = await startServingApp({
      DATABASE_URL: url,
      DATA_DIR: env.DATA_DIR,
      KV_PATH: env.KV_PATH,
    }, 10 * 60_000);
    const rto = (performance.now() - t0) / 1000;
    await app.stop();

    const check = postgres(url, { max: 1, onnotice: () => {} });
    try {
      const numbers = new Set(
        (await check`select number from shop_orders`).map((r) => r.number as string),
      );
      const seqs = new Set(
        (await check`select value from telemetry where device_id = 'drill-meter'`)
          .map((r) => String(r.value)),
      );
      const lostOrders = acked.filter((w) => w.kind === "order" && !numbers.has(w.key));
      const readingsAcked = acked.filter((w) => w.kind === "reading");
      const lostReadings = readingsAcked.filter((w) => !seqs.has(w.key));
      const survivors = acked.filter((w) => !lostOrders.includes(w) && !lostReadings.includes(w));
      const newestRecovered = Math.max(...survivors.map((w) => w.at));
      const newestWritten = Math.max(...acked.map((w) => w.at));
      const rpo = (newestWritten - newestRecovered) / 1000;
      const oldestLost = Math.min(...[...lostOrders, ...lostReadings].map((w) => w.at));
      console.log(
        `drill test: ${acked.length} writes acknowledged before the kill ` +
          `(${acked.length - readingsAcked.length} orders, ${readingsAcked.length} readings); ` +
          `lost ${lostOrders.length} orders and ${lostReadings.length} readings` +
          (Number.isFinite(oldestLost)
            ? `, the oldest ${((killedAt - oldestLost) / 1000).toFixed(1)} s before the kill`
            : "") +
          `\nRPO: ${rpo.toFixed(1)} s (newest acknowledged − newest recovered)` +
          `\nRTO: ${rto.toFixed(1)} s (restore start → serving app)`,
      );
      // Nothing committed longer ago than the archive interval (plus the switch's own time) is lost.
      const limit = killedAt - (ARCHIVE_TIMEOUT + 10) * 1000;
      const lostOld = [...lostOrders, ...lostReadings].filter((w) => w.at < limit);
      equal(lostOld.length, 0, `writes lost that were older than the archive interval`);
      ok(rpo <= 60, `RPO ${rpo} s > 1 minute`);
      ok(rto <= 15 * 60, `RTO ${rto} s > 15 minutes`);
      ok(survivors.length > 0, "something was recovered");
    } finally {
      await check.end({ timeout: 1 });
    }

    // Point in time: back to a moment amid the writes (a mistake made at `cut`), server running.
    const orderAcks = acked.filter((w) => w.kind === "order");
    const cut = orderAcks[Math.floor(orderAcks.length / 2)].at;
    const pitr = await runTask(["restore", "--stop", "--to", new Date(cut).toISOString()], env);
    console.log(pitr.output.trim());
    equal(pitr.code, 0, pitr.output);
    const back = postgres(url, { max: 1, onnotice: () => {} });
    try {
      const numbers = new Set(
        (await back`select number from shop_orders`).map((r) => r.number as string),
      );
      const early = orderAcks.filter((w) => w.at < cut);
      const late = orderAcks.filter((w) => w.at > cut + 2000);
      ok(early.length > 0 && late.length > 0);
      equal(early.filter((w) => !numbers.has(w.key)).length, 0, "orders before the moment kept");
      equal(late.filter((w) => numbers.has(w.key)).length, 0, "orders after the moment gone");
    } finally {
      await back.end({ timeout: 1 });
    }
  } finally {
    globalThis.removeEventListener("error", deadSocket);
    await writer?.end({ timeout: 1 }).catch(() => {});
    await sh(["pg_dropcluster", "--stop", String(major), name]).catch((e) =>
      console.error(`dropping ${name}: ${e.message}`)
    );
    await Deno.remove(work, { recursive: true }).catch(() => {});
  }
});
