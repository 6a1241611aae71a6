/**
 * Bulk milk tanks and their holds. A cold-chain breach (an alarm rule with holds_tank) puts the
 * tank's milk on hold; only a farm manager (or an administrator) releases it, with a note, and
 * the release is audited. Collection and sales code must refuse milk from a held tank.
 */
import { z } from "@/services/platform/schema.ts";
import { appendAudit } from "@/services/audit/mod.ts";
import {
  ConflictError,
  NotFoundError,
  parseInput,
  ValidationError,
} from "@/services/platform/errors.ts";
import { ForbiddenError, type Role } from "@/services/identity/roles.ts";
import type { Tx } from "@/services/platform/db.ts";
import { type Db, inTx } from "@/services/platform/tx.ts";
import { pgCode } from "./db_util.ts";

export interface Tank {
  id: string;
  name: string;
  capacityL: number | null;
  status: "ok" | "held";
  createdAt: Date;
  hold: TankHold | null;
}

export interface TankHold {
  id: string;
  tankId: string;
  alarmId: string | null;
  reason: string;
  heldAt: Date;
  releasedAt: Date | null;
  releasedBy: string | null;
  releaseNote: string | null;
}

export const createTankSchema = z.object({
  id: z.string().trim().toLowerCase().regex(
    /^[a-z0-9][a-z0-9-]{1,63}$/,
    "2–64 lower-case letters, digits or hyphens",
  ),
  name: z.string().trim().min(1, "A name is required").max(120),
  capacityL: z.coerce.number().int().positive("Capacity must be positive")
    .max(1_000_000, "At most 1,000,000 L").nullish(),
});

function toHold(r: Record<string, any>): TankHold {
  return {
    id: String(r.id),
    tankId: r.tank_id,
    alarmId: r.alarm_id === null ? null : String(r.alarm_id),
    reason: r.reason,
    heldAt: r.held_at,
    releasedAt: r.released_at,
    releasedBy: r.released_by,
    releaseNote: r.release_note,
  };
}

export async function createTank(
  db: Db,
  input: z.input<typeof createTankSchema>,
  opts: { actorId?: string | null } = {},
): Promise<Tank> {
  const t = parseInput(createTankSchema, input);
  return await inTx(db, async (tx) => {
    const rows = await tx`
      insert into tanks (id, name, capacity_l) values (${t.id}, ${t.name}, ${t.capacityL ?? null})
      on conflict (id) do nothing returning id`;
    if (!rows.length) throw new ConflictError(`A tank with id ${t.id} exists already`, "id");
    await appendAudit(tx, {
      actorId: opts.actorId ?? null,
      action: "iot.tank.create",
      entity: "tank",
      entityId: t.id,
      data: { name: t.name, capacityL: t.capacityL ?? null },
    });
    return (await getTank(tx, t.id))!;
  });
}

export async function listTanks(db: Db): Promise<Tank[]> {
  const rows = await db`
    select t.*, h.id as hold_id, h.alarm_id, h.reason, h.held_at
    from tanks t left join tank_holds h on h.tank_id = t.id and h.released_at is null
    order by t.id`;
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    capacityL: r.capacity_l,
    status: r.status,
    createdAt: r.created_at,
    hold: r.hold_id === null ? null : toHold({
      id: r.hold_id,
      tank_id: r.id,
      alarm_id: r.alarm_id,
      reason: r.reason,
      held_at: r.held_at,
      released_at: null,
      released_by: null,
      release_note: null,
    }),
  }));
}

export async function getTank(db: Db, id: string): Promise<Tank | null> {
  return (await listTanks(db)).find((t) => t.id === id) ?? null;
}

/** Holds history of a tank, newest first. */
export async function listTankHolds(db: Db, tankId: string, limit = 50): Promise<TankHold[]> {
  const rows = await db`
    select * from tank_holds where tank_id = ${tankId} order by held_at desc, id desc
    limit ${limit}`;
  return rows.map(toHold);
}

/**
 * Puts a tank on hold inside the caller's transaction. A tank already on hold keeps its first
 * hold (returns it with created: false).
 */
export async function holdTank(
  tx: Tx,
  input: { tankId: string; reason: string; alarmId?: string | null; at: Date },
): Promise<{ hold: TankHold; created: boolean }> {
  const rows = await tx`
    insert into tank_holds (tank_id, alarm_id, reason, held_at)
    values (${input.tankId}, ${input.alarmId ?? null}, ${input.reason}, ${input.at})
    on conflict (tank_id) where released_at is null do nothing
    returning *`;
  if (rows.length) {
    await tx`update tanks set status = 'held', updated_at = ${input.at} where id = ${input.tankId}`;
    return { hold: toHold(rows[0]), created: true };
  }
  const [open] = await tx`
    select * from tank_holds where tank_id = ${input.tankId} and released_at is null`;
  return { hold: toHold(open), created: false };
}

const RELEASERS: readonly Role[] = ["farm_manager", "admin"];

/** Releases a tank's hold. Only farm managers and administrators may; the note is required. */
export async function releaseTankHold(
  db: Db,
  input: { tankId: string; note: string },
  actor: { userId: string; roles: readonly Role[] },
  opts: { now?: Date } = {},
): Promise<TankHold> {
  if (!actor.roles.some((r) => RELEASERS.includes(r))) throw new ForbiddenError("farm.manage");
  const note = input.note.trim();
  if (note.length < 3) {
    throw new ValidationError({ note: "Say why the milk may be released (test result, etc.)" });
  }
  const now = opts.now ?? new Date();
  return await inTx(db, async (tx) => {
    let rows;
    try {
      rows = await tx`
        update tank_holds set released_at = ${now}, released_by = ${actor.userId},
          release_note = ${note}
        where tank_id = ${input.tankId} and released_at is null returning *`;
    } catch (err) {
      if (pgCode(err) === "22P02") throw new ValidationError({ userId: "Not a user id" });
      throw err;
    }
    if (!rows.length) throw new NotFoundError(`Tank ${input.tankId} is not on hold`);
    await tx`update tanks set status = 'ok', updated_at = ${now} where id = ${input.tankId}`;
    await appendAudit(tx, {
      actorId: actor.userId,
      action: "iot.tank.release",
      entity: "tank",
      entityId: input.tankId,
      data: { holdId: String(rows[0].id), note },
      at: now,
    });
    return toHold(rows[0]);
  });
}
