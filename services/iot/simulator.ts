/**
 * A simulated farm for demos and soak tests (`deno task simulate`): every device of demoFarm()
 * connects over MQTT with its own derived credentials and publishes what such a device would —
 * collars (steps, rumination, a few cows in heat), tank thermometers (cooling, warmed a little by
 * each milking), milk meters and the parlour RFID reader during milkings, room sensors, the
 * biogas digester, a GPS collar. Readings are spread over the devices to make `rate` readings
 * per second in total; a device with several readings due in one tick sends them as one buffered
 * batch, as real devices do after a gap.
 *
 * Faults on demand: malformed payloads, late readings (buffered for up to an hour), duplicates,
 * out-of-order batches, silent devices (one of each type stops after 20 s), a warming tank.
 */
import { prng } from "@/services/platform/prng.ts";
import mqtt, { type MqttClient } from "mqtt";
import { DEFAULT_TOPIC_NAMESPACE, type DeviceType, topicsFor } from "./contract.ts";
import { demoDeviceSecret } from "./credentials.ts";
import { type DemoDevice, demoFarm } from "./demo.ts";

export const FAULTS = [
  "malformed",
  "late",
  "duplicate",
  "out-of-order",
  "silent",
  "warming-tank",
] as const;
export type Fault = typeof FAULTS[number];

export interface SimulationOptions {
  brokerUrl: string;
  /** Derives the demo devices' secrets; omit for an anonymous broker. */
  appSecret?: string;
  cows?: number;
  /** Readings per second in total (default 100). */
  rate?: number;
  faults?: Fault[];
  /** Share of messages hit by each enabled fault (default 0.02). */
  faultRate?: number;
  topicNamespace?: string;
  /** "always" (default) milks around the clock for a lively demo; "schedule" only 04–11, 15–22. */
  milking?: "always" | "schedule";
  tickMs?: number;
  /** Seeded randomness for reproducible runs. */
  seed?: number;
  log?: (msg: string) => void;
}

export interface SimulationStats {
  connected: number;
  devices: number;
  messages: number;
  readings: number;
  faults: Record<string, number>;
  refused: number;
}

export interface Simulation {
  stats(): SimulationStats;
  stop(): Promise<void>;
}

export { prng };

interface Envelope {
  ts: number;
  values: Record<string, unknown>;
}

interface SimDevice extends DemoDevice {
  client?: MqttClient;
  outbox: Envelope[];
  lastTs: number;
  silentAfter?: number;
  held?: string;
}

const FARM_LAT = 23.8583;
const FARM_LON = 90.2667; // Savar, Dhaka division

function inMilkingSession(now: number): boolean {
  const m = Math.floor((now / 60_000 + 360) % 1440);
  return (m >= 240 && m < 660) || (m >= 900 && m < 1320);
}

export async function startSimulation(opts: SimulationOptions): Promise<Simulation> {
  const farm = demoFarm(opts.cows ?? 255);
  const topics = topicsFor(opts.topicNamespace ?? DEFAULT_TOPIC_NAMESPACE);
  const rate = opts.rate ?? 100;
  const tickMs = opts.tickMs ?? 200;
  const faults = new Set(opts.faults ?? []);
  const faultRate = opts.faultRate ?? 0.02;
  const rnd = prng(opts.seed ?? Date.now());
  const log = opts.log ?? ((msg: string) => console.info(`[simulate] ${msg}`));
  const gauss = (mean: number, sd: number) => {
    const u = 1 - rnd();
    const v = rnd();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  const round1 = (x: number) => Math.round(x * 10) / 10;
  const stats: SimulationStats = {
    connected: 0,
    devices: farm.devices.length,
    messages: 0,
    readings: 0,
    faults: {},
    refused: 0,
  };
  const hit = (f: Fault) => {
    if (!faults.has(f) || rnd() >= faultRate) return false;
    stats.faults[f] = (stats.faults[f] ?? 0) + 1;
    return true;
  };

  const devices: SimDevice[] = farm.devices.map((d) => ({ ...d, outbox: [], lastTs: 0 }));
  const started = Date.now();
  if (faults.has("silent")) {
    const seen = new Set<DeviceType>();
    for (const d of devices) {
      if (seen.has(d.type)) continue;
      seen.add(d.type);
      d.silentAfter = started + 20_000;
    }
  }

  // Device state.
  const tankTemp = new Map(farm.tanks.map((t) => [t.id, 3.7]));
  const inHeat = new Set(farm.cows.filter(() => rnd() < 0.02));
  let milkingCow = 0;
  let lat = FARM_LAT;
  let lon = FARM_LON;
  const meters = devices.filter((d) => d.type === "milk_meter");
  const parlourReader = devices.find((d) => d.id === "rfid-parlour");

  function reading(d: SimDevice, now: number): Envelope | null {
    switch (d.type) {
      case "tank_thermometer": {
        const warming = faults.has("warming-tank") && d.tankId === "tank-1";
        const target = warming ? 12 : 3.5;
        let t = tankTemp.get(d.tankId!)!;
        t += (target - t) * (warming ? 0.02 : 0.1) + gauss(0, 0.05);
        tankTemp.set(d.tankId!, t);
        return { ts: now, values: { temperature_c: Math.round(t * 100) / 100 } };
      }
      case "milk_meter": {
        if (opts.milking === "schedule" && !inMilkingSession(now)) return null;
        const tag = farm.cows[milkingCow++ % farm.cows.length];
        // Warm milk mixes in; the cooler keeps up, so only a little (many meters feed one tank).
        tankTemp.set(d.tankId!, tankTemp.get(d.tankId!)! + 0.002);
        if (parlourReader) parlourReader.outbox.push({ ts: now - 30_000, values: { tag } });
        return {
          ts: now,
          values: {
            animal_tag: tag,
            yield_kg: round1(Math.max(1, gauss(6.2, 1.6))),
            fat_pct: round1(gauss(4.1, 0.3)),
            snf_pct: round1(gauss(8.6, 0.2)),
            conductivity_ms_cm: round1(gauss(5.2, 0.4)),
            duration_s: Math.round(gauss(390, 60)),
          },
        };
      }
      case "activity_collar": {
        const heat = inHeat.has(d.animalTag!) ? 2.6 : 1;
        return {
          ts: now,
          values: {
            steps: Math.max(0, Math.round(gauss(310, 60) * heat)),
            rumination_min: round1(Math.min(15, Math.max(0, gauss(8, 1.5) / Math.sqrt(heat)))),
          },
        };
      }
      case "room_sensor": {
        const cold = d.id === "rs-cold-room";
        return {
          ts: now,
          values: {
            temperature_c: round1(cold ? gauss(3.5, 0.3) : gauss(30, 1.5)),
            humidity_pct: round1(Math.min(100, cold ? gauss(85, 3) : gauss(72, 6))),
          },
        };
      }
      case "rfid_reader":
        if (d.id === "rfid-gate" && rnd() < 0.5) {
          return { ts: now, values: { tag: farm.cows[Math.floor(rnd() * farm.cows.length)] } };
        }
        return null; // the parlour reader reads with the milk meters
      case "biogas_monitor":
        return {
          ts: now,
          values: {
            pressure_kpa: round1(gauss(3, 0.3)),
            flow_m3_h: round1(Math.max(0, gauss(2.1, 0.3))),
            ch4_pct: round1(gauss(60, 2)),
          },
        };
      case "gps_tracker":
        lat += gauss(0, 0.00005);
        lon += gauss(0, 0.00005);
        return {
          ts: now,
          values: {
            lat: Number(lat.toFixed(6)),
            lon: Number(lon.toFixed(6)),
            speed_kmh: round1(Math.abs(gauss(0.6, 0.4))),
          },
        };
    }
  }

  function malformed(): string {
    const options = [
      "{oops",
      JSON.stringify({ ts: Date.now(), values: { not_a_metric: 1 } }),
      JSON.stringify({ ts: "yesterday", values: {} }),
      JSON.stringify({ values: { temperature_c: "warm", steps: -5, yield_kg: 900 } }),
      "",
    ];
    return options[Math.floor(rnd() * options.length)];
  }

  function publish(d: SimDevice, payload: string) {
    if (!d.client?.connected) return;
    d.client.publish(topics.device(d.id, "telemetry"), payload, { qos: 1 });
    stats.messages++;
  }

  function flushDevice(d: SimDevice, now: number) {
    if (!d.outbox.length) return;
    if (d.silentAfter && now > d.silentAfter) {
      d.outbox = [];
      return;
    }
    let envelopes = d.outbox;
    d.outbox = [];
    const readings = envelopes.reduce((n, e) => n + Object.keys(e.values).length, 0);
    if (hit("late")) {
      const back = (10 + rnd() * 50) * 60_000;
      envelopes = envelopes.map((e, i) => ({ ...e, ts: now - back - i * 1000 }));
    }
    if (envelopes.length > 1 && hit("out-of-order")) envelopes = [...envelopes].reverse();
    let payload = JSON.stringify(envelopes.length === 1 ? envelopes[0] : envelopes);
    if (hit("malformed")) payload = malformed();
    stats.readings += readings;
    if (d.held) {
      // out-of-order across messages: the held (older) message goes after this newer one
      publish(d, payload);
      publish(d, d.held);
      d.held = undefined;
      return;
    }
    if (hit("out-of-order")) {
      d.held = payload;
      return;
    }
    publish(d, payload);
    if (hit("duplicate")) publish(d, payload);
  }

  const online = new Set<string>();
  // Connect every device (in groups, so a broker is not hit by hundreds of connects at once).
  for (let i = 0; i < devices.length; i += 100) {
    await Promise.all(
      devices.slice(i, i + 100).map(async (d) => {
        const password = opts.appSecret ? await demoDeviceSecret(opts.appSecret, d.id) : undefined;
        d.client = mqtt.connect(opts.brokerUrl, {
          clientId: opts.appSecret ? d.id : `sim-${d.id}-${crypto.randomUUID().slice(0, 6)}`,
          username: opts.appSecret ? d.id : undefined,
          password,
          reconnectPeriod: 5000,
          connectTimeout: 10_000,
          protocolVersion: 4,
          will: {
            topic: topics.device(d.id, "status"),
            payload: JSON.stringify({ online: false }),
            qos: 1,
            retain: false,
          },
        });
        d.client.on("connect", () => {
          online.add(d.id);
          d.client!.publish(
            topics.device(d.id, "status"),
            JSON.stringify({
              online: true,
              firmware: "1.4.2",
              battery_pct: Math.round(60 + rnd() * 40),
            }),
            { qos: 1 },
          );
        });
        d.client.on("close", () => online.delete(d.id));
        d.client.on("error", (err) => {
          if (/refused|not authorized|bad user/i.test(err.message)) stats.refused++;
        });
      }),
    );
  }

  // Round-robin over devices; meters (and the parlour reader through them) come up more often
  // than their share during milking so that a milking takes place every few seconds.
  const order = devices.filter((d) => d.id !== "rfid-parlour");
  let cursor = 0;
  let budget = 0;
  const timer = setInterval(() => {
    const now = Date.now();
    budget = Math.min(budget + (rate * tickMs) / 1000, rate * 5);
    let guard = order.length * 4;
    while (budget >= 1 && guard-- > 0) {
      const d = order[cursor++ % order.length];
      const e = reading(d, Math.max(now, d.lastTs + 1));
      if (!e) continue;
      d.lastTs = e.ts;
      d.outbox.push(e);
      budget -= Object.keys(e.values).length;
    }
    if (meters.length && rnd() < 0.5) {
      const m = meters[Math.floor(rnd() * meters.length)];
      const e = reading(m, Math.max(now, m.lastTs + 1));
      if (e) {
        m.lastTs = e.ts;
        m.outbox.push(e);
      }
    }
    for (const d of devices) flushDevice(d, now);
  }, tickMs);

  log(
    `${devices.length} devices for ${farm.cows.length} cows → ${opts.brokerUrl}, ${rate} readings/s` +
      (faults.size ? `, faults: ${[...faults].join(", ")}` : ""),
  );

  return {
    stats: () => ({ ...stats, connected: online.size, faults: { ...stats.faults } }),
    async stop() {
      clearInterval(timer);
      await Promise.all(
        devices.map((d) =>
          d.client ? new Promise<void>((r) => d.client!.end(false, {}, () => r())) : undefined
        ),
      );
    },
  };
}
