/** Factories for the farm tests: cows in milk, medicines, actors, and a JSON sync over HTTP. */
import "../identity/_fixtures.ts"; // cheap argon2 before any hash is made
import type { Sql } from "@/services/platform/db.ts";
import type { Actor } from "@/services/farm/actor.ts";
import { createAnimal } from "@/services/farm/animals.ts";
import { addDays, farmDay } from "@/services/farm/dates.ts";
import { createMedicine, recordTreatment } from "@/services/farm/health.ts";
import { sessionTime } from "@/services/farm/milk.ts";
import type { Browser } from "../identity/_web.ts";

export const WORKER: Actor = { userId: null, roles: ["farm_worker"] };
export const VET: Actor = { userId: null, roles: ["vet"] };
export const MANAGER: Actor = { userId: null, roles: ["farm_manager"] };

let seq = 0;
/** A cow in milk that calved `calvedDaysAgo` days ago (default 40). */
export async function makeCow(
  sql: Sql,
  opts: { tag?: string; calvedDaysAgo?: number; name?: string } = {},
): Promise<number> {
  const today = farmDay();
  const a = await createAnimal(sql, {
    tag: opts.tag ?? `T-${++seq}-${crypto.randomUUID().slice(0, 4)}`,
    name: opts.name ?? null,
    breed: "Holstein Friesian × Sahiwal",
    sex: "female",
    birthDate: addDays(today, -1500),
    origin: "born",
    status: "lactating",
    lastCalvedOn: addDays(today, -(opts.calvedDaysAgo ?? 40)),
    parity: 2,
  }, null);
  return a.id;
}

export async function makeHeifer(sql: Sql, tag?: string): Promise<number> {
  const a = await createAnimal(sql, {
    tag: tag ?? `H-${++seq}-${crypto.randomUUID().slice(0, 4)}`,
    breed: "Sahiwal",
    sex: "female",
    birthDate: addDays(farmDay(), -500),
    origin: "born",
    status: "heifer",
  }, null);
  return a.id;
}

/** An antibiotic with the given milk withdrawal (hours). */
export function makeMedicine(
  sql: Sql,
  milkHours = 96,
  name = `Antibiotic ${++seq}`,
): Promise<number> {
  return createMedicine(sql, {
    name,
    kind: "antibiotic",
    unit: "tube",
    milkWithdrawalHours: milkHours,
    meatWithdrawalDays: 7,
  }, null);
}

/** An udder treatment by the vet an hour before `day`'s `session` milking (its withdrawal's start). */
export function treatBefore(
  sql: Sql,
  t: {
    animalId: number;
    medicineId: number;
    day: string;
    session: "am" | "pm";
    condition?: "mastitis";
  },
) {
  return recordTreatment(sql, {
    animalId: t.animalId,
    treatedAt: new Date(sessionTime(t.day, t.session).getTime() - 3600_000),
    medicineId: t.medicineId,
    dose: 1,
    route: "intramammary",
    condition: t.condition,
  }, VET);
}

export function count(sql: Sql, table: string, where = "true"): Promise<number> {
  return sql.unsafe(`select count(*)::int as n from ${table} where ${where}`).then((r) => r[0].n);
}

/** Sends entries to /farm/sync as the recorder does (fresh CSRF token from GET /farm/sync). */
export async function syncOverHttp(
  b: Browser,
  entries: unknown[],
): Promise<{ status: number; body: any }> {
  const tokenRes = await b.get("/farm/sync", { accept: "application/json" });
  const token = tokenRes.ok ? JSON.parse(b.html).csrf : "";
  const res = await b.t.fetch("/farm/sync", {
    method: "POST",
    body: JSON.stringify({ entries }),
    headers: {
      cookie: b.cookieHeader(),
      origin: "http://localhost",
      host: "localhost",
      accept: "application/json",
      "content-type": "application/json",
      "x-csrf-token": token,
    },
  });
  return { status: res.status, body: await res.json() };
}

export function milking(
  animalId: number,
  yieldKg: number,
  extra: Record<string, unknown> = {},
  recordedAt = new Date().toISOString(),
) {
  return {
    id: crypto.randomUUID(),
    kind: "milking",
    recordedAt,
    data: { animalId, date: addDays(farmDay(), -1), session: "am", yieldKg, ...extra },
  };
}
