/**
 * Operations test fixtures: whether this machine can run the server-mode tools (reported as
 * ignored tests when not), the backup tasks as the operator runs them (a child process), and the
 * web app in-process on a database the test opened itself (a restored one).
 */
import { fileURLToPath } from "node:url";
import { createWebApp } from "@/server.ts";
import type { FreshApp } from "@/framework/mod.ts";
import type { Keyring } from "@/services/crypto/field_crypto.ts";
import { testAppDeps } from "@/tests/helpers/app.ts";
import type { Config } from "@/services/platform/config.ts";
import type { Database } from "@/services/platform/db.ts";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Whether `name` is an executable on PATH (synchronous: Deno.test's `ignore` needs a value). */
export function onPath(name: string): boolean {
  for (const dir of (Deno.env.get("PATH") ?? "").split(":").concat(["/usr/sbin", "/usr/bin"])) {
    try {
      if (Deno.statSync(`${dir}/${name}`).isFile) return true;
    } catch { /* not here */ }
  }
  return false;
}

/** The server-mode drill needs root (pg_createcluster, runuser) and Debian's tools. */
export const serverToolsMissing = (() => {
  const missing = ["pgbackrest", "pg_createcluster", "pg_ctlcluster", "pg_dropcluster", "runuser"]
    .filter((t) => !onPath(t));
  if (Deno.uid() !== 0) missing.push("root");
  return missing;
})();

export interface TaskRun {
  code: number;
  output: string;
  seconds: number;
}

/** `deno task <backup task>` as an operator runs it: scripts/backup.ts in its own process. */
export async function runTask(args: string[], env: Record<string, string>): Promise<TaskRun> {
  const t0 = performance.now();
  const base = Deno.env.toObject();
  for (const k of Object.keys(base)) {
    if (k.startsWith("TEST_") || k.startsWith("BACKUP_") || k === "DATABASE_URL") delete base[k];
  }
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "scripts/backup.ts", ...args],
    cwd: ROOT,
    env: { ...base, NO_COLOR: "1", ...env },
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return {
    code: out.code,
    output: dec.decode(out.stdout) + dec.decode(out.stderr),
    seconds: (performance.now() - t0) / 1000,
  };
}

/** The web app wired as main.ts does, on `db` and `kv` that the test opened. */
export async function appOn(
  db: Database,
  kv: Deno.Kv,
  config: Config,
  keyring: Keyring,
  appSecret: string,
): Promise<{ app: FreshApp; fetch(path: string, init?: RequestInit): Promise<Response> }> {
  const deps = testAppDeps({
    sql: db.sql,
    config,
    kv,
    appSecret,
    keyring,
    clock: { now: () => new Date() },
    readiness: async () => ({ database: await db.sql`select 1`.then(() => true, () => false) }),
    readinessDetails: () => Promise.resolve({ iotStorage: null }),
  });
  const app = await createWebApp(deps);
  return {
    app,
    fetch: (path, init) => app.fetch(new Request(new URL(path, "http://localhost"), init)),
  };
}
