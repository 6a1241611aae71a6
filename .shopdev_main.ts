// Temporary dev runner for the shop helper (not part of the project; removed at the end).
import { loadConfig } from "@/services/platform/config.ts";
import { openDatabase } from "@/services/platform/db.ts";
import { migrate } from "@/services/platform/migrate.ts";
import { openKv } from "@/services/platform/kv.ts";
import { loadAppSecret } from "@/services/platform/secrets.ts";
import { loadKeyring } from "@/services/crypto/field_crypto.ts";
import { createWebApp } from "@/server.ts";
import { seedOnFirstStart } from "@/scripts/first_start.ts";
import { seedShop } from "@/scripts/seed_shop.ts";
import { needsFakeProviders, startFakeProviders } from "@/services/payments/fakes/mod.ts";
import { rememberClientIp } from "@/plugins/session.ts";
import type { AppDeps } from "@/state.ts";

const config = loadConfig(Deno.env.toObject());
const fakes = needsFakeProviders(config) ? startFakeProviders() : null;
if (fakes) Object.assign(config, fakes.config);
await Deno.mkdir(config.DATA_DIR, { recursive: true });
const appSecret = await loadAppSecret(config);
const keyring = await loadKeyring(config);
const db = await openDatabase(config);
await migrate(db.sql);
const fs = await seedOnFirstStart(db, keyring, config);
if (fs) console.log(fs);
console.log(await seedShop(db.sql, { extraProducts: Number(Deno.env.get("EXTRA") ?? 0) }));
const kv = await openKv(config);
const deps: AppDeps = { config, db, kv, appSecret, keyring, readiness: async () => ({}) };
const app = await createWebApp(deps);
Deno.serve({ port: config.PORT, hostname: "127.0.0.1", onListen: ({ port }) => console.log("listening", port) }, (req, info) => {
  rememberClientIp(req, info.remoteAddr);
  return app.fetch(req);
});
