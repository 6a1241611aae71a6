/**
 * The demo farm: tanks and devices for a herd of `cows` animals, with MQTT secrets derived from
 * APP_SECRET (HMAC), so `deno task simulate` can connect as these devices without the app
 * handing secrets over. seedDemoDevices is idempotent and never touches devices that exist.
 */
import type { DeviceType } from "./contract.ts";
import { demoDeviceSecret, hashSecret } from "./credentials.ts";
import { type Db, inTx } from "@/services/platform/tx.ts";
import type { LocationKind } from "./devices.ts";

export interface DemoDevice {
  id: string;
  type: DeviceType;
  name: string;
  locationKind: LocationKind;
  location: string;
  animalTag?: string;
  tankId?: string;
}

export interface DemoFarm {
  tanks: { id: string; name: string; capacityL: number }[];
  devices: DemoDevice[];
  cows: string[];
}

export const MIN_COWS = 1;
export const MAX_COWS = 5000;

export function cowTag(i: number): string {
  return `SD-${String(i + 1).padStart(4, "0")}`;
}

/** The demo farm's layout for a herd size (255 today, 800 planned). Pure and deterministic. */
export function demoFarm(cows = 255): DemoFarm {
  if (!Number.isInteger(cows) || cows < MIN_COWS || cows > MAX_COWS) {
    throw new RangeError(`cows must be an integer from ${MIN_COWS} to ${MAX_COWS}`);
  }
  const tankCount = cows > 400 ? 3 : 2;
  const tanks = Array.from({ length: tankCount }, (_, i) => ({
    id: `tank-${i + 1}`,
    name: `Bulk tank ${i + 1}`,
    capacityL: 5000,
  }));
  const tags = Array.from({ length: cows }, (_, i) => cowTag(i));
  const devices: DemoDevice[] = [];
  for (const t of tanks) {
    devices.push({
      id: `tt-${t.id}`,
      type: "tank_thermometer",
      name: `${t.name} thermometer`,
      locationKind: "tank",
      location: t.name,
      tankId: t.id,
    });
  }
  // One parlour stall per ~12 cows (a 2×12 herringbone for 255 cows), meters feeding the tanks
  // in turn.
  const stalls = Math.min(48, Math.max(2, Math.ceil(cows / 12)));
  for (let i = 0; i < stalls; i++) {
    devices.push({
      id: `mm-${String(i + 1).padStart(2, "0")}`,
      type: "milk_meter",
      name: `Milk meter, stall ${i + 1}`,
      locationKind: "barn",
      location: "Milking parlour",
      tankId: tanks[i % tanks.length].id,
    });
  }
  tags.forEach((tag, i) =>
    devices.push({
      id: `col-${String(i + 1).padStart(4, "0")}`,
      type: "activity_collar",
      name: `Collar ${tag}`,
      locationKind: "pen",
      location: `Pen ${Math.floor(i / 50) + 1}`,
      animalTag: tag,
    })
  );
  const rooms: [string, string, LocationKind][] = [
    ["rs-barn-a", "Barn A", "barn"],
    ["rs-barn-b", "Barn B", "barn"],
    ["rs-calf-shed", "Calf shed", "barn"],
    ["rs-cold-room", "Cold room", "room"],
  ];
  for (const [id, where, kind] of rooms) {
    devices.push({
      id,
      type: "room_sensor",
      name: `${where} sensor`,
      locationKind: kind,
      location: where,
    });
  }
  devices.push(
    {
      id: "rfid-parlour",
      type: "rfid_reader",
      name: "Parlour entrance reader",
      locationKind: "barn",
      location: "Milking parlour",
    },
    {
      id: "rfid-gate",
      type: "rfid_reader",
      name: "Pasture gate reader",
      locationKind: "pen",
      location: "Pasture gate",
    },
    {
      id: "bg-1",
      type: "biogas_monitor",
      name: "Biogas digester",
      locationKind: "room",
      location: "Biogas plant",
    },
    {
      id: "gps-1",
      type: "gps_tracker",
      name: `GPS ${tags[0]}`,
      locationKind: "pen",
      location: "Grazing herd",
      animalTag: tags[0],
    },
  );
  return { tanks, devices, cows: tags };
}

/**
 * Creates the demo farm's tanks and devices that do not exist yet. Returns how many devices were
 * created and how many the farm has.
 */
export async function seedDemoDevices(
  db: Db,
  appSecret: string,
  opts: { cows?: number } = {},
): Promise<{ created: number; devices: number; tanks: number }> {
  const farm = demoFarm(opts.cows ?? 255);
  const hashes = await Promise.all(
    farm.devices.map(async (d) =>
      Array.from(
        await hashSecret(await demoDeviceSecret(appSecret, d.id)),
        (b) => b.toString(16).padStart(2, "0"),
      ).join("")
    ),
  );
  return await inTx(db, async (tx) => {
    await tx`
      insert into tanks (id, name, capacity_l)
      select * from unnest(${farm.tanks.map((t) => t.id)}::text[],
        ${farm.tanks.map((t) => t.name)}::text[], ${farm.tanks.map((t) => t.capacityL)}::int[])
      on conflict (id) do nothing`;
    const d = farm.devices;
    const r = await tx`
      insert into devices (id, type, name, location_kind, location, animal_tag, tank_id,
        assigned_at, secret_hash)
      select id, type, name, lk, loc, tag, tank, case when tag is null and tank is null then null
        else now() - interval '30 days' end, decode(h, 'hex')
      from unnest(${d.map((x) => x.id)}::text[], ${d.map((x) => x.type)}::text[],
        ${d.map((x) => x.name)}::text[], ${d.map((x) => x.locationKind)}::text[],
        ${d.map((x) => x.location)}::text[], ${d.map((x) => x.animalTag ?? null)}::text[],
        ${d.map((x) => x.tankId ?? null)}::text[], ${hashes}::text[])
        as u(id, type, name, lk, loc, tag, tank, h)
      on conflict (id) do nothing`;
    return { created: r.count, devices: d.length, tanks: farm.tanks.length };
  });
}
