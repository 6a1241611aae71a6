/**
 * The one worker bootstrap (workers/bootstrap.ts) through `deno task worker <name>`: a worker
 * starts on its own (config → database → migrations), and stops cleanly on SIGTERM.
 */
import { deepStrictEqual as assertEquals, match } from "node:assert/strict";
import { testDatabaseUrl, withEmptyDb } from "@/tests/helpers/db.ts";

const root = new URL("../../", import.meta.url).pathname;

/**
 * A database of the worker's own: on a server a fresh empty one (the worker migrates it; the
 * server's default database is never touched), else the embedded one in the worker's DATA_DIR.
 */
async function withWorkerDb(fn: (url: string | undefined) => Promise<void>): Promise<void> {
  if (!testDatabaseUrl()) return await fn(undefined);
  await withEmptyDb((_db, url) => fn(url));
}

function worker(args: string[], dataDir: string, url?: string) {
  const env: Record<string, string> = { DATA_DIR: dataDir, NO_COLOR: "1" };
  if (url) env.DATABASE_URL = url;
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "scripts/worker.ts", ...args],
    cwd: root,
    env,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

Deno.test({
  name: "deno task worker outbox: starts through the bootstrap and stops on SIGTERM",
  sanitizeResources: false,
  fn: () =>
    withWorkerDb(async (url) => {
      const dataDir = await Deno.makeTempDir();
      const child = worker(["outbox"], dataDir, url);
      try {
        const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
        let out = "";
        const deadline = Date.now() + 120_000;
        while (!/worker started/.test(out) && Date.now() < deadline) {
          const { value, done } = await reader.read();
          if (done) break;
          out += value;
        }
        match(out, /\[outbox\] worker started \((server|embedded) database\)/);
        child.kill("SIGTERM");
        const status = await child.status;
        assertEquals(status.code, 0);
        reader.releaseLock();
      } finally {
        try {
          child.kill("SIGKILL");
        } catch { /* already gone */ }
        await child.stderr.cancel().catch(() => {});
        await Deno.remove(dataDir, { recursive: true }).catch(() => {});
      }
    }),
});

Deno.test("deno task worker: an unknown name lists the workers", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "scripts/worker.ts", "nope"],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assertEquals(out.code, 2);
  const text = new TextDecoder().decode(out.stderr);
  match(
    text,
    /workers: ingest, outbox, schedulers, shop_photos, webhooks/,
  );
});

Deno.test("deno task web: the web alone refuses the embedded database (it serves one process)", async () => {
  const env = Deno.env.toObject();
  delete env.DATABASE_URL;
  delete env.TEST_DATABASE_URL;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "main.ts", "--web"],
    cwd: new URL("../../", import.meta.url),
    env: { ...env, DATA_DIR: await Deno.makeTempDir({ prefix: "sd_web_" }), NO_COLOR: "1" },
    clearEnv: true,
    stdin: "null",
  }).output();
  assertEquals(out.code, 2);
  match(new TextDecoder().decode(out.stderr), /deno task web needs DATABASE_URL/);
});
