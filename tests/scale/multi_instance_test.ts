/**
 * The proof on one machine (issue 18 §5): PostgreSQL, a private Mosquitto, two web instances
 * (`main.ts --web`, i.e. `deno task web`), two ingest workers and two schedulers
 * (`deno task worker ingest|schedulers`), each its own process, the web behind HAProxy. Under a
 * bounded load of browsing, signed-in checkouts (cash on delivery) and 20,000 readings, one web
 * instance and one ingest worker are killed with SIGKILL (the ingest is started again with its
 * client id, as its supervisor would: Mosquitto keeps a persistent session's share of the
 * messages for it). Then:
 * - signed-in customers are still signed in and still have their carts (sessions and carts live
 *   in KV, shared here through one KV file on this host; several hosts use KV_URL);
 * - every order a customer saw placed is in the database once, and no other (a checkout cut off
 *   by the kill is sent again with the same form token, as a browser's retry would be);
 * - the 20,000 readings are all stored, none twice;
 * - the daily subscription job placed one order per subscription and date, run by one leader;
 * - the balancer's 5xx answers are at most the requests in flight at the kill.
 *
 * Needs a PostgreSQL server (TEST_DATABASE_URL), `haproxy` and `mosquitto` (Debian packages,
 * installed by .ci/run); on the embedded database it reports itself skipped (PGlite serves one
 * process, so several instances need the server).
 */
import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import { fileURLToPath } from "node:url";
import mqtt from "mqtt";
import { testDatabaseUrl, withTestDb } from "@/tests/helpers/db.ts";
import { seedShop } from "@/scripts/seed_shop.ts";
import { bananiAddress, checkoutFor } from "@/tests/shop/_helpers.ts";
import { createKeyring, generateFieldKey, parseFieldKeys } from "@/services/crypto/field_crypto.ts";
import { createUser } from "@/services/identity/users.ts";
import { sessionStore } from "@/services/identity/sessions.ts";
import { toSessionUser } from "@/plugins/session.ts";
import { createSubscription } from "@/services/shop/subscriptions.ts";
import { createDevice } from "@/services/iot/devices.ts";
import { DEFAULT_TOPIC_NAMESPACE, topicsFor } from "@/services/iot/contract.ts";
import { addDays, dhakaDate, dhakaInstant } from "@/services/platform/dhaka.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const READINGS = 20_000;
const DEVICES = 20;
const CUSTOMERS = 6;
const SUBSCRIPTIONS = 4;
/** Checkouts each buyer makes across the kill. */
const BUYER_ROUNDS = 6;

function which(name: string): string | null {
  for (const dir of ["/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin", "/sbin"]) {
    try {
      if (Deno.statSync(`${dir}/${name}`).isFile) return `${dir}/${name}`;
    } catch { /* not there */ }
  }
  return null;
}
const HAPROXY = which("haproxy");
const MOSQUITTO = which("mosquitto");
const SERVER = testDatabaseUrl();

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

interface Proc {
  name: string;
  child: Deno.ChildProcess;
  output(): string;
  exited: boolean;
  kill(signal: Deno.Signal): void;
  status: Promise<Deno.CommandStatus>;
}

function spawn(name: string, cmd: string, args: string[], env: Record<string, string>): Proc {
  const base = Deno.env.toObject();
  for (const k of Object.keys(base)) {
    if (k.startsWith("TEST_") || k.startsWith("METRICS_") || k === "DATABASE_URL") delete base[k];
  }
  const child = new Deno.Command(cmd, {
    args,
    cwd: ROOT,
    env: { ...base, NO_COLOR: "1", ...env },
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let out = "";
  const pump = async (s: ReadableStream<Uint8Array>) => {
    const dec = new TextDecoder();
    for await (const chunk of s) out = (out + dec.decode(chunk, { stream: true })).slice(-20_000);
  };
  pump(child.stdout).catch(() => {});
  pump(child.stderr).catch(() => {});
  const p: Proc = {
    name,
    child,
    output: () => out,
    exited: false,
    kill(signal) {
      try {
        child.kill(signal);
      } catch { /* gone */ }
    },
    status: child.status,
  };
  child.status.then(() => (p.exited = true));
  return p;
}

async function waitReady(p: Proc, url: string, timeoutMs = 90_000): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (performance.now() < end) {
    if (p.exited) throw new Error(`${p.name} exited while starting:\n${p.output()}`);
    try {
      const r = await fetch(url);
      await r.body?.cancel();
      if (r.status === 200) return;
    } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${p.name} not ready at ${url} within ${timeoutMs} ms:\n${p.output()}`);
}

async function stopAll(procs: Proc[]) {
  for (const p of procs) if (!p.exited) p.kill("SIGTERM");
  await Promise.all(procs.map(async (p) => {
    const t = setTimeout(() => p.kill("SIGKILL"), 10_000);
    await p.status.catch(() => {});
    clearTimeout(t);
  }));
}

/** A browser's cookie jar and the balancer's answers, counting what was in flight. */
class Load {
  inFlight = 0;
  failures = 0;
  requests = 0;
  /** Requests started while a kill is under way (SIGKILL sent, its exit not yet seen). */
  startedInKill: number | null = null;
  constructor(readonly base: string) {}
  async fetch(path: string, init: RequestInit & { cookie?: string } = {}): Promise<Response> {
    this.inFlight++;
    this.requests++;
    if (this.startedInKill !== null) this.startedInKill++;
    try {
      const headers = new Headers(init.headers);
      if (init.cookie) headers.set("cookie", init.cookie);
      const r = await fetch(this.base + path, { redirect: "manual", ...init, headers });
      if (r.status >= 500) this.failures++;
      return r;
    } catch (e) {
      this.failures++;
      throw e;
    } finally {
      this.inFlight--;
    }
  }
}

/** A signed-in customer: their cookies, and the orders they saw placed. */
interface Customer {
  userId: string;
  cookie: string;
  placed: Set<string>;
}

function mergeCookies(cookie: string, res: Response): string {
  const jar = new Map(cookie.split("; ").filter(Boolean).map((c) => [c.split("=")[0], c]));
  for (const c of res.headers.getSetCookie().map((c) => c.split(";")[0])) {
    jar.set(c.split("=")[0], c);
  }
  return [...jar.values()].join("; ");
}

/** GET a page (retrying a failed answer, as a person would reload) and read its form. */
async function page(load: Load, c: Customer, path: string) {
  for (let attempt = 0;; attempt++) {
    try {
      const res = await load.fetch(path, { cookie: c.cookie });
      const html = await res.text();
      if (res.status < 500) {
        c.cookie = mergeCookies(c.cookie, res);
        return { status: res.status, html, csrf: html.match(/name="_csrf" value="([^"]+)"/)?.[1] };
      }
    } catch { /* the balancer cut it off: reload */ }
    if (attempt >= 5) throw new Error(`GET ${path} kept failing`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** POST a form; a failed answer is sent again with the same fields (a browser's retry). */
async function postForm(
  load: Load,
  c: Customer,
  path: string,
  fields: Record<string, string>,
): Promise<Response> {
  for (let attempt = 0;; attempt++) {
    try {
      const res = await load.fetch(path, {
        method: "POST",
        cookie: c.cookie,
        body: new URLSearchParams(fields),
        headers: {
          origin: load.base,
          "content-type": "application/x-www-form-urlencoded",
        },
      });
      const html = await res.text();
      if (res.status < 500) {
        c.cookie = mergeCookies(c.cookie, res);
        if (res.status !== 303) {
          const said = html.match(/role="alert"[^>]*>([\s\S]{0,300})/)?.[1];
          console.error(`POST ${path}: ${res.status} ${said?.replace(/<[^>]+>/g, " ")}`);
        }
        return res;
      }
    } catch { /* cut off */ }
    if (attempt >= 5) throw new Error(`POST ${path} kept failing`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

async function addToCart(load: Load, c: Customer, variantId: number, qty: number) {
  const p = await page(load, c, "/shop/products/fresh-milk");
  const res = await postForm(load, c, "/shop/cart", {
    _csrf: p.csrf!,
    action: "add",
    variantId: String(variantId),
    qty: String(qty),
    back: "/shop/cart",
  });
  assertEquals(res.status, 303, "added to the cart");
}

/** Checks out the cart by cash on delivery; returns the order number. */
async function checkout(
  load: Load,
  c: Customer,
  g: Record<string, unknown>,
): Promise<string> {
  const p = await page(load, c, "/shop/checkout");
  assertEquals(p.status, 200, "the checkout page");
  const token = p.html.match(/name="token" value="([^"]+)"/)![1];
  const when = p.html.match(/name="when"[\s\S]*?<option[^>]*value="([^"]+)"/)![1];
  const res = await postForm(load, c, "/shop/checkout", {
    _csrf: p.csrf!,
    token,
    ...bananiAddress(g),
    when,
    paymentMethod: "cod",
    discountCode: "",
    note: "",
  });
  assertEquals(res.status, 303, "the order is placed");
  const number = res.headers.get("location")!.match(/\/shop\/orders\/(SD-\d{4}-\d+)/)![1];
  c.placed.add(number);
  return number;
}

Deno.test({
  name:
    "scale: two web instances and two ingest workers behind HAProxy, one of each killed, lose nothing",
  ignore: !SERVER || !HAPROXY || !MOSQUITTO,
  sanitizeOps: false,
  sanitizeResources: false,
}, async () => {
  await withTestDb(async (db) => {
    const sql = db.sql;
    const [{ name: dbName }] = await sql`select current_database() as name`;
    const u = new URL(SERVER!);
    u.pathname = `/${dbName}`;
    const databaseUrl = u.toString();
    const dir = await Deno.makeTempDir({ prefix: "sd_scale_" });
    const procs: Proc[] = [];
    try {
      // ---- shared configuration of every process ------------------------------------------
      const fieldKeys = `1:${generateFieldKey()}`;
      const keyring = await createKeyring(parseFieldKeys(fieldKeys));
      const lbPort = freePort();
      const publicUrl = `http://127.0.0.1:${lbPort}`;
      const mqttPort = freePort();
      const kvPath = `${dir}/kv.sqlite3`;
      const common = {
        DATABASE_URL: databaseUrl,
        DATABASE_POOL_SIZE: "4",
        KV_PATH: kvPath,
        MQTT_URL: `mqtt://127.0.0.1:${mqttPort}`,
        PUBLIC_URL: publicUrl,
        APP_SECRET: "scale-test-secret-".padEnd(48, "x"),
        FIELD_KEYS: fieldKeys,
        METRICS_TOKEN: "scale-test-metrics-token",
        TRUSTED_PROXIES: "127.0.0.1",
        PAYMENT_FAKES: "off",
        NOTIFY_FAKES: "off",
        LOG_LEVEL: "warn",
      };

      // ---- data: the shop, customers with sessions, subscriptions, devices -----------------
      const today = dhakaDate(new Date());
      await seedShop(sql, { stock: 5000, on: today, expiresOn: addDays(today, 60) });
      const variant = async (sku: string) =>
        Number((await sql`select id from shop_variants where sku = ${sku}`)[0].id);
      const milk = await variant("MILK-1000");
      const ghee = await variant("GHEE-500");
      const [g] = await sql`
        select z.id as zone, u.id as thana, d.id as district, d.division_id as division
        from delivery_zones z join shop_zone_upazilas zu on zu.zone_id = z.id
        join geo_upazilas u on u.id = zu.upazila_id join geo_districts d on d.id = u.district_id
        where z.code = 'banani'`;
      const kv = await Deno.openKv(kvPath);
      const customers: Customer[] = [];
      for (let i = 0; i < CUSTOMERS + SUBSCRIPTIONS; i++) {
        const user = await createUser(sql, keyring, {
          phone: `+88017${String(10_000_000 + Math.floor(Math.random() * 9_000_000) + i)}`,
          displayName: `Scale customer ${i}`,
          password: "correct horse battery staple",
          locale: "en",
          roles: ["customer"],
        });
        if (i >= CUSTOMERS) {
          // Daily milk from today on (made as if two days ago, before today's cut-off).
          const then = dhakaInstant(addDays(today, -2), "10:00");
          await createSubscription(sql, keyring, user.id, "en", {
            ...(await checkoutFor(sql, {}, then)),
            startDate: today,
            billing: "per_delivery",
            items: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ variantId: milk, weekday, qty: 1 })),
          }, then);
          continue;
        }
        const { token } = await sessionStore(kv).create({
          user: toSessionUser(user),
          stage: "signed_in",
          totpEnabled: false,
          secondFactorAt: Date.now(),
        });
        customers.push({ userId: user.id, cookie: `sd_session=${token}`, placed: new Set() });
      }
      kv.close();
      const devices: string[] = [];
      for (let i = 0; i < DEVICES; i++) {
        const d = await createDevice(sql, {
          id: `scale-room-${i}`,
          type: "room_sensor",
          name: `Room ${i}`,
        });
        devices.push(d.device.id);
      }

      // ---- the processes -----------------------------------------------------------------
      await Deno.writeTextFile(
        `${dir}/mosquitto.conf`,
        [
          `listener ${mqttPort} 127.0.0.1`,
          "allow_anonymous true",
          "persistence false",
          "max_queued_messages 100000",
          "max_inflight_messages 0",
          "",
        ].join("\n"),
      );
      const broker = spawn("mosquitto", MOSQUITTO!, ["-c", `${dir}/mosquitto.conf`], {});
      procs.push(broker);
      const deno = Deno.execPath();
      const webPorts = [freePort(), freePort()];
      const webs = webPorts.map((port, i) => {
        const p = spawn(`web-${i + 1}`, deno, ["run", "-A", "main.ts", "--web"], {
          ...common,
          PORT: String(port),
          HOST: "127.0.0.1",
          DATA_DIR: `${dir}/web-${i + 1}`,
        });
        procs.push(p);
        return p;
      });
      const workerPorts: Record<string, number> = {};
      const worker = (name: string, kind: string, extra: Record<string, string> = {}) => {
        workerPorts[name] ??= freePort();
        const p = spawn(name, deno, ["run", "-A", "scripts/worker.ts", kind], {
          ...common,
          METRICS_PORT: String(workerPorts[name]),
          DATA_DIR: `${dir}/${name}`,
          ...extra,
        });
        procs.push(p);
        return p;
      };
      const ingests = [1, 2].map((i) =>
        worker(`ingest-${i}`, "ingest", { INGEST_CLIENT_ID: `sd-ingest-scale-${i}` })
      );
      const schedulers = [1, 2].map((i) => worker(`schedulers-${i}`, "schedulers"));
      const statsSocket = `${dir}/haproxy.sock`;
      await Deno.writeTextFile(
        `${dir}/haproxy.cfg`,
        [
          "global",
          "  maxconn 2000",
          `  stats socket ${statsSocket} mode 600 level admin`,
          "defaults",
          "  mode http",
          "  timeout connect 2s",
          "  timeout client 60s",
          "  timeout server 60s",
          "  retries 3",
          "  option redispatch",
          "  http-reuse never",
          "frontend fe",
          `  bind 127.0.0.1:${lbPort}`,
          "  default_backend web",
          "backend web",
          "  balance roundrobin",
          "  option httpchk GET /healthz",
          ...webPorts.map((p, i) =>
            `  server w${i + 1} 127.0.0.1:${p} check inter 500 fall 2 rise 1`
          ),
          "",
        ].join("\n"),
      );
      await Promise.all(webs.map((p, i) => waitReady(p, `http://127.0.0.1:${webPorts[i]}/readyz`)));
      await Promise.all(
        [...ingests, ...schedulers].map((p) =>
          waitReady(p, `http://127.0.0.1:${workerPorts[p.name]}/readyz`)
        ),
      );
      const lb = spawn("haproxy", HAPROXY!, ["-f", `${dir}/haproxy.cfg`, "-db"], {});
      procs.push(lb);
      await waitReady(lb, `${publicUrl}/healthz`, 15_000);

      // ---- the load ------------------------------------------------------------------------
      const load = new Load(publicUrl);
      let browsing = true;
      const browsers = [0, 1, 2].map(async (b) => {
        const paths = ["/", "/shop", "/shop/products/fresh-milk", "/delivery", "/shop?q=ghee"];
        let n = b;
        while (browsing) {
          try {
            const r = await load.fetch(paths[n++ % paths.length]);
            await r.body?.cancel();
          } catch { /* counted */ }
        }
      });
      let published = 0;
      let publisherDone!: () => void;
      const halfway = new Promise<void>((r) => (publisherDone = r));
      const topics = topicsFor(DEFAULT_TOPIC_NAMESPACE);
      const device = await mqtt.connectAsync(`mqtt://127.0.0.1:${mqttPort}`, {
        clientId: "scale-devices",
        protocolVersion: 5,
      });
      const base = Date.now() - 3 * 3_600_000;
      const publisher = (async () => {
        const chunk = 500;
        for (let i = 0; i < READINGS; i += chunk) {
          await Promise.all(
            Array.from({ length: Math.min(chunk, READINGS - i) }, (_, k) => {
              const n = i + k;
              const id = devices[n % DEVICES];
              const at = base + Math.floor(n / DEVICES) * 1000;
              return device.publishAsync(
                topics.device(id, "telemetry"),
                JSON.stringify({ ts: at, values: { temperature_c: 20 + (n % 50) / 10 } }),
                { qos: 1 },
              );
            }),
          );
          published = i + chunk;
          if (published >= READINGS / 2) publisherDone();
          await new Promise((r) => setTimeout(r, 100));
        }
      })();
      // Phase 1: an order each; then half of them leave a cart waiting while the other half
      // go on buying, across the kill.
      const waiting = customers.slice(0, CUSTOMERS / 2);
      const buyers = customers.slice(CUSTOMERS / 2);
      for (const c of customers) {
        const p = await page(load, c, "/account");
        assertEquals(p.status, 200, "signed in");
      }
      await Promise.all(customers.map(async (c) => {
        await addToCart(load, c, ghee, 1);
        await checkout(load, c, g);
      }));
      await Promise.all(waiting.map((c) => addToCart(load, c, ghee, 2)));
      let midway!: () => void;
      const buyersMidway = new Promise<void>((r) => (midway = r));
      const buying = Promise.all(buyers.map(async (c) => {
        for (let round = 0; round < BUYER_ROUNDS; round++) {
          await addToCart(load, c, ghee, 1 + (round % 2));
          await checkout(load, c, g);
          if (buyers.every((b) => b.placed.size >= 3)) midway();
        }
      }));
      await Promise.all([halfway, buyersMidway]);
      const leaderBefore = await leaderOf(schedulers, workerPorts);

      // ---- the kill ------------------------------------------------------------------------
      // In flight at the kill: outstanding when SIGKILL goes out, or sent before the exit is seen.
      const outstanding = load.inFlight;
      load.startedInKill = 0;
      webs[0].kill("SIGKILL");
      ingests[0].kill("SIGKILL");
      schedulers[leaderBefore].kill("SIGKILL");
      await Promise.all([webs[0].status, ingests[0].status, schedulers[leaderBefore].status]);
      const inFlightAtKill = outstanding + load.startedInKill;
      load.startedInKill = null;
      const killedAt = performance.now();
      // Its supervisor starts the ingest again under its client id (its session's messages wait).
      await new Promise((r) => setTimeout(r, 1000));
      ingests[0] = worker("ingest-1", "ingest", { INGEST_CLIENT_ID: "sd-ingest-scale-1" });

      // Phase 2: still signed in, the waiting carts still there; they are checked out.
      for (const c of waiting) {
        const cart = await page(load, c, "/shop/cart");
        assertEquals(cart.status, 200);
        ok(/data-testid="cart-count"[^>]*>\s*2\s*</.test(cart.html), "the cart kept its 2 ghee");
      }
      for (const c of customers) {
        const account = await page(load, c, "/account");
        assertEquals(account.status, 200, "still signed in");
      }
      await Promise.all(waiting.map((c) => checkout(load, c, g)));
      await buying;
      // The standby scheduler took over.
      const survivor = 1 - leaderBefore;
      const leadDeadline = performance.now() + 20_000;
      while (!(await isLeader(workerPorts[schedulers[survivor].name]))) {
        if (performance.now() > leadDeadline) throw new Error("the standby scheduler never led");
        await new Promise((r) => setTimeout(r, 250));
      }
      await publisher;
      await device.endAsync();
      browsing = false;
      await Promise.all(browsers);
      await waitReady(ingests[0], `http://127.0.0.1:${workerPorts["ingest-1"]}/readyz`);

      // ---- the counts ------------------------------------------------------------------------
      const deadline = performance.now() + 90_000;
      let stored = 0;
      while (performance.now() < deadline) {
        [{ n: stored }] = await sql`select count(*)::int as n from telemetry
          where device_id like 'scale-room-%'`;
        if (stored >= READINGS) break;
        await new Promise((r) => setTimeout(r, 500));
      }
      const [{ distinct }] =
        await sql`select count(distinct (device_id, metric, at))::int as distinct
        from telemetry where device_id like 'scale-room-%'`;
      const orders = await sql`select user_id::text, number from shop_orders
        where subscription_id is null`;
      const subRuns = await sql`
        select r.subscription_id, r.delivery_date::text as date, r.outcome,
          (select count(*)::int from shop_orders o
            where o.subscription_id = r.subscription_id and o.delivery_date = r.delivery_date) as orders
        from shop_subscription_runs r`;
      const stats = await haproxyStats(statsSocket);
      const lb5xx = Number(stats.fe?.hrsp_5xx ?? 0);
      const placedSeen = customers.reduce((n, c) => n + c.placed.size, 0);
      console.log(
        [
          `requests through HAProxy: ${load.requests} (client-side failures ${load.failures}, ` +
          `HAProxy 5xx ${lb5xx}, in flight at the kill ${inFlightAtKill})`,
          `orders: ${placedSeen} seen placed by ${CUSTOMERS} customers, ${orders.length} in the database`,
          `readings: ${READINGS} published, ${stored} stored, ${distinct} distinct`,
          `subscription runs: ${subRuns.length} for ${SUBSCRIPTIONS} subscriptions ` +
          `(${subRuns.filter((r) => r.outcome === "ordered").length} ordered); the leading ` +
          `scheduler killed, schedulers-${survivor + 1} took over`,
          `the survivors served on for ${
            ((performance.now() - killedAt) / 1000).toFixed(1)
          } s after the kill`,
        ].join("\n"),
      );

      // Orders: each one a customer saw placed is there once, and there are no others.
      assertEquals(
        placedSeen,
        waiting.length * 2 + buyers.length * (1 + BUYER_ROUNDS),
        "every checkout went through",
      );
      assertEquals(
        orders.map((o) => `${o.user_id} ${o.number}`).sort(),
        customers.flatMap((c) => [...c.placed].map((n) => `${c.userId} ${n}`)).sort(),
        "no order lost or doubled",
      );
      // Readings.
      assertEquals(stored, READINGS, "no reading lost");
      assertEquals(distinct, stored, "no reading doubled");
      // The daily job: one run and one order per subscription and date, by one leader.
      const todays = subRuns.filter((r) => r.date === today);
      assertEquals(todays.length, SUBSCRIPTIONS, "each subscription's delivery today was run");
      ok(subRuns.every((r) => r.outcome === "ordered" && r.orders === 1), "one order each");
      // The balancer: errors only for what was in flight when the instance died.
      ok(lb5xx <= inFlightAtKill, `HAProxy answered ${lb5xx} 5xx; ${inFlightAtKill} in flight`);
      ok(load.failures <= inFlightAtKill, `${load.failures} failed; ${inFlightAtKill} in flight`);
    } catch (e) {
      for (const p of procs) console.error(`---- ${p.name}\n${p.output().slice(-3000)}`);
      throw e;
    } finally {
      await stopAll(procs);
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  });
});

async function isLeader(port: number): Promise<boolean> {
  try {
    const r = await fetch(`http://127.0.0.1:${port}/readyz`);
    return (await r.json()).details.leader === true;
  } catch {
    return false;
  }
}

/** Which of the schedulers leads (exactly one must). */
async function leaderOf(schedulers: Proc[], ports: Record<string, number>): Promise<number> {
  const leading = [];
  for (let i = 0; i < schedulers.length; i++) {
    if (await isLeader(ports[schedulers[i].name])) leading.push(i);
  }
  assertEquals(leading.length, 1, `one scheduler leads (${leading.length} do)`);
  return leading[0];
}

/** `show stat` over HAProxy's stats socket: the frontend's and each server's counters. */
async function haproxyStats(socket: string): Promise<Record<string, Record<string, string>>> {
  const conn = await Deno.connect({ transport: "unix", path: socket });
  await conn.write(new TextEncoder().encode("show stat\n"));
  let text = "";
  const buf = new Uint8Array(65536);
  for (;;) {
    const n = await conn.read(buf);
    if (n === null) break;
    text += new TextDecoder().decode(buf.subarray(0, n));
  }
  conn.close();
  const [head, ...rows] = text.replace(/^# /, "").trim().split("\n");
  const cols = head.split(",");
  const out: Record<string, Record<string, string>> = {};
  for (const row of rows) {
    const v = row.split(",");
    const rec = Object.fromEntries(cols.map((c, i) => [c, v[i]]));
    out[rec.svname === "FRONTEND" ? "fe" : `${rec.pxname}/${rec.svname}`] = rec;
  }
  return out;
}
