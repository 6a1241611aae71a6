/**
 * The device registry: what each device is, where it is, whom it is assigned to, and its MQTT
 * secret (shown once at creation or rotation, stored as SHA-256). Revoked devices keep their
 * history but can no longer connect.
 */
import { z } from "@/services/platform/schema.ts";
import { appendAudit } from "@/services/audit/mod.ts";
import {
  ConflictError,
  NotFoundError,
  parseInput,
  ValidationError,
} from "@/services/platform/errors.ts";
import { DEVICE_ID_PATTERN, DEVICE_TYPES, type DeviceType } from "./contract.ts";
import { hashSecret, newDeviceSecret, sameBytes, serviceOfClientId } from "./credentials.ts";
import { type Db, inTx } from "@/services/platform/tx.ts";
import { emptyToNull, pgCode } from "./db_util.ts";

export const LOCATION_KINDS = ["barn", "pen", "tank", "room"] as const;
export type LocationKind = typeof LOCATION_KINDS[number];

export interface Device {
  id: string;
  type: DeviceType;
  name: string;
  locationKind: LocationKind | null;
  location: string | null;
  animalTag: string | null;
  tankId: string | null;
  assignedAt: Date | null;
  firmwareVersion: string | null;
  notes: string | null;
  secretRotatedAt: Date;
  revokedAt: Date | null;
  lastSeenAt: Date | null;
  lastReadingAt: Date | null;
  status: Record<string, unknown> | null;
  createdAt: Date;
  updatedAt: Date;
}

const optText = (max: number) =>
  z.preprocess(emptyToNull, z.string().trim().max(max, `At most ${max} characters`).nullish());

export const deviceIdSchema = z.string().trim().toLowerCase().regex(
  DEVICE_ID_PATTERN,
  "3–64 lower-case letters, digits or hyphens, starting with a letter or digit",
).refine((id) => !id.startsWith("svc-"), "Ids starting with svc- are reserved")
  .refine((id) => !serviceOfClientId(id), "Ids starting with sd-ingest-, sd-live-… are reserved");

const assignmentFields = {
  name: z.string().trim().min(1, "A name is required").max(120),
  locationKind: z.preprocess(emptyToNull, z.enum(LOCATION_KINDS).nullish()),
  location: optText(120),
  animalTag: optText(40),
  tankId: optText(64),
  firmwareVersion: optText(64),
  notes: optText(2000),
};

const oneAssignment = (d: { animalTag?: string | null; tankId?: string | null }) =>
  !(d.animalTag && d.tankId);
const oneAssignmentIssue = {
  message: "A device is assigned to an animal or to a tank, not both",
  path: ["tankId"],
};

export const createDeviceSchema = z.object({
  id: deviceIdSchema,
  type: z.enum(DEVICE_TYPES, "Choose a device type"),
  ...assignmentFields,
}).refine(oneAssignment, { ...oneAssignmentIssue }); // a copy: Zod 4 mutates the object it is given
export type CreateDeviceInput = z.input<typeof createDeviceSchema>;

export const updateDeviceSchema = z.object({
  name: assignmentFields.name.optional(),
  locationKind: assignmentFields.locationKind,
  location: assignmentFields.location,
  animalTag: assignmentFields.animalTag,
  tankId: assignmentFields.tankId,
  firmwareVersion: assignmentFields.firmwareVersion,
  notes: assignmentFields.notes,
});
export type UpdateDeviceInput = z.input<typeof updateDeviceSchema>;

export interface ActorOptions {
  /** users.id of the person acting (audit log); null for the system. */
  actorId?: string | null;
  now?: Date;
}

/** The audit row of a change to device `id` ("iot.device.<action>"), in the change's transaction. */
async function auditDevice(
  tx: Parameters<typeof appendAudit>[0],
  action: string,
  id: string,
  opts: ActorOptions,
  at: Date,
  data?: unknown,
): Promise<void> {
  await appendAudit(tx, {
    actorId: opts.actorId ?? null,
    action: `iot.device.${action}`,
    entity: "device",
    entityId: id,
    data,
    at,
  });
}

const COLUMNS = `id, type, name, location_kind, location, animal_tag, tank_id, assigned_at,
  firmware_version, notes, secret_rotated_at, revoked_at, last_seen_at, last_reading_at, status,
  created_at, updated_at`;

export function toDevice(r: Record<string, any>): Device {
  return {
    id: r.id,
    type: r.type,
    name: r.name,
    locationKind: r.location_kind,
    location: r.location,
    animalTag: r.animal_tag,
    tankId: r.tank_id,
    assignedAt: r.assigned_at,
    firmwareVersion: r.firmware_version,
    notes: r.notes,
    secretRotatedAt: r.secret_rotated_at,
    revokedAt: r.revoked_at,
    lastSeenAt: r.last_seen_at,
    lastReadingAt: r.last_reading_at,
    status: r.status,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export interface ListDevicesQuery {
  type?: DeviceType;
  /** Matches id, name, location or animal tag (case-insensitive). */
  q?: string;
  tankId?: string;
  includeRevoked?: boolean;
  limit?: number;
  offset?: number;
}

export async function listDevices(
  db: Db,
  query: ListDevicesQuery = {},
): Promise<{ devices: Device[]; total: number }> {
  const limit = Math.min(Math.max(query.limit ?? 50, 1), 500);
  const offset = Math.max(query.offset ?? 0, 0);
  const like = query.q ? `%${query.q.replace(/[\\%_]/g, (c) => "\\" + c)}%` : null;
  const rows = await db.unsafe(
    `select ${COLUMNS}, count(*) over () as total from devices
     where ($1::text is null or type = $1)
       and ($2::text is null or id ilike $2 or name ilike $2 or location ilike $2
            or animal_tag ilike $2)
       and ($3::text is null or tank_id = $3)
       and ($4::boolean or revoked_at is null)
     order by revoked_at is not null, type, id
     limit $5 offset $6`,
    [query.type ?? null, like, query.tankId ?? null, query.includeRevoked ?? false, limit, offset],
  );
  return { devices: rows.map(toDevice), total: Number(rows[0]?.total ?? 0) };
}

export async function getDevice(db: Db, id: string): Promise<Device | null> {
  if (!/^[a-z0-9][a-z0-9-]{1,63}$/.test(id)) return null; // no such id can exist
  const [row] = await db.unsafe(`select ${COLUMNS} from devices where id = $1`, [id]);
  return row ? toDevice(row) : null;
}

function tankProblem(err: unknown): never {
  if (pgCode(err) === "23503") throw new ValidationError({ tankId: "No such tank" });
  throw err;
}

/** Registers a device; the secret is returned this once and never again. */
export async function createDevice(
  db: Db,
  input: CreateDeviceInput,
  opts: ActorOptions = {},
): Promise<{ device: Device; secret: string }> {
  const d = parseInput(createDeviceSchema, input);
  const secret = newDeviceSecret();
  const hash = await hashSecret(secret);
  const now = opts.now ?? new Date();
  const device = await inTx(db, async (tx) => {
    let rows;
    try {
      rows = await tx.unsafe(
        `insert into devices (id, type, name, location_kind, location, animal_tag, tank_id,
           assigned_at, firmware_version, notes, secret_hash, secret_rotated_at, created_at,
           updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $12)
         on conflict (id) do nothing
         returning ${COLUMNS}`,
        [
          d.id,
          d.type,
          d.name,
          d.locationKind ?? null,
          d.location ?? null,
          d.animalTag ?? null,
          d.tankId ?? null,
          d.animalTag || d.tankId ? now : null,
          d.firmwareVersion ?? null,
          d.notes ?? null,
          hash,
          now,
        ],
      );
    } catch (err) {
      tankProblem(err);
    }
    if (!rows.length) throw new ConflictError(`A device with id ${d.id} exists already`, "id");
    await auditDevice(tx, "create", d.id, opts, now, { type: d.type, name: d.name });
    return toDevice(rows[0]);
  });
  return { device, secret };
}

export async function updateDevice(
  db: Db,
  id: string,
  input: UpdateDeviceInput,
  opts: ActorOptions = {},
): Promise<Device> {
  const p = parseInput(updateDeviceSchema, input);
  const now = opts.now ?? new Date();
  return await inTx(db, async (tx) => {
    const [cur] = await tx.unsafe(`select ${COLUMNS} from devices where id = $1 for update`, [id]);
    if (!cur) throw new NotFoundError(`No device ${id}`);
    const before = toDevice(cur);
    const next = {
      name: p.name ?? before.name,
      locationKind: p.locationKind === undefined ? before.locationKind : p.locationKind,
      location: p.location === undefined ? before.location : p.location,
      animalTag: p.animalTag === undefined ? before.animalTag : p.animalTag,
      tankId: p.tankId === undefined ? before.tankId : p.tankId,
      firmwareVersion: p.firmwareVersion === undefined ? before.firmwareVersion : p.firmwareVersion,
      notes: p.notes === undefined ? before.notes : p.notes,
    };
    if (!oneAssignment(next)) throw new ValidationError({ tankId: oneAssignmentIssue.message });
    const reassigned = next.animalTag !== before.animalTag || next.tankId !== before.tankId;
    const assignedAt = reassigned
      ? (next.animalTag || next.tankId ? now : null)
      : before.assignedAt;
    let rows;
    try {
      rows = await tx.unsafe(
        `update devices set name = $2, location_kind = $3, location = $4, animal_tag = $5,
           tank_id = $6, assigned_at = $7, firmware_version = $8, notes = $9, updated_at = $10
         where id = $1 returning ${COLUMNS}`,
        [
          id,
          next.name,
          next.locationKind ?? null,
          next.location ?? null,
          next.animalTag ?? null,
          next.tankId ?? null,
          assignedAt,
          next.firmwareVersion ?? null,
          next.notes ?? null,
          now,
        ],
      );
    } catch (err) {
      tankProblem(err);
    }
    const changed = Object.fromEntries(
      Object.entries(next).filter(([k, v]) => before[k as keyof typeof next] !== v),
    );
    await auditDevice(tx, "update", id, opts, now, changed);
    return toDevice(rows[0]);
  });
}

/** Revokes a device: the broker refuses it from now on (and drops its connection). */
export async function revokeDevice(db: Db, id: string, opts: ActorOptions = {}): Promise<Device> {
  const now = opts.now ?? new Date();
  return await inTx(db, async (tx) => {
    const rows = await tx.unsafe(
      `update devices set revoked_at = coalesce(revoked_at, $2), updated_at = $2
       where id = $1 returning ${COLUMNS}`,
      [id, now],
    );
    if (!rows.length) throw new NotFoundError(`No device ${id}`);
    await auditDevice(tx, "revoke", id, opts, now);
    return toDevice(rows[0]);
  });
}

/** Issues a new secret (the old one stops working); returned this once. */
export async function rotateDeviceSecret(
  db: Db,
  id: string,
  opts: ActorOptions = {},
): Promise<{ device: Device; secret: string }> {
  const secret = newDeviceSecret();
  const hash = await hashSecret(secret);
  const now = opts.now ?? new Date();
  const device = await inTx(db, async (tx) => {
    const rows = await tx.unsafe(
      `update devices set secret_hash = $2, secret_rotated_at = $3, updated_at = $3
       where id = $1 returning ${COLUMNS}`,
      [id, hash, now],
    );
    if (!rows.length) throw new NotFoundError(`No device ${id}`);
    const device = toDevice(rows[0]);
    if (device.revokedAt) throw new ConflictError(`Device ${id} is revoked`);
    await auditDevice(tx, "rotate_secret", id, opts, now);
    return device;
  });
  return { device, secret };
}

export type CredentialCheck =
  | { ok: true; device: { id: string; type: DeviceType } }
  | { ok: false; reason: "unknown" | "revoked" | "bad_secret" };

/** Checks a device's MQTT username and password against the registry. */
export async function verifyDeviceCredentials(
  db: Db,
  id: string,
  secret: string,
): Promise<CredentialCheck> {
  const [row] = await db`
    select id, type, secret_hash, revoked_at from devices where id = ${id}`;
  if (!row) return { ok: false, reason: "unknown" };
  if (row.revoked_at) return { ok: false, reason: "revoked" };
  const ok = sameBytes(new Uint8Array(row.secret_hash), await hashSecret(secret));
  return ok ? { ok: true, device: { id: row.id, type: row.type } } : {
    ok: false,
    reason: "bad_secret",
  };
}

/** What the ingest needs to know about devices: type and current assignment. */
export interface DeviceInfo {
  id: string;
  type: DeviceType;
  animalTag: string | null;
  tankId: string | null;
  revoked: boolean;
}

export async function deviceInfos(db: Db, ids: string[]): Promise<DeviceInfo[]> {
  if (!ids.length) return [];
  const rows = await db`
    select id, type, animal_tag, tank_id, revoked_at is not null as revoked
    from devices where id = any(${ids}::text[])`;
  return rows.map((r) => ({
    id: r.id,
    type: r.type,
    animalTag: r.animal_tag,
    tankId: r.tank_id,
    revoked: r.revoked,
  }));
}

/** Ids among `ids` that exist and are not revoked (the broker's periodic sweep). */
export async function activeDeviceIds(db: Db, ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const rows = await db`
    select id from devices where id = any(${ids}::text[]) and revoked_at is null`;
  return new Set(rows.map((r) => r.id as string));
}
