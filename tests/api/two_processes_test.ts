/**
 * The hourly limit is counted in PostgreSQL: two app processes on one database share a key's
 * count, so alternating between them does not double the allowance. (A server database only:
 * embedded PGlite belongs to one process.)
 */
import { equal, ok } from "node:assert/strict";
import { testDatabaseUrl, withServerTestDb } from "@/tests/helpers/db.ts";
import { testKeyring } from "@/tests/helpers/app.ts";
import { createApi } from "@/services/api/mod.ts";

async function startApp(url: string, at: string) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("./_app_process.ts", import.meta.url).pathname],
    env: { DATABASE_URL: url, LOG_LEVEL: "warn", CLOCK_AT: at },
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let out = "";
  while (!/port (\d+)/.test(out)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`app process ended: ${out}`);
    out += value;
  }
  const port = Number(/port (\d+)/.exec(out)![1]);
  return {
    base: `http://127.0.0.1:${port}`,
    async stop() {
      await child.stdin.close();
      reader.releaseLock();
      await child.stdout.cancel().catch(() => {});
      await child.status;
    },
  };
}

Deno.test({
  name: "api limit: two app processes on one database share a key's hourly count",
  ignore: !testDatabaseUrl(),
  async fn() {
    await withServerTestDb(async (db, url) => {
      const keyring = await testKeyring();
      // Both processes run from 10:20 (UTC) today, and the key is made at that moment too: the
      // calls fall in one hour window whatever the machine's hour.
      const at = new Date().toISOString().slice(0, 10) + "T10:20:00Z";
      const api = createApi({
        sql: db.sql,
        keyring,
        clock: { now: () => new Date(at) },
        origin: "http://x",
      });
      const c = await api.createClient(
        { name: "Two", kind: "partner", scopes: ["iot:read"], rateLimitPerHour: 6 },
        { id: null, name: "t" },
      );
      const { key } = await api.createKey(c.id, { name: "k" }, { id: null, name: "t" });
      const [a, b] = await Promise.all([startApp(url, at), startApp(url, at)]);
      try {
        const statuses: number[] = [];
        const remaining: string[] = [];
        for (let i = 0; i < 8; i++) {
          const res = await fetch(`${(i % 2 ? b : a).base}/api/v1/iot/devices`, {
            headers: { authorization: `Bearer ${key}` },
          });
          await res.body?.cancel();
          statuses.push(res.status);
          remaining.push(res.headers.get("ratelimit-remaining") ?? "");
        }
        // Six allowed in all (three from each process), then both refuse.
        equal(statuses.join(","), "200,200,200,200,200,200,429,429");
        equal(remaining.slice(0, 6).join(","), "5,4,3,2,1,0");
        const [w] = await db.sql`select sum(count)::int as n from api_rate_windows`;
        ok(w.n >= 8);
      } finally {
        await Promise.all([a.stop(), b.stop()]);
      }
    });
  },
});
