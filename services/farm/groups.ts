/**
 * Farm groups (pens): the manager creates, renames and deactivates them. A group that still holds
 * animals of the herd cannot be deactivated (they would be left in a group nobody sees).
 */
import { z } from "@/services/platform/schema.ts";
import { auditFarm } from "./audit.ts";
import { type Actor, assertFarmCan } from "./actor.ts";
import { groupBase } from "./db.ts";
import { farmEditUseCase, farmUseCase } from "./use_case.ts";
import { type Db, inTx } from "@/services/platform/tx.ts";
import { FarmRuleError } from "./errors.ts";

export const GROUP_KINDS = ["calves", "heifers", "lactating", "dry", "hospital", "other"] as const;

export interface GroupRow {
  id: number;
  code: string;
  name: string;
  kind: string;
  pen: string | null;
  active: boolean;
  /** Animals of the herd (not sold or dead) in the group. */
  head: number;
}

export async function listAllGroups(db: Db): Promise<GroupRow[]> {
  const rows = await db`
    select g.id, g.code, g.name, g.kind, g.pen, g.active,
      (select count(*)::int from animals a where a.group_id = g.id and a.exit_date is null) as head
    from farm_groups g order by g.active desc, g.code`;
  return rows.map((r) => ({ ...groupBase(r), active: r.active, head: r.head }));
}

const name = z.string().trim().min(1, "A name is required").max(80, "At most 80 characters");
const pen = z.preprocess(
  (v) => (typeof v === "string" && v.trim() === "" ? null : v),
  z.string().trim().max(40, "At most 40 characters").nullish(),
);

export const groupSchema = z.object({
  code: z.string().trim().toUpperCase().regex(
    /^[A-Z0-9][A-Z0-9-]{0,15}$/,
    "Up to 16 letters, digits or dashes",
  ),
  name,
  kind: z.enum(GROUP_KINDS, { error: "Choose a kind" }),
  pen,
});

export const renameSchema = z.object({ name, pen });

export const createGroup = farmUseCase(
  { schema: groupSchema, may: "farm.manage" },
  async (tx, g, actor: Actor): Promise<number> => {
    const rows = await tx`
      insert into farm_groups (code, name, kind, pen) values (${g.code}, ${g.name}, ${g.kind},
        ${g.pen ?? null})
      on conflict (code) do nothing returning id`;
    if (!rows.length) {
      throw new FarmRuleError("invalid", `The code ${g.code} is in use`, {
        reason: "code_taken",
        code: g.code,
      }, "code");
    }
    await auditFarm(tx, actor.userId, "farm.group.create", "farm_group", rows[0].id, g);
    return rows[0].id;
  },
);

export const renameGroup = farmEditUseCase(
  { schema: renameSchema, may: "farm.manage" },
  async (tx, id: number, g, actor: Actor): Promise<void> => {
    const rows = await tx`update farm_groups set name = ${g.name}, pen = ${g.pen ?? null}
      where id = ${id} returning id`;
    if (!rows.length) throw new FarmRuleError("group_unknown", "No such group", {}, "form");
    await auditFarm(tx, actor.userId, "farm.group.rename", "farm_group", id, g);
  },
);

/** Deactivates (active=false) or reactivates a group; refused while animals are in it. */
export async function setGroupActive(
  db: Db,
  id: number,
  active: boolean,
  actor: Actor,
): Promise<void> {
  assertFarmCan(actor, "farm.manage");
  await inTx(db, async (tx) => {
    // The row lock keeps an animal from being moved in while we count.
    const [g] = await tx`select name from farm_groups where id = ${id} for update`;
    if (!g) throw new FarmRuleError("group_unknown", "No such group", {}, "form");
    if (!active) {
      const [{ n }] = await tx`select count(*)::int as n from animals
        where group_id = ${id} and exit_date is null`;
      if (n > 0) {
        throw new FarmRuleError(
          "invalid",
          `${g.name} still has ${n} animals: move them to another group first`,
          { reason: "group_in_use", name: g.name, n },
          "form",
        );
      }
    }
    await tx`update farm_groups set active = ${active} where id = ${id}`;
    await auditFarm(
      tx,
      actor.userId,
      active ? "farm.group.activate" : "farm.group.deactivate",
      "farm_group",
      id,
      { active },
    );
  });
}
