/**
 * The herd (scopes farm:read, farm:write): animals, milk records and reproduction events, read
 * and created by herd apps and milk meters that speak HTTP. Entries are made in the name of the
 * person who created the key, with the farm worker's permission.
 */
import { z } from "@/services/api/mod.ts";
import { endpoint, offsetOf, pageByOffset } from "../endpoint.ts";
import { idParam, isoDate, isoDateTime } from "./schemas.ts";
import { NotFoundError } from "@/services/platform/mod.ts";
import {
  type Actor,
  addDays,
  ANIMAL_STATUSES,
  type AnimalRow,
  farmDay,
  SESSIONS,
} from "@/services/farm/mod.ts";
import type { ApiPrincipal } from "@/services/api/mod.ts";
import { HttpError } from "@/framework/mod.ts";

const actorOf = (p: ApiPrincipal): Actor => ({ userId: p.createdBy, roles: ["farm_worker"] });

const animal = z.object({
  id: z.number().int(),
  tag: z.string(),
  rfid: z.string().nullable(),
  name: z.string().nullable(),
  breed: z.string(),
  sex: z.enum(["female", "male"]),
  birthDate: isoDate.nullable(),
  status: z.enum(ANIMAL_STATUSES),
  origin: z.enum(["born", "purchased"]),
  group: z.string().nullable(),
  damTag: z.string().nullable(),
  parity: z.number().int().nullable(),
  lastCalvedOn: isoDate.nullable(),
  withdrawalUntil: isoDateTime.nullable().describe("Milk withdrawal running until then"),
});

function animalOut(a: AnimalRow): z.input<typeof animal> {
  return {
    id: a.id,
    tag: a.tag,
    rfid: a.rfid,
    name: a.name,
    breed: a.breed,
    sex: a.sex,
    birthDate: a.birthDate,
    status: a.status,
    origin: a.origin,
    group: a.groupName,
    damTag: a.damTag,
    parity: a.parity,
    lastCalvedOn: a.lastCalvedOn,
    withdrawalUntil: a.withdrawalUntil?.toISOString() ?? null,
  };
}

export const listAnimals = endpoint({
  id: "listAnimals",
  method: "GET",
  path: "/api/v1/farm/animals",
  scope: "farm:read",
  tag: "farm",
  summary: "Animals of the herd (by default those in the herd)",
  query: z.object({
    status: z.enum([...ANIMAL_STATUSES, "in_herd", "all"]).optional(),
    q: z.string().max(60).optional().describe("Part of a tag, name or RFID"),
  }),
  response: animal,
  list: true,
  async run({ deps, query, page }) {
    const p = await pageByOffset(
      page,
      (limit, offset) => deps.farm.listAnimals({ status: query.status, q: query.q, limit, offset }),
    );
    return { items: p.items.map(animalOut), nextAfter: p.nextAfter };
  },
});

async function animalById(
  deps: { farm: { getAnimal(id: number): Promise<AnimalRow | null> } },
  id: number,
) {
  const a = await deps.farm.getAnimal(id);
  if (!a) throw new NotFoundError("No such animal");
  return a;
}

export const getAnimal = endpoint({
  id: "getAnimal",
  method: "GET",
  path: "/api/v1/farm/animals/{id}",
  scope: "farm:read",
  tag: "farm",
  summary: "One animal",
  params: z.object({ id: idParam }),
  response: animal,
  errors: [404],
  run: async ({ deps, params }) => animalOut(await animalById(deps, params.id)),
});

export const createAnimal = endpoint({
  id: "createAnimal",
  method: "POST",
  path: "/api/v1/farm/animals",
  scope: "farm:write",
  tag: "farm",
  summary: "Register an animal",
  body: z.object({
    tag: z.string().min(1).max(40),
    rfid: z.string().regex(/^[0-9]{15}$/).nullable().optional(),
    name: z.string().max(60).nullable().optional(),
    breed: z.string().min(1).max(60),
    sex: z.enum(["female", "male"]),
    birthDate: isoDate.nullable().optional(),
    damTag: z.string().max(40).nullable().optional(),
    sireTag: z.string().max(40).nullable().optional(),
    origin: z.enum(["born", "purchased"]),
    arrivalDate: isoDate.nullable().optional(),
    groupCode: z.string().max(16).nullable().optional(),
    status: z.enum(["calf", "heifer", "lactating", "dry"]),
    lastCalvedOn: isoDate.nullable().optional(),
    parity: z.number().int().min(1).max(20).nullable().optional(),
    notes: z.string().max(2000).nullable().optional(),
  }).strict(),
  response: animal,
  status: 201,
  idempotent: true,
  errors: [409, 422],
  async run({ deps, principal, body }) {
    return animalOut(await deps.farm.createAnimal(body, principal.createdBy));
  },
});

const milkRecord = z.object({
  id: z.string(),
  day: isoDate,
  session: z.enum(SESSIONS),
  milkedAt: isoDateTime,
  yieldKg: z.number(),
  fatPct: z.number().nullable(),
  snfPct: z.number().nullable(),
  scc: z.number().int().nullable(),
  discarded: z.boolean(),
  discardReason: z.string().nullable(),
  toTank: z.boolean(),
  source: z.string(),
});

export const listMilkRecords = endpoint({
  id: "listMilkRecords",
  method: "GET",
  path: "/api/v1/farm/animals/{id}/milk-records",
  scope: "farm:read",
  tag: "farm",
  summary: "An animal's milk records since a day, newest first",
  params: z.object({ id: idParam }),
  query: z.object({ from: isoDate.optional().describe("Default: 30 days ago") }),
  response: milkRecord,
  list: true,
  errors: [404],
  async run({ deps, params, query, page }) {
    await animalById(deps, params.id);
    const from = query.from ?? addDays(farmDay(deps.clock.now()), -30);
    const all = await deps.farm.animalMilkings(params.id, from);
    const offset = offsetOf(page);
    const items = all.slice(offset, offset + page.limit);
    return {
      items: items.map((m) => ({
        id: m.id,
        day: m.day,
        session: m.session,
        milkedAt: new Date(m.milkedAt).toISOString(),
        yieldKg: Number(m.yieldKg),
        fatPct: m.fatPct === null ? null : Number(m.fatPct),
        snfPct: m.snfPct === null ? null : Number(m.snfPct),
        scc: m.scc === null ? null : Number(m.scc),
        discarded: m.discarded,
        discardReason: m.discardReason,
        toTank: m.toTank,
        source: m.source,
      })),
      nextAfter: offset + items.length < all.length ? String(offset + items.length) : null,
    };
  },
});

export const createMilkRecord = endpoint({
  id: "createMilkRecord",
  method: "POST",
  path: "/api/v1/farm/milk-records",
  scope: "farm:write",
  tag: "farm",
  summary: "Record a milking (a milk meter or a herd app)",
  description: "One record per cow, day and session: a second entry for the same session " +
    "replaces the first when newer (`superseded` otherwise). Milk of a cow under withdrawal is " +
    "recorded as discarded.",
  body: z.object({
    animalId: z.number().int().positive(),
    milkedAt: isoDateTime,
    session: z.enum(SESSIONS).nullable().optional(),
    yieldKg: z.number().min(0).max(80),
    fatPct: z.number().min(0).max(15).nullable().optional(),
    snfPct: z.number().min(0).max(15).nullable().optional(),
    scc: z.number().int().min(0).max(20_000_000).nullable().optional(),
  }).strict(),
  response: z.object({
    status: z.enum(["applied", "superseded"]),
    recordId: z.string(),
    day: isoDate,
    session: z.enum(SESSIONS),
    discarded: z.boolean().optional(),
  }),
  status: 201,
  idempotent: true,
  errors: [404, 409, 422],
  async run({ deps, principal, body }) {
    const milkedAt = new Date(body.milkedAt);
    if (Number.isNaN(milkedAt.getTime())) {
      throw new HttpError(422, "milkedAt is not a date-time", {
        fields: { milkedAt: ["Not an ISO date-time"] },
      });
    }
    const r = await deps.farm.recordMilking({ ...body, milkedAt }, actorOf(principal));
    return {
      status: r.status,
      recordId: r.recordId,
      day: r.day,
      session: r.session,
      ...(r.status === "applied" ? { discarded: r.discarded } : {}),
    };
  },
});

const event = z.object({
  id: z.string(),
  kind: z.string(),
  date: isoDate,
  heatSource: z.string().nullable(),
  serviceType: z.string().nullable(),
  bull: z.string().nullable(),
  strawCode: z.string().nullable(),
  technician: z.string().nullable(),
  pregnant: z.boolean().nullable(),
  method: z.string().nullable(),
  calvingEase: z.number().int().nullable(),
  notes: z.string().nullable(),
});

export const listEvents = endpoint({
  id: "listAnimalEvents",
  method: "GET",
  path: "/api/v1/farm/animals/{id}/events",
  scope: "farm:read",
  tag: "farm",
  summary: "An animal's reproduction events (heat, service, checks, calving), newest first",
  params: z.object({ id: idParam }),
  response: z.object({ data: z.array(event) }),
  errors: [404],
  async run({ deps, params }) {
    await animalById(deps, params.id);
    return { data: await deps.farm.animalEvents(params.id) };
  },
});

export const createEvent = endpoint({
  id: "createFarmEvent",
  method: "POST",
  path: "/api/v1/farm/events",
  scope: "farm:write",
  tag: "farm",
  summary: "Record a herd event as the farm app does (heat, insemination, pregnancy check, " +
    "calving, dry-off)",
  description: "`id` is the client's UUID for the entry: sending it again answers `duplicate`.",
  body: z.object({
    id: z.uuid(),
    kind: z.enum(["heat", "insemination", "pregnancy_check", "calving", "dry_off"]),
    recordedAt: z.iso.datetime({ offset: true }),
    data: z.record(z.string(), z.unknown()).describe(
      "The event's fields as the farm app sends them (e.g. animalId, date, …)",
    ),
  }).strict(),
  response: z.object({
    id: z.string().nullable(),
    status: z.enum(["applied", "superseded", "duplicate"]),
    info: z.record(z.string(), z.unknown()).optional(),
  }),
  status: 201,
  idempotent: true,
  errors: [409, 422],
  async run({ deps, principal, body }) {
    const [r] = await deps.farm.syncEntries([body], actorOf(principal));
    if (r.status === "rejected" || r.status === "error") {
      throw new HttpError(r.code === "forbidden" ? 403 : 422, r.message ?? "Refused", {
        fields: { data: [r.message ?? r.code ?? "refused"] },
      });
    }
    return { id: r.id, status: r.status, ...(r.info ? { info: r.info } : {}) };
  },
});

export const farmEndpoints = [
  listAnimals,
  createAnimal,
  getAnimal,
  listMilkRecords,
  createMilkRecord,
  listEvents,
  createEvent,
];
