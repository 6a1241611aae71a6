/**
 * IoT (scope iot:read): devices, their latest readings, hourly and daily rollups (or raw readings
 * for short ranges) and alarms. Live telemetry over GraphQL subscriptions is api-hooks' part.
 */
import { z } from "@/services/api/mod.ts";
import { endpoint, offsetOf, pageByOffset } from "../endpoint.ts";
import { isoDateTime } from "./schemas.ts";
import { NotFoundError } from "@/services/platform/mod.ts";
import { type Device, DEVICE_ID_PATTERN, DEVICE_TYPES, SEVERITIES } from "@/services/iot/mod.ts";
import { HttpError } from "@/framework/mod.ts";

const device = z.object({
  id: z.string(),
  type: z.enum(DEVICE_TYPES),
  name: z.string(),
  location: z.string().nullable(),
  animalTag: z.string().nullable(),
  tankId: z.string().nullable(),
  firmwareVersion: z.string().nullable(),
  revoked: z.boolean(),
  lastSeenAt: isoDateTime.nullable(),
  lastReadingAt: isoDateTime.nullable(),
});

const iso = (d: Date | null) => d === null ? null : new Date(d).toISOString();

function deviceOut(d: Device): z.input<typeof device> {
  return {
    id: d.id,
    type: d.type,
    name: d.name,
    location: d.location,
    animalTag: d.animalTag,
    tankId: d.tankId,
    firmwareVersion: d.firmwareVersion,
    revoked: d.revokedAt !== null,
    lastSeenAt: iso(d.lastSeenAt),
    lastReadingAt: iso(d.lastReadingAt),
  };
}

const deviceParams = z.object({
  id: z.string().regex(DEVICE_ID_PATTERN),
});

export const listDevices = endpoint({
  id: "listDevices",
  method: "GET",
  path: "/api/v1/iot/devices",
  scope: "iot:read",
  tag: "iot",
  summary: "Registered devices",
  query: z.object({
    type: z.enum(DEVICE_TYPES).optional(),
    tankId: z.string().max(64).optional(),
  }),
  response: device,
  list: true,
  async run({ deps, query, page }) {
    const p = await pageByOffset(page, async (limit, offset) => {
      const { devices, total } = await deps.iot.listDevices({
        type: query.type,
        tankId: query.tankId,
        limit,
        offset,
      });
      return { rows: devices, total };
    });
    return { items: p.items.map(deviceOut), nextAfter: p.nextAfter };
  },
});

export const getDevice = endpoint({
  id: "getDevice",
  method: "GET",
  path: "/api/v1/iot/devices/{id}",
  scope: "iot:read",
  tag: "iot",
  summary: "A device with its latest reading of each metric",
  params: deviceParams,
  response: device.extend({
    online: z.boolean(),
    latest: z.array(z.object({ metric: z.string(), at: isoDateTime, value: z.number() })),
    readings24h: z.number().int(),
  }),
  errors: [404],
  async run({ deps, params }) {
    const s = await deps.iot.deviceSummary(params.id, { now: deps.clock.now() });
    if (!s) throw new NotFoundError("No such device");
    return {
      ...deviceOut(s.device),
      online: s.online,
      latest: s.latest.map((l) => ({ metric: l.metric, at: iso(l.at)!, value: Number(l.value) })),
      readings24h: Number(s.readings24h),
    };
  },
});

export const getReadings = endpoint({
  id: "getDeviceReadings",
  method: "GET",
  path: "/api/v1/iot/devices/{id}/readings",
  scope: "iot:read",
  tag: "iot",
  summary: "A metric's readings: raw, hourly or daily rollups (average, min, max)",
  params: deviceParams,
  query: z.object({
    metric: z.string().regex(/^[a-z_]{1,40}$/),
    from: z.iso.datetime({ offset: true }),
    to: z.iso.datetime({ offset: true }),
    resolution: z.enum(["auto", "raw", "hour", "day"]).optional(),
  }),
  response: z.object({
    deviceId: z.string(),
    metric: z.string(),
    resolution: z.enum(["raw", "hour", "day"]),
    bucketSeconds: z.number().int(),
    points: z.array(z.object({
      at: isoDateTime,
      value: z.number(),
      min: z.number().nullable(),
      max: z.number().nullable(),
    })),
  }),
  errors: [404],
  async run({ deps, params, query }) {
    const from = new Date(query.from);
    const to = new Date(query.to);
    if (!(to.getTime() > from.getTime())) {
      throw new HttpError(400, "`to` must be after `from`", { fields: { to: ["before from"] } });
    }
    if (to.getTime() - from.getTime() > 400 * 86_400_000) {
      throw new HttpError(400, "At most 400 days at a time", { fields: { from: ["too early"] } });
    }
    if (!(await deps.iot.getDevice(params.id))) throw new NotFoundError("No such device");
    const s = await deps.iot.deviceSeries({
      deviceId: params.id,
      metric: query.metric,
      from,
      to,
      resolution: query.resolution,
    });
    return {
      deviceId: params.id,
      metric: query.metric,
      resolution: s.resolution,
      bucketSeconds: s.bucketSeconds,
      points: s.at.map((at, i) => ({
        at: new Date(at).toISOString(),
        value: s.value[i],
        min: s.min?.[i] ?? null,
        max: s.max?.[i] ?? null,
      })),
    };
  },
});

const alarm = z.object({
  id: z.string(),
  rule: z.string(),
  kind: z.string(),
  deviceId: z.string(),
  tankId: z.string().nullable(),
  animalTag: z.string().nullable(),
  severity: z.enum(SEVERITIES),
  state: z.enum(["open", "acknowledged", "resolved"]),
  message: z.string(),
  value: z.number().nullable(),
  openedAt: isoDateTime,
  acknowledgedAt: isoDateTime.nullable(),
  resolvedAt: isoDateTime.nullable(),
});

export const listAlarms = endpoint({
  id: "listAlarms",
  method: "GET",
  path: "/api/v1/iot/alarms",
  scope: "iot:read",
  tag: "iot",
  summary: "Alarms (by default the active ones), critical first",
  query: z.object({
    state: z.enum(["active", "open", "acknowledged", "resolved", "all"]).optional(),
    deviceId: z.string().max(64).optional(),
  }),
  response: alarm,
  list: true,
  async run({ deps, query, page }) {
    const offset = offsetOf(page);
    const rows = await deps.iot.listAlarms({
      state: query.state,
      deviceId: query.deviceId,
      limit: page.limit + 1,
      offset,
    });
    const items = rows.slice(0, page.limit);
    return {
      items: items.map((a) => ({
        id: a.id,
        rule: a.ruleName,
        kind: a.kind,
        deviceId: a.deviceId,
        tankId: a.tankId,
        animalTag: a.animalTag,
        severity: a.severity,
        state: a.state,
        message: a.message,
        value: a.value === null ? null : Number(a.value),
        openedAt: iso(a.openedAt)!,
        acknowledgedAt: iso(a.acknowledgedAt),
        resolvedAt: iso(a.resolvedAt),
      })),
      nextAfter: rows.length > page.limit ? String(offset + page.limit) : null,
    };
  },
});

export const iotEndpoints = [listDevices, getDevice, getReadings, listAlarms];
