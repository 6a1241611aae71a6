/**
 * deploy/entrypoint.sh outside a container, with the environment the image gives it (DATA_DIR,
 * HOST, PORT, DENO_NO_UPDATE_CHECK; the secrets as Compose and Helm pass them): `migrate`
 * migrates a fresh database and exits 0; `web` serves /healthz and /readyz from a PostgreSQL
 * server and stops cleanly on SIGTERM (what `docker stop` and Kubernetes send), the signal
 * reaching the app through `exec` and `deno task`; a bad role or worker exits 2 with a usage line,
 * and so does a server-mode start without the shared secrets (APP_SECRET, FIELD_KEYS, METRICS_TOKEN).
 * scripts/build_image.sh runs the same script inside the image (podman, read-only, no network).
 */
import { equal, match, ok } from "node:assert/strict";
import { join } from "node:path";
import { ROOT } from "./_lib.ts";
import { testDatabaseUrl, withEmptyDb } from "../helpers/db.ts";

const SCRIPT = join(ROOT, "deploy/entrypoint.sh");

/** The image's environment (Dockerfile ENV) plus what Compose/Helm add, on a fresh DATA_DIR. */
function containerEnv(dataDir: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: Deno.env.get("PATH") ?? "/usr/local/bin:/usr/bin:/bin",
    ...(Deno.env.get("DENO_DIR") ? { DENO_DIR: Deno.env.get("DENO_DIR")! } : {}),
    HOME: Deno.env.get("HOME") ?? "/tmp",
    DATA_DIR: dataDir,
    HOST: "127.0.0.1",
    PORT: "0",
    NO_COLOR: "1",
    APP_SECRET: "entrypoint-test-secret-0123456789abcdef",
    FIELD_KEYS: "1:" + btoa(String.fromCharCode(...new Uint8Array(32).fill(7))),
    METRICS_TOKEN: "entrypoint-test-metrics-token",
    ADMIN_PASSWORD: "entrypoint-test-admin-pw",
    LOG_LEVEL: "warn",
    ...extra,
  };
}

async function run(args: string[], env: Record<string, string>) {
  const out = await new Deno.Command(SCRIPT, {
    args,
    env,
    clearEnv: true,
    cwd: "/",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, text: dec.decode(out.stdout) + dec.decode(out.stderr) };
}

Deno.test("entrypoint.sh: an unknown role or worker exits 2 naming what it accepts", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const bad = await run(["serve"], containerEnv(dir));
    equal(bad.code, 2, bad.text);
    match(
      bad.text,
      /unknown role "serve" \(web \| worker <name> \| migrate \| all \| task <name>\)/,
    );
    const noWorker = await run(["worker", "nosuch"], containerEnv(dir));
    equal(noWorker.code, 2, noWorker.text);
    match(noWorker.text, /workers: .*ingest.*outbox/);
    const noTask = await run(["task"], containerEnv(dir));
    equal(noTask.code, 2, noTask.text);
    // With a server, generated secrets would differ between containers: refused up front.
    const env = containerEnv(dir, { DATABASE_URL: "postgres://nobody@127.0.0.1:1/none" });
    delete env.FIELD_KEYS;
    delete env.METRICS_TOKEN;
    for (const args of [["web"], ["worker", "outbox"], ["all"]]) {
      const r = await run(args, env);
      equal(r.code, 2, r.text);
      match(r.text, /set FIELD_KEYS METRICS_TOKEN \(the same values in every process/);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("entrypoint.sh migrate: applies every migration to a fresh database, then nothing", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await withEmptyDb(async (_db, url) => {
      const env = containerEnv(dir, url ? { DATABASE_URL: url } : {});
      const first = await run(["migrate"], env);
      equal(first.code, 0, first.text);
      match(first.text, /applied \d+ migration\(s\)/);
      const again = await run(["migrate"], env);
      equal(again.code, 0, again.text);
      match(again.text, /up to date, nothing to apply/);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "entrypoint.sh web: serves /healthz and /readyz from PostgreSQL and stops on SIGTERM",
  // The web role alone needs a PostgreSQL server (the embedded database serves one process).
  ignore: !testDatabaseUrl(),
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      await withEmptyDb(async (_db, url) => {
        const env = containerEnv(dir, {
          DATABASE_URL: url!,
          PUBLIC_URL: "http://shop.example.test",
          DATABASE_POOL_SIZE: "3",
          KV_PATH: join(dir, "kv.sqlite3"),
          PAYMENT_FAKES: "off",
          NOTIFY_FAKES: "off",
          MIGRATE_ON_START: "1",
        });
        const child = new Deno.Command(SCRIPT, {
          args: ["web"],
          env,
          clearEnv: true,
          cwd: "/",
          stdout: "piped",
          stderr: "piped",
        }).spawn();
        const dec = new TextDecoder();
        let text = "";
        const errText = (async () => {
          for await (const c of child.stderr) text += dec.decode(c);
        })();
        let origin = "";
        const reader = child.stdout.getReader();
        const deadline = Date.now() + 120_000;
        while (!origin && Date.now() < deadline) {
          const { value, done } = await reader.read();
          if (done) break;
          text += dec.decode(value);
          const m = /Smart Dairy on (http:\/\/[^/\s]+)\//.exec(text);
          if (m) origin = m[1];
        }
        const drain = (async () => {
          while (true) {
            const { value, done } = await reader.read();
            if (done) break;
            text += dec.decode(value);
          }
        })();
        try {
          ok(origin, `the web role did not start:\n${text}`);
          const health = await fetch(`${origin}/healthz`);
          equal(health.status, 200);
          equal((await health.text()).trim(), "ok");
          const ready = await fetch(`${origin}/readyz`);
          const body = await ready.json();
          equal(ready.status, 200, JSON.stringify(body));
          equal(body.checks.database, true);
          equal(body.checks.kv, true);
          match(text, /[Aa]pplied \d+ migration/);
        } finally {
          // SIGTERM to the entrypoint's process (it exec'd deno task, which passes it on).
          try {
            child.kill("SIGTERM");
          } catch { /* it has already ended: the status below says how */ }
          const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
          const status = await child.status;
          clearTimeout(timer);
          await drain;
          await errText;
          equal(status.signal, null, `killed, not stopped:\n${text}`);
          equal(status.code, 0, text);
          match(text, /Shutting down/);
        }
      });
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
