/**
 * `deno task simulate [--cows 255] [--rate 100] [--broker mqtt://127.0.0.1:1883]
 *   [--faults malformed,late,duplicate,out-of-order,silent,warming-tank] [--duration 60]
 *   [--milking always|schedule] [--namespace sd] [--anonymous]`
 *
 * Publishes as the demo farm's devices (services/iot/demo.ts). Their secrets are derived from
 * APP_SECRET, read like the app reads it (the env, else DATA_DIR/app_secret), so run it with the
 * same environment as the app. With DATABASE_URL set it first registers any demo devices the
 * herd size needs; with the embedded database the app's seed has registered them (for 255
 * cows): for a larger herd, point both at a PostgreSQL server or re-seed with the same --cows.
 */
import { parseArgs } from "node:util";
import { z } from "zod";
import { loadConfig } from "@/services/platform/config.ts";
import { loadAppSecret } from "@/services/platform/secrets.ts";
import { seedDemoDevices } from "@/services/iot/demo.ts";
import { FAULTS, startSimulation } from "@/services/iot/simulator.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    cows: { type: "string", default: "255" },
    rate: { type: "string", default: "100" },
    broker: { type: "string" },
    faults: { type: "string", default: "" },
    duration: { type: "string" },
    milking: { type: "string", default: "always" },
    namespace: { type: "string", default: "sd" },
    anonymous: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});

if (values.help) {
  console.info(
    "deno task simulate [--cows N] [--rate readings/s] [--broker URL] [--faults a,b] " +
      "[--duration s] [--milking always|schedule] [--namespace sd] [--anonymous]\n" +
      `faults: ${FAULTS.join(", ")}`,
  );
  Deno.exit(0);
}

const args = z.object({
  cows: z.coerce.number().int().min(1).max(5000),
  rate: z.coerce.number().positive().max(1_000_000),
  faults: z.string().transform((s) => s.split(",").map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(z.enum(FAULTS, `faults are: ${FAULTS.join(", ")}`))),
  duration: z.coerce.number().positive().optional(),
  milking: z.enum(["always", "schedule"]),
}).safeParse(values);
if (!args.success) {
  console.error(args.error.issues.map((i) => `--${i.path.join(".")}: ${i.message}`).join("\n"));
  Deno.exit(2);
}

const config = loadConfig();
const broker = values.broker ?? config.MQTT_URL ?? `mqtt://127.0.0.1:${config.MQTT_PORT}`;
const appSecret = values.anonymous ? undefined : await loadAppSecret(config);

if (config.DATABASE_URL && appSecret) {
  const { openDatabase } = await import("@/services/platform/db.ts");
  const db = await openDatabase(config);
  try {
    const r = await seedDemoDevices(db.sql, appSecret, { cows: args.data.cows });
    if (r.created) console.info(`[simulate] registered ${r.created} demo devices`);
  } finally {
    await db.close();
  }
}

const sim = await startSimulation({
  brokerUrl: broker,
  appSecret,
  cows: args.data.cows,
  rate: args.data.rate,
  faults: args.data.faults,
  milking: args.data.milking,
  topicNamespace: values.namespace,
});

let last = sim.stats();
const report = setInterval(() => {
  const s = sim.stats();
  console.info(
    `[simulate] ${s.connected}/${s.devices} connected, ${
      Math.round((s.readings - last.readings) / 5)
    } readings/s, ${s.messages} messages` +
      (s.refused ? `, ${s.refused} refused (devices not registered? see --help)` : "") +
      (Object.keys(s.faults).length ? `, faults ${JSON.stringify(s.faults)}` : ""),
  );
  last = s;
}, 5000);

const finish = async () => {
  clearInterval(report);
  await sim.stop();
  Deno.exit(0);
};
Deno.addSignalListener("SIGINT", finish);
if (args.data.duration) setTimeout(finish, args.data.duration * 1000);
