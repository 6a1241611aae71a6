/**
 * Server-sent events for the live screens, fed by MQTT (services/iot/live.ts, as svc-live).
 *
 * - `/farm/live/events` (the overview): `tank` {tankId, deviceId, temperatureC, at} per
 *   thermometer reading; `milk` (today's milk by session, re-read at most every 2 s after milk
 *   meter readings); `alarms` (the active alarms and the tanks' hold status, re-read after any
 *   alarm change).
 * - `/farm/live/events?device=<id>`: `reading` {deviceId, readings} and `alarm` (the change).
 *
 * Every stream starts with `ready` once the MQTT subscription is in place, sends a comment every
 * 20 s (proxies close idle connections) and ends after 5 minutes: the browser reconnects at
 * once, which re-checks the session and the permission.
 */
import type { Handlers } from "@/framework/mod.ts";
import { HttpError } from "@/framework/mod.ts";
import { requirePermission } from "@/plugins/session.ts";
import {
  DEVICE_ID_PATTERN,
  type Iot,
  type LiveEvent,
  type LiveFilter,
  tankStatus,
  toLiveAlarm,
} from "@/services/iot/mod.ts";
import type { AlarmsEvent, ReadingEvent, TankEvent } from "@/components/IotFormat.ts";
import type { State } from "@/state.ts";

const HEARTBEAT_MS = 20_000;
const LIFETIME_MS = 5 * 60_000;
const MILK_EVERY_MS = 2_000;
const ALARMS_AFTER_MS = 300;
/** Holds released and alarms closed in the web publish nothing: re-read them this often. */
const ALARMS_REFRESH_MS = 30_000;

type Send = (event: string, data: unknown) => void;

interface Mode {
  filter: LiveFilter;
  handle(e: LiveEvent, send: Send): void;
  close(): void;
}

/** Runs `task` at most once per `ms`, the last request winning. */
function throttled(ms: number, task: () => Promise<void>) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return {
    request() {
      timer ??= setTimeout(() => {
        task().catch((e) => console.error(`[live] ${(e as Error).message}`)).finally(() => {
          timer = undefined;
        });
      }, ms);
    },
    cancel() {
      clearTimeout(timer);
    },
  };
}

function overviewMode(iot: Iot, send: Send): Mode {
  const milk = throttled(MILK_EVERY_MS, async () => send("milk", await iot.milkToday()));
  let last = "";
  const alarms = throttled(ALARMS_AFTER_MS, async () => {
    const [active, tanks] = await Promise.all([
      iot.listAlarms({ state: "active", limit: 50 }),
      iot.listTanks(),
    ]);
    const snapshot: AlarmsEvent = { alarms: active.map(toLiveAlarm), tanks: tanks.map(tankStatus) };
    const json = JSON.stringify(snapshot);
    if (json === last) return;
    // (The first one too: something may have changed since the page was rendered.)
    send("alarms", snapshot);
    last = json;
  });
  alarms.request();
  const refresh = setInterval(() => alarms.request(), ALARMS_REFRESH_MS);
  return {
    filter: { types: ["tank_thermometer", "milk_meter"] },
    handle(e) {
      if (e.kind === "alarm") return alarms.request();
      if (e.type === "milk_meter") return milk.request();
      if (e.type !== "tank_thermometer" || !e.tankId) return;
      const newest = e.readings.filter((r) => r.metric === "temperature_c")
        .sort((a, b) => b.at - a.at)[0];
      if (!newest) return;
      const tank: TankEvent = {
        tankId: e.tankId,
        deviceId: e.deviceId,
        temperatureC: newest.value,
        at: newest.at,
      };
      send("tank", tank);
    },
    close() {
      clearInterval(refresh);
      milk.cancel();
      alarms.cancel();
    },
  };
}

function deviceMode(deviceId: string): Mode {
  return {
    filter: { deviceIds: [deviceId] },
    handle(e, send) {
      if (e.kind === "alarm") return send("alarm", e.alarm);
      const r: ReadingEvent = { deviceId: e.deviceId, readings: e.readings };
      send("reading", r);
    },
    close() {},
  };
}

export const handler: Handlers<unknown, State> = {
  async GET(ctx) {
    requirePermission(ctx, "iot.view");
    const iot = ctx.state.deps.iot;
    const device = ctx.url.searchParams.get("device");
    if (device !== null) {
      if (!DEVICE_ID_PATTERN.test(device) || !(await iot.getDevice(device))) {
        throw new HttpError(404, "No such device");
      }
    }
    const headers = {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      "x-accel-buffering": "no",
    };
    if (ctx.req.method === "HEAD") return new Response(null, { headers });
    const enc = new TextEncoder();
    const ac = new AbortController();
    let closed = false;
    let heartbeat: ReturnType<typeof setInterval> | undefined;
    let lifetime: ReturnType<typeof setTimeout> | undefined;
    let mode: Mode | undefined;

    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        const write = (text: string) => {
          if (closed) return;
          try {
            controller.enqueue(enc.encode(text));
          } catch {
            stop();
          }
        };
        const send: Send = (event, data) =>
          write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
        const stop = () => {
          if (closed) return;
          closed = true;
          clearInterval(heartbeat);
          clearTimeout(lifetime);
          mode?.close();
          ac.abort();
          try {
            controller.close();
          } catch { /* already closed by the client */ }
        };
        mode = device === null ? overviewMode(iot, send) : deviceMode(device);
        write("retry: 3000\n\n");
        heartbeat = setInterval(() => write(": ping\n\n"), HEARTBEAT_MS);
        lifetime = setTimeout(stop, LIFETIME_MS);
        const filter = mode.filter;
        (async () => {
          const feed = await iot.openLiveFeed(filter, ac.signal);
          feed.ready.then(() => send("ready", {}), () => {});
          for await (const e of feed) mode!.handle(e, send);
        })().catch((e) => console.error(`[live] feed failed: ${(e as Error).message}`))
          .finally(stop);
      },
      cancel() {
        closed = true;
        clearInterval(heartbeat);
        clearTimeout(lifetime);
        mode?.close();
        ac.abort();
      },
    });
    return new Response(body, { headers });
  },
};
