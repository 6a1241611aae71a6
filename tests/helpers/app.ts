/**
 * The whole web app in-process for tests: a fresh migrated database, an in-memory KV, a keyring
 * and a secret, wired as main.ts does. `withTestApp(async ({ app, deps, fetch }) => …)`.
 */
import { createWebApp } from "@/server.ts";
import type { FreshApp } from "@/framework/mod.ts";
import {
  createKeyring,
  generateFieldKey,
  type Keyring,
  parseFieldKeys,
} from "@/services/crypto/field_crypto.ts";
import type { AppDeps } from "@/state.ts";
import { createAppDeps, iotStorageDetails } from "@/contexts.ts";
import type { Config } from "@/services/platform/config.ts";
import type { Database } from "@/services/platform/db.ts";
import { testConfig, withTestDb } from "./db.ts";
import { setLogLevel } from "@/services/platform/log.ts";

// One JSON line per request would bury the test report: tests log warnings and errors unless
// LOG_LEVEL says otherwise (the logging tests set their own level).
if (!Deno.env.get("LOG_LEVEL")) setLogLevel("warn");

export interface TestApp {
  app: FreshApp;
  deps: AppDeps;
  /** The test's own database, for arranging and checking what the app cannot be asked. */
  db: Database;
  /** Fetches a path (or full URL) through the app; relative paths are on http://localhost. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
}

/** A clock a test controls: it starts where told and runs on with real time until moved. */
export interface TestClock {
  now(): Date;
  /** Moves the clock to `at`; it runs on from there. */
  set(at: Date): void;
}

export function testClock(start: Date = new Date()): TestClock {
  let offset = start.getTime() - Date.now();
  return {
    now: () => new Date(Date.now() + offset),
    set(at: Date) {
      offset = at.getTime() - Date.now();
    },
  };
}

/** The secret test apps sign with (config wants 40 characters or more). */
export const TEST_APP_SECRET = "test-secret-".padEnd(40, "x");

/** A keyring with one fresh field key. */
export function testKeyring(): Promise<Keyring> {
  return createKeyring(parseFieldKeys(`1:${generateFieldKey()}`));
}

type AppDepsInput = Parameters<typeof createAppDeps>[0];

/**
 * The app's dependencies as main.ts wires them, for a test: the test secret and a broker that
 * refuses connections unless the test names others.
 */
export function testAppDeps(
  d: Omit<AppDepsInput, "appSecret" | "mqttUrl"> & { appSecret?: string; mqttUrl?: string },
): AppDeps {
  return createAppDeps({
    ...d,
    appSecret: d.appSecret ?? TEST_APP_SECRET,
    mqttUrl: d.mqttUrl ?? "mqtt://127.0.0.1:1",
  });
}

export async function withTestApp<T>(
  fn: (t: TestApp) => Promise<T>,
  opts: {
    config?: Partial<Config>;
    /** The broker of the live screens; by default one that refuses connections. */
    mqttUrl?: string;
    /** What time the app thinks it is (AppDeps.clock); by default the system clock. */
    clock?: { now(): Date };
  } = {},
): Promise<T> {
  return await withTestDb(async (db) => {
    const kv = await Deno.openKv(":memory:");
    try {
      const config = testConfig(opts.config);
      const deps = testAppDeps({
        sql: db.sql,
        config,
        kv,
        keyring: await testKeyring(),
        mqttUrl: opts.mqttUrl,
        clock: opts.clock ?? { now: () => new Date() },
        readiness: async () => ({
          database: await db.sql`select 1`.then(() => true, () => false),
          kv: true,
        }),
        readinessDetails: () => iotStorageDetails(db.sql),
      });
      const app = await createWebApp(deps);
      const fetch = (path: string, init?: RequestInit) =>
        app.fetch(new Request(new URL(path, "http://localhost"), init));
      return await fn({ app, deps, db, fetch });
    } finally {
      kv.close();
    }
  });
}

/** Reads the CSRF cookie and token a page hands out, for posting forms in tests. */
export async function formSession(
  t: TestApp,
  path: string,
): Promise<{ cookie: string; token: string; html: string }> {
  const res = await t.fetch(path);
  const html = await res.text();
  const cookie = res.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const token = html.match(/name="_csrf" value="([^"]+)"/)?.[1] ?? "";
  return { cookie, token, html };
}

/** Posts a form the way a browser on our own origin does. */
export function postForm(
  t: TestApp,
  path: string,
  fields: Record<string, string>,
  session: { cookie: string; token: string },
): Promise<Response> {
  const body = new URLSearchParams({ _csrf: session.token, ...fields });
  return t.fetch(path, {
    method: "POST",
    body,
    redirect: "manual",
    headers: {
      cookie: session.cookie,
      origin: "http://localhost",
      host: "localhost",
      "content-type": "application/x-www-form-urlencoded",
    },
  });
}
