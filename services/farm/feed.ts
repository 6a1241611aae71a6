/**
 * Feed (ICAR feed, ration, feed intake): feed items with a price per kg in poisha, rations per
 * group, and what was fed per day. A feeding's cost is fixed when it is recorded (quantity × the
 * item's price then), so later price changes do not rewrite the cost history.
 */
import type postgres from "postgres";
import { z } from "@/services/platform/schema.ts";
import { checkbox } from "./form_fields.ts";
import { auditFarm } from "./audit.ts";
import { type Actor, assertFarmCan } from "./actor.ts";
import { farmDay, isIsoDate } from "./dates.ts";
import { type EntryOpts, farmEditUseCase, farmUseCase } from "./use_case.ts";
import { type Db, inTx } from "@/services/platform/tx.ts";
import { num } from "./db.ts";
import { FarmRuleError } from "./errors.ts";
import { drawForFeeding } from "./stock.ts";

export interface FeedItem {
  id: number;
  name: string;
  kind: string;
  dryMatterPct: number | null;
  costPerKgMinor: number;
}

function feedItemFromRow(r: postgres.Row): FeedItem {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    dryMatterPct: num(r.dry_matter_pct),
    costPerKgMinor: Number(r.cost_per_kg_minor),
  };
}

export async function listFeedItems(db: Db): Promise<FeedItem[]> {
  const rows = await db`
    select id, name, kind, dry_matter_pct, cost_per_kg_minor from feed_items where active
    order by kind, name`;
  return rows.map(feedItemFromRow);
}

export const feedItemSchema = z.object({
  name: z.string().trim().min(1, "A name is required").max(80),
  kind: z.enum(["forage", "concentrate", "mineral", "other"], { error: "Choose a kind" }),
  dryMatterPct: z.preprocess(
    (v) => (v === "" ? null : v),
    z.coerce.number().min(0).max(100, "Dry matter is at most 100 %").nullish(),
  ),
  /** Price per kg in poisha. */
  costPerKgMinor: z.coerce.number({ error: "The price must be a number" }).int("Whole poisha")
    .min(0, "The price cannot be negative").max(100_000_00),
});

/** Creates a feed item, or updates the one with the same name (a new price). */
export const saveFeedItem = farmUseCase(
  { schema: feedItemSchema, may: "farm.manage" },
  async (tx, f, actor: Actor): Promise<number> => {
    const [row] = await tx`
      insert into feed_items (name, kind, dry_matter_pct, cost_per_kg_minor)
      values (${f.name}, ${f.kind}, ${f.dryMatterPct ?? null}, ${f.costPerKgMinor})
      on conflict (name) do update set kind = excluded.kind,
        dry_matter_pct = excluded.dry_matter_pct, cost_per_kg_minor = excluded.cost_per_kg_minor,
        active = true
      returning id`;
    await auditFarm(tx, actor.userId, "farm.feed_item.save", "feed_item", row.id, f);
    return row.id;
  },
);

export interface Ration {
  id: number;
  groupId: number;
  groupName: string;
  name: string;
  validFrom: string;
  items: { feedItemId: number; name: string; kgPerHead: number; costPerKgMinor: number }[];
  /** Cost per head per day at today's prices, poisha. */
  costPerHeadMinor: number;
}

/** The ration in force per group (the latest valid_from on or before `day`). */
export async function currentRations(db: Db, day: string = farmDay()): Promise<Ration[]> {
  const rows = await db`
    select r.id, r.group_id, g.name as group_name, r.name, r.valid_from::text,
      ri.feed_item_id, f.name as item, ri.kg_per_head, f.cost_per_kg_minor
    from rations r
    join farm_groups g on g.id = r.group_id
    join ration_items ri on ri.ration_id = r.id
    join feed_items f on f.id = ri.feed_item_id
    where r.id in (
      select distinct on (group_id) id from rations where valid_from <= ${day}
      order by group_id, valid_from desc
    )
    order by g.code, f.kind, f.name`;
  return rationsFromRows(rows);
}

export const rationSchema = z.object({
  groupId: z.coerce.number().int().positive("Choose a group"),
  name: z.string().trim().min(1, "A name is required").max(80),
  validFrom: z.string().refine(isIsoDate, "The date must be a date (YYYY-MM-DD)"),
  items: z.array(z.object({
    feedItemId: z.coerce.number().int().positive(),
    kgPerHead: z.coerce.number().positive("Kilograms per head must be more than 0").max(200),
  })).min(1, "A ration needs at least one feed"),
});

export const saveRation = farmUseCase(
  { schema: rationSchema, may: "farm.manage" },
  async (tx, r, actor: Actor): Promise<number> => {
    const [row] = await tx`
      insert into rations (group_id, name, valid_from) values (${r.groupId}, ${r.name}, ${r.validFrom})
      on conflict (group_id, valid_from) do update set name = excluded.name
      returning id`;
    await replaceRationItems(tx, row.id, r.items);
    await auditFarm(tx, actor.userId, "farm.ration.save", "ration", row.id, r);
    return row.id;
  },
);

export const feedingSchema = z.object({
  date: z.string().refine(isIsoDate, "The date must be a date (YYYY-MM-DD)"),
  groupId: z.coerce.number().int().positive("Choose a group"),
  feedItemId: z.coerce.number().int().positive("Choose a feed"),
  quantityKg: z.coerce.number({ error: "The quantity must be a number" })
    .positive("The quantity must be more than 0").max(100_000),
});

/** Records (or corrects) the feed given to a group on a day. Returns the cost in poisha. */
export const recordFeeding = farmUseCase(
  { schema: feedingSchema, may: "farm.record" },
  async (tx, f, actor: Actor, opts: EntryOpts = {}): Promise<number> => {
    if (f.date > farmDay()) {
      throw new FarmRuleError("future_date", "The date is in the future", {}, "date");
    }
    const [item] = await tx`select cost_per_kg_minor from feed_items where id = ${f.feedItemId}`;
    if (!item) throw new FarmRuleError("feed_unknown", "No such feed", {}, "feedItemId");
    const [group] = await tx`select 1 from farm_groups where id = ${f.groupId}`;
    if (!group) throw new FarmRuleError("group_unknown", "No such group", {}, "groupId");
    const cost = Math.round(f.quantityKg * Number(item.cost_per_kg_minor));
    const [row] = await tx`
      insert into feedings (fed_on, group_id, feed_item_id, quantity_kg, cost_minor, recorded_by,
        client_id)
      values (${f.date}, ${f.groupId}, ${f.feedItemId}, ${f.quantityKg}, ${cost}, ${actor.userId},
        ${opts.clientId ?? null})
      on conflict (fed_on, group_id, feed_item_id) do update set quantity_kg = excluded.quantity_kg,
        cost_minor = excluded.cost_minor, recorded_by = excluded.recorded_by
      returning id::text`;
    // Feed from stock (when the item is linked): the kilograms, FEFO, or the correction's difference.
    await drawForFeeding(tx, opts ?? {}, {
      feedingId: row.id,
      feedItemId: f.feedItemId,
      quantityKg: f.quantityKg,
      on: f.date,
      // Noon of the farm day (Asia/Dhaka): when the feed was given, for the draw's record.
      at: new Date(`${f.date}T06:00:00Z`),
      actor,
    });
    return cost;
  },
);

/** Records a group's current ration for a day, scaled by the group's head count. */
export async function feedRation(
  db: Db,
  input: { date: string; groupId: number },
  actor: Actor,
  opts: EntryOpts = {},
): Promise<{ items: number; costMinor: number }> {
  assertFarmCan(actor, "farm.record");
  return await inTx(db, async (tx) => {
    const rations = (await currentRations(tx, input.date)).filter((r) =>
      r.groupId === input.groupId
    );
    if (!rations.length) {
      throw new FarmRuleError("invalid", "This group has no ration", {}, "groupId");
    }
    const [{ n }] =
      await tx`select count(*)::int as n from animals where group_id = ${input.groupId}
      and status in ('calf', 'heifer', 'lactating', 'dry')`;
    if (!n) throw new FarmRuleError("invalid", "This group has no animals", {}, "groupId");
    let total = 0;
    for (const it of rations[0].items) {
      try {
        total += await recordFeeding(
          tx,
          {
            date: input.date,
            groupId: input.groupId,
            feedItemId: it.feedItemId,
            quantityKg: Math.round(it.kgPerHead * n * 10) / 10,
          },
          actor,
          { stock: opts.stock, lenientStock: opts.lenientStock },
        );
      } catch (e) {
        // The ration form has no quantity field: a stock refusal is the form's message.
        if (e instanceof FarmRuleError && e.field === "quantityKg") {
          throw new FarmRuleError(e.code, e.message, e.params, "form");
        }
        throw e;
      }
    }
    return { items: rations[0].items.length, costMinor: total };
  });
}

export interface FeedingRow {
  groupId: number;
  groupName: string;
  item: string;
  quantityKg: number;
  costMinor: number;
}

export async function feedingsOn(db: Db, day: string): Promise<FeedingRow[]> {
  const rows = await db`
    select f.group_id, g.name as group_name, i.name as item, f.quantity_kg, f.cost_minor
    from feedings f join farm_groups g on g.id = f.group_id join feed_items i on i.id = f.feed_item_id
    where f.fed_on = ${day} order by g.code, i.name`;
  return rows.map((r) => ({
    groupId: r.group_id,
    groupName: r.group_name,
    item: r.item,
    quantityKg: num(r.quantity_kg)!,
    costMinor: Number(r.cost_minor),
  }));
}

/** Feed cost (poisha) of all groups between two days, inclusive. */
export async function feedCostBetween(db: Db, from: string, to: string): Promise<number> {
  const [r] = await db`select coalesce(sum(cost_minor), 0)::bigint as c from feedings
    where fed_on between ${from} and ${to}`;
  return Number(r.c);
}

/** A feed item as the manager edits it (also inactive ones). */
export interface FeedItemRow extends FeedItem {
  active: boolean;
  /** The inventory item (counted in grams) it is drawn from; null: not from stock. */
  stockItemCode: string | null;
}

export async function listAllFeedItems(db: Db): Promise<FeedItemRow[]> {
  const rows = await db`
    select id, name, kind, dry_matter_pct, cost_per_kg_minor, active, stock_item_code
    from feed_items order by active desc, kind, name`;
  return rows.map((r) => ({
    ...feedItemFromRow(r),
    active: r.active,
    stockItemCode: r.stock_item_code ?? null,
  }));
}

export const feedItemEditSchema = feedItemSchema.extend({
  active: checkbox,
});

/** Edits a feed item by id (its name may change). Past feedings keep the cost they had. */
export const updateFeedItem = farmEditUseCase(
  { schema: feedItemEditSchema, may: "farm.manage" },
  async (tx, id: number, f, actor: Actor): Promise<void> => {
    const [clash] = await tx`select 1 from feed_items where lower(name) = lower(${f.name})
      and id <> ${id}`;
    if (clash) {
      throw new FarmRuleError("invalid", "The name is in use", { reason: "name_taken" }, "name");
    }
    const rows = await tx`
      update feed_items set name = ${f.name}, kind = ${f.kind},
        dry_matter_pct = ${f.dryMatterPct ?? null}, cost_per_kg_minor = ${f.costPerKgMinor},
        active = ${f.active}
      where id = ${id} returning id`;
    if (!rows.length) throw new FarmRuleError("feed_unknown", "No such feed", {}, "form");
    await auditFarm(tx, actor.userId, "farm.feed_item.update", "feed_item", id, f);
  },
);

/** Every ration (current and past), newest first per group, with its items. */
export async function listRations(db: Db): Promise<Ration[]> {
  const rows = await db`
    select r.id, r.group_id, g.name as group_name, r.name, r.valid_from::text,
      ri.feed_item_id, f.name as item, ri.kg_per_head, f.cost_per_kg_minor
    from rations r
    join farm_groups g on g.id = r.group_id
    left join ration_items ri on ri.ration_id = r.id
    left join feed_items f on f.id = ri.feed_item_id
    order by g.code, r.valid_from desc, f.kind, f.name`;
  return rationsFromRows(rows);
}

/**
 * Rows of ration × item (in query order) as rations with their items and cost per head; a row
 * without a feed (a left join on an empty ration) adds the ration alone.
 */
function rationsFromRows(rows: readonly postgres.Row[]): Ration[] {
  const byId = new Map<number, Ration>();
  for (const r of rows) {
    const ration: Ration = byId.get(r.id) ?? {
      id: r.id,
      groupId: r.group_id,
      groupName: r.group_name,
      name: r.name,
      validFrom: r.valid_from,
      items: [],
      costPerHeadMinor: 0,
    };
    if (r.feed_item_id !== null) {
      const kg = num(r.kg_per_head)!;
      const price = Number(r.cost_per_kg_minor);
      ration.items.push({
        feedItemId: r.feed_item_id,
        name: r.item,
        kgPerHead: kg,
        costPerKgMinor: price,
      });
      ration.costPerHeadMinor += Math.round(kg * price);
    }
    byId.set(r.id, ration);
  }
  return [...byId.values()];
}

/**
 * Edits a ration by id: group, name, start day and its items are replaced in one transaction.
 * A clash with another ration of the group on the same day is refused.
 */
export const updateRation = farmEditUseCase(
  { schema: rationSchema, may: "farm.manage" },
  async (tx, id: number, r, actor: Actor): Promise<void> => {
    await assertRationRefs(tx, r);
    await assertNoRationThatDay(tx, r, id);
    const rows = await tx`update rations set group_id = ${r.groupId}, name = ${r.name},
      valid_from = ${r.validFrom} where id = ${id} returning id`;
    if (!rows.length) throw new FarmRuleError("invalid", "No such ration", {}, "form");
    await replaceRationItems(tx, id, r.items);
    await auditFarm(tx, actor.userId, "farm.ration.update", "ration", id, r);
  },
);

/** The ration's group and feeds exist and are in use (a clear message rather than a 500). */
async function assertRationRefs(tx: Db, r: z.output<typeof rationSchema>): Promise<void> {
  const [g] = await tx`select 1 from farm_groups where id = ${r.groupId} and active`;
  if (!g) throw new FarmRuleError("group_unknown", "No such group", {}, "groupId");
  const ids = r.items.map((i) => i.feedItemId);
  if (new Set(ids).size !== ids.length) {
    throw new FarmRuleError("invalid", "A feed is listed twice", { reason: "feed_twice" }, "items");
  }
  const [{ n }] = await tx`select count(*)::int as n from feed_items
    where id = any(${ids}::int[]) and active`;
  if (n !== ids.length) throw new FarmRuleError("feed_unknown", "No such feed", {}, "items");
}

/** A ration's feeds become `items` (the old ones are dropped). */
async function replaceRationItems(
  tx: Db,
  rationId: number,
  items: z.output<typeof rationSchema>["items"],
): Promise<void> {
  await tx`delete from ration_items where ration_id = ${rationId}`;
  await tx`
    insert into ration_items (ration_id, feed_item_id, kg_per_head)
    select ${rationId}, f, k from unnest(${items.map((i) => i.feedItemId)}::int[],
      ${items.map((i) => i.kgPerHead)}::numeric[]) as u(f, k)`;
}

/** No other ration (than `exceptId`) of the group starts on the same day. */
async function assertNoRationThatDay(
  tx: Db,
  r: z.output<typeof rationSchema>,
  exceptId: number | null,
): Promise<void> {
  const [clash] = await tx`select 1 from rations where group_id = ${r.groupId}
    and valid_from = ${r.validFrom} and id is distinct from ${exceptId}`;
  if (clash) {
    throw new FarmRuleError("invalid", "This group has a ration from that day", {
      reason: "ration_taken",
    }, "validFrom");
  }
}

/** Creates a ration; another one of the group starting the same day is refused. */
export const createRation = farmUseCase(
  { schema: rationSchema, may: "farm.manage" },
  async (tx, r, actor: Actor): Promise<number> => {
    await assertRationRefs(tx, r);
    await assertNoRationThatDay(tx, r, null);
    return await saveRation(tx, r, actor);
  },
);
