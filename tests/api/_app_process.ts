/**
 * One app process for the two-process test: the web app on DATABASE_URL (already migrated),
 * wired as main.ts does, on a free port it prints as `port <n>`; stops on SIGTERM or stdin EOF.
 */
import { createWebApp } from "@/server.ts";
import { openDatabase } from "@/services/platform/db.ts";
import { testConfig } from "@/tests/helpers/db.ts";
import { testAppDeps, testKeyring } from "@/tests/helpers/app.ts";
import { setLogLevel } from "@/services/platform/log.ts";

setLogLevel("warn");
const config = testConfig({ DATABASE_URL: Deno.env.get("DATABASE_URL")! });
const db = await openDatabase(config);
const kv = await Deno.openKv(":memory:");
const keyring = await testKeyring();
// CLOCK_AT: the time the app starts at (it runs on from there), so that a test's calls fall in
// one hour window whatever the machine's hour.
const offset = Deno.env.get("CLOCK_AT") ? Date.parse(Deno.env.get("CLOCK_AT")!) - Date.now() : 0;
const clock = { now: () => new Date(Date.now() + offset) };
const deps = testAppDeps({
  sql: db.sql,
  config,
  kv,
  keyring,
  clock,
  readiness: () => Promise.resolve({}),
  readinessDetails: () => Promise.resolve({}),
});
const app = await createWebApp(deps);
const ac = new AbortController();
const server = Deno.serve({
  port: 0,
  hostname: "127.0.0.1",
  signal: ac.signal,
  onListen: ({ port }) => console.log(`port ${port}`),
}, app.fetch);
const stop = async () => {
  ac.abort();
  await server.finished;
  kv.close();
  await db.close();
  Deno.exit(0);
};
Deno.addSignalListener("SIGTERM", stop);
// The parent closing our stdin also stops us (no orphan if the test dies).
(async () => {
  for await (const _ of Deno.stdin.readable) { /* until EOF */ }
  await stop();
})();
