/**
 * Demo farm: a herd of 255 animals on the farm today with about two years of plausible,
 * recent history (relative to `now`): calvings, heats, inseminations, pregnancy checks,
 * dry-offs, twice-daily milk records with monthly test days (fat, SNF, somatic cells),
 * colostrum and withdrawal milk kept out of the tank, treatments and vaccinations, feed given per
 * group, bulk-tank intakes, and animals sold or dead along the way.
 *
 * `seedFarm(sql, opts)` is called by the main seed; `deno run -A scripts/seed_farm.ts` runs it on
 * the configured database. It does nothing when the herd register already has animals. The
 * history is simulated in memory (deterministic for a given `seed`) and written with multi-row
 * `unnest` inserts in large batches inside one transaction, so it also suits embedded PGlite.
 */
import { prng } from "@/services/platform/prng.ts";
import type { Sql, Tx } from "@/services/platform/db.ts";
import { addDays, daysBetween, dayStart, farmDay } from "@/services/farm/dates.ts";

export interface SeedFarmOptions {
  /** "Now" for the history (default: the current time). */
  now?: Date;
  /** Days of history (default 730). */
  days?: number;
  /** PRNG seed (default 20250101). */
  seed?: number;
  /** Animals on the farm at the end (default 255). */
  herdSize?: number;
  log?: (msg: string) => void;
}

export interface SeedFarmResult {
  skipped: boolean;
  animals: number;
  inHerd: number;
  milkRecords: number;
  events: number;
  treatments: number;
  feedings: number;
  seconds: number;
}

/** Booleans travel as text in unnest arrays (postgres.js types a boolean array as one boolean). */
const boolText = (
  b: boolean | null | undefined,
) => (b === null || b === undefined ? null : b ? "t" : "f");

// ---- reference data -----------------------------------------------------------------------

const GROUPS = [
  { code: "CALF", name: "Calves", kind: "calves", pen: "Calf shed" },
  { code: "HEIF", name: "Heifers", kind: "heifers", pen: "Shed C" },
  { code: "HIGH", name: "Milking — early lactation", kind: "lactating", pen: "Shed A" },
  { code: "LOW", name: "Milking — late lactation", kind: "lactating", pen: "Shed B" },
  { code: "DRY", name: "Dry cows", kind: "dry", pen: "Shed D" },
  { code: "HOSP", name: "Hospital pen", kind: "hospital", pen: "Sick bay" },
] as const;
type GroupCode = typeof GROUPS[number]["code"];
const GROUP_ID: Record<GroupCode, number> = { CALF: 1, HEIF: 2, HIGH: 3, LOW: 4, DRY: 5, HOSP: 6 };

const BULLS = [
  { code: "BRAC-HF-1123", name: "Titan", breed: "Holstein Friesian", stud: "BRAC AI" },
  { code: "BRAC-HF-1187", name: "Hercules", breed: "Holstein Friesian", stud: "BRAC AI" },
  {
    code: "DLS-SH-0207",
    name: "Sultan",
    breed: "Sahiwal",
    stud: "DLS Central Cattle Breeding Station, Savar",
  },
  {
    code: "DLS-HFS-0311",
    name: "Badshah",
    breed: "Holstein Friesian × Sahiwal",
    stud: "DLS Central Cattle Breeding Station, Savar",
  },
  { code: "ACI-JY-0042", name: "Jewel", breed: "Jersey", stud: "ACI Animal Genetics" },
  { code: "LAL-RC-0015", name: "Lal Bahadur", breed: "Red Chittagong", stud: "BLRI" },
];

// milk withdrawal (hours), meat withdrawal (days)
const MEDICINES = [
  { name: "Cloxacillin intramammary", kind: "antibiotic", unit: "tube", milk: 96, meat: 7 },
  { name: "Oxytetracycline LA 20%", kind: "antibiotic", unit: "ml", milk: 168, meat: 28 },
  { name: "Meloxicam 2%", kind: "anti_inflammatory", unit: "ml", milk: 120, meat: 15 },
  { name: "Ceftiofur", kind: "antibiotic", unit: "ml", milk: 0, meat: 4 },
  { name: "Calcium borogluconate 40%", kind: "other", unit: "ml", milk: 0, meat: 0 },
  { name: "Albendazole 10%", kind: "antiparasitic", unit: "ml", milk: 60, meat: 14 },
  { name: "FMD vaccine (trivalent)", kind: "vaccine", unit: "dose", milk: 0, meat: 0 },
  { name: "LSD vaccine", kind: "vaccine", unit: "dose", milk: 0, meat: 0 },
  { name: "Anthrax spore vaccine", kind: "vaccine", unit: "dose", milk: 0, meat: 42 },
  { name: "Vitamin AD3E", kind: "vitamin", unit: "ml", milk: 0, meat: 0 },
] as const;
const MED_ID = Object.fromEntries(MEDICINES.map((m, i) => [m.name, i + 1])) as Record<
  string,
  number
>;

const SCHEDULES = [
  {
    name: "FMD every 6 months",
    med: "FMD vaccine (trivalent)",
    interval: 180,
    firstAge: 90,
    statuses: ["calf", "heifer", "lactating", "dry"],
    offsets: [20, 200, 380, 560],
  },
  {
    name: "Lumpy skin disease yearly",
    med: "LSD vaccine",
    interval: 365,
    firstAge: 120,
    statuses: ["calf", "heifer", "lactating", "dry"],
    offsets: [45, 410],
  },
  {
    name: "Anthrax yearly",
    med: "Anthrax spore vaccine",
    interval: 365,
    firstAge: 180,
    statuses: ["heifer", "lactating", "dry"],
    offsets: [75, 440],
  },
  {
    name: "Deworming every 4 months (young stock)",
    med: "Albendazole 10%",
    interval: 120,
    firstAge: 60,
    statuses: ["calf", "heifer"],
    offsets: [10, 130, 250, 370, 490, 610],
  },
];

// price per kg in poisha today; the history starts ~12 % cheaper.
const FEEDS = [
  { name: "Napier grass (green)", kind: "forage", dm: 20, price: 250 },
  { name: "Maize silage", kind: "forage", dm: 32, price: 700 },
  { name: "Rice straw", kind: "forage", dm: 90, price: 700 },
  { name: "Dairy concentrate mix", kind: "concentrate", dm: 89, price: 3800 },
  { name: "Wheat bran", kind: "concentrate", dm: 88, price: 4200 },
  { name: "Mustard oil cake", kind: "concentrate", dm: 90, price: 5500 },
  { name: "Mineral mixture", kind: "mineral", dm: 98, price: 12000 },
  { name: "Calf starter", kind: "concentrate", dm: 88, price: 7000 },
] as const;
const FEED_ID = Object.fromEntries(FEEDS.map((f, i) => [f.name, i + 1])) as Record<string, number>;
const RATIONS: Record<GroupCode, [string, number][]> = {
  HIGH: [
    ["Napier grass (green)", 25],
    ["Maize silage", 10],
    ["Rice straw", 3],
    ["Dairy concentrate mix", 5],
    ["Mustard oil cake", 0.75],
    ["Mineral mixture", 0.1],
  ],
  LOW: [["Napier grass (green)", 22], ["Maize silage", 8], ["Rice straw", 4], [
    "Dairy concentrate mix",
    3,
  ], ["Mineral mixture", 0.08]],
  DRY: [["Napier grass (green)", 18], ["Rice straw", 5], ["Wheat bran", 1.5], [
    "Mineral mixture",
    0.08,
  ]],
  HEIF: [["Napier grass (green)", 15], ["Rice straw", 3], ["Dairy concentrate mix", 1], [
    "Mineral mixture",
    0.05,
  ]],
  CALF: [["Calf starter", 1], ["Napier grass (green)", 3]],
  HOSP: [["Napier grass (green)", 20], ["Rice straw", 4], ["Dairy concentrate mix", 3]],
};

const COW_NAMES = [
  "Lali",
  "Moyna",
  "Shyamoli",
  "Dhola",
  "Kajol",
  "Rupa",
  "Sonali",
  "Chandni",
  "Bokul",
  "Parul",
  "Shapla",
  "Jhinuk",
  "Tuni",
  "Mishti",
  "Rani",
  "Pakhi",
  "Komola",
  "Shefali",
  "Bijli",
  "Chumki",
  "Joba",
  "Hena",
  "Beli",
  "Mukta",
  "Nupur",
  "Labonno",
  "Rongila",
  "Putul",
  "Sathi",
  "Kusum",
  "Champa",
  "Dolna",
  "Tara",
  "Jhumur",
  "Akhi",
  "Bristi",
  "Megh",
  "Nodi",
  "Shonkho",
  "Padma",
];
const BREEDS: [string, number, number][] = [
  // breed, share, yield factor
  ["Holstein Friesian × Sahiwal", 0.55, 1.0],
  ["Holstein Friesian", 0.25, 1.25],
  ["Sahiwal", 0.1, 0.75],
  ["Jersey × Local", 0.1, 0.85],
];
const TECHNICIANS = ["Abdul Kader (DLS)", "Shamim Reza (BRAC AI)", "Jamal Mia"];
const VET = "Dr. Mahmuda Khatun";

// ---- the simulated herd -------------------------------------------------------------------

interface Lac {
  id: number;
  parity: number;
  calvedOn: string;
  driedOffOn: string | null;
  endedOn: string | null;
  bullId: number | null;
}

interface Sim {
  id: number;
  tag: string;
  rfid: string | null;
  name: string | null;
  breed: string;
  yieldFactor: number;
  sex: "female" | "male";
  birth: string;
  damId: number | null;
  sireBullId: number | null;
  origin: "born" | "purchased";
  arrival: string | null;
  exit: { date: string; status: "sold" | "dead"; reason: string } | null;
  dnbOn: string | null;
  lacs: Lac[];
  /** Chronic high somatic cell count. */
  sccBase: number;
  mastitis: { from: string; to: string }[];
}

interface EventRow {
  id: number;
  animalId: number;
  kind: string;
  on: string;
  heatSource?: string;
  serviceType?: string;
  bullId?: number;
  straw?: string;
  technician?: string;
  pregnant?: boolean;
  method?: string;
  inseminationId?: number;
  lactationId?: number;
  ease?: number;
}

interface TreatmentRow {
  animalId: number;
  at: number;
  medicine: string;
  dose: number;
  route: string;
  batch: string;
  vet: string | null;
  condition: string | null;
  scheduleId: number | null;
}

export async function seedFarm(sql: Sql, opts: SeedFarmOptions = {}): Promise<SeedFarmResult> {
  const t0 = performance.now();
  const log = opts.log ?? (() => {});
  const [{ n }] = await sql`select count(*)::int as n from animals`;
  if (n > 0) {
    return {
      skipped: true,
      animals: n,
      inHerd: 0,
      milkRecords: 0,
      events: 0,
      treatments: 0,
      feedings: 0,
      seconds: 0,
    };
  }
  const now = opts.now ?? new Date();
  const nowMs = now.getTime();
  const today = farmDay(now);
  const days = opts.days ?? 730;
  const start = addDays(today, -days);
  const herdSize = opts.herdSize ?? 255;
  const rnd = prng(opts.seed ?? 20250101);
  const uni = (a: number, b: number) => a + (b - a) * rnd();
  const int = (a: number, b: number) => Math.floor(uni(a, b + 1));
  const gauss = (m: number, s: number) => {
    const u = 1 - rnd(), v = rnd();
    return m + s * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
  const chance = (p: number) => rnd() < p;

  const animals: Sim[] = [];
  const events: EventRow[] = [];
  const treatments: TreatmentRow[] = [];
  let lacId = 0, eventId = 0, tagNo = 1000;
  const newTag = () => `SD-${++tagNo}`;
  const rfidOf = (id: number) => `050${String(1_000_000_000 + id * 7919).padStart(12, "0")}`;

  function breed(): [string, number] {
    let x = rnd();
    for (const [b, share, f] of BREEDS) {
      if ((x -= share) <= 0) return [b, f];
    }
    return [BREEDS[0][0], BREEDS[0][2]];
  }

  function add(
    a: Omit<Sim, "id" | "tag" | "rfid" | "lacs" | "mastitis" | "dnbOn" | "exit"> & { tag?: string },
  ): Sim {
    const id = animals.length + 1;
    const sim: Sim = {
      ...a,
      id,
      tag: a.tag ?? newTag(),
      rfid: chance(0.8) ? rfidOf(id) : null,
      lacs: [],
      mastitis: [],
      dnbOn: null,
      exit: null,
    };
    animals.push(sim);
    return sim;
  }

  // Initial herd: cows with earlier lactations, heifers, calves.
  for (let i = 0; i < 128; i++) {
    const [b, f] = breed();
    const parity = pick([1, 1, 1, 2, 2, 2, 3, 3, 4, 5, 6]);
    const lastCalving = addDays(start, -int(5, 380));
    const purchased = chance(0.2);
    const cow = add({
      name: COW_NAMES[i % COW_NAMES.length] +
        (i >= COW_NAMES.length ? ` ${Math.floor(i / COW_NAMES.length) + 1}` : ""),
      breed: b,
      yieldFactor: f * Math.max(0.6, gauss(1, 0.12)),
      sex: "female",
      birth: addDays(lastCalving, -((parity - 1) * 395 + int(700, 800))),
      damId: null,
      sireBullId: chance(0.6) ? int(1, BULLS.length) : null,
      origin: purchased ? "purchased" : "born",
      arrival: purchased ? addDays(lastCalving, -int(10, 200)) : null,
      sccBase: chance(0.12) ? uni(220_000, 600_000) : Math.exp(gauss(Math.log(65_000), 0.5)),
    });
    // Earlier lactations (no events: before the recorded history).
    for (let p = 1; p < parity; p++) {
      const c = addDays(lastCalving, -(parity - p) * int(370, 420));
      cow.lacs.push({
        id: ++lacId,
        parity: p,
        calvedOn: c,
        driedOffOn: addDays(c, int(290, 330)),
        endedOn: null,
        bullId: null,
      });
    }
    cow.lacs.push({
      id: ++lacId,
      parity,
      calvedOn: lastCalving,
      driedOffOn: null,
      endedOn: null,
      bullId: int(1, BULLS.length),
    });
  }
  const initialCows = animals.slice();
  for (let i = 0; i < 45; i++) {
    const [b, f] = breed();
    const dam = pick(initialCows);
    add({
      name: null,
      breed: b,
      yieldFactor: f * Math.max(0.6, gauss(1, 0.12)),
      sex: "female",
      birth: addDays(start, -int(200, 620)),
      damId: dam.id,
      sireBullId: int(1, BULLS.length),
      origin: "born",
      arrival: null,
      sccBase: Math.exp(gauss(Math.log(65_000), 0.5)),
    });
  }
  for (let i = 0; i < 36; i++) {
    const [b, f] = breed();
    const dam = pick(initialCows);
    const male = chance(0.35);
    add({
      name: null,
      breed: b,
      yieldFactor: f * Math.max(0.6, gauss(1, 0.12)),
      sex: male ? "male" : "female",
      birth: addDays(start, -int(5, 190)),
      damId: dam.id,
      sireBullId: int(1, BULLS.length),
      origin: "born",
      arrival: null,
      sccBase: Math.exp(gauss(Math.log(65_000), 0.5)),
    });
  }

  const VWP = 50, CHECK = 35, GESTATION = 280, DRY = 60;

  /** Simulates one female's breeding life from `from` to today (queue: calves are added). */
  function simulate(a: Sim) {
    if (a.sex === "male") {
      // Bull calves are sold young.
      const sale = addDays(a.birth, int(25, 110));
      if (sale <= today && sale >= start) a.exit = { date: sale, status: "sold", reason: "sale" };
      else if (sale < start) a.exit = { date: sale, status: "sold", reason: "sale" };
      return;
    }
    // A cow's own risk of leaving the herd (culling ~20 %/year, a little death).
    const hazard = () => {
      const parity = a.lacs.length;
      return parity === 0 ? 0.00012 : parity >= 5 ? 0.0011 : 0.0006;
    };
    let cursor = a.birth > start ? a.birth : start;
    const lastLac = a.lacs[a.lacs.length - 1];
    let breedFrom = lastLac ? addDays(lastLac.calvedOn, VWP) : addDays(a.birth, int(430, 520));
    let services = 0;
    // Cycles run from the last calving (or puberty) even before the window; only what happens
    // inside the window is written as events.
    let heat = lastLac ? addDays(lastLac.calvedOn, int(20, 40)) : addDays(a.birth, int(330, 380));
    // Leaving the herd: drawn per 30-day step from the cursor on (never twice for a stretch).
    const exitCheck = (until: string): boolean => {
      for (let d = cursor; d < until; d = addDays(d, 30)) {
        if (chance(hazard() * Math.min(30, daysBetween(d, until)))) {
          const date = addDays(d, int(0, Math.min(29, daysBetween(d, until))));
          if (date > today || date < start) continue;
          const dead = chance(0.12);
          a.exit = {
            date,
            status: dead ? "dead" : "sold",
            reason: dead
              ? pick(["disease", "injury", "calving"])
              : pick(["low_yield", "mastitis", "lameness", "infertility", "old_age", "sale"]),
          };
          return true;
        }
      }
      if (until > cursor) cursor = until;
      return false;
    };
    // The pregnancy check CHECK + 0…`spread` days after a service, written once it has happened:
    // a pregnancy is often confirmed by ultrasound, an open cow is found by palpation.
    const pregnancyCheck = (heat: string, spread: number, aiId: number, pregnant: boolean) => {
      const check = addDays(heat, CHECK + int(0, spread));
      if (check > today || heat < start) return;
      events.push({
        id: ++eventId,
        animalId: a.id,
        kind: "pregnancy_check",
        on: check,
        pregnant,
        method: pregnant && chance(0.6) ? "ultrasound" : "palpation",
        inseminationId: aiId,
      });
    };
    for (let guard = 0; guard < 100 && heat <= today; guard++) {
      if (exitCheck(heat)) return finish();
      const eligible = heat >= breedFrom && !a.dnbOn;
      const detected = chance(0.62);
      if (!detected) {
        heat = addDays(heat, int(19, 23));
        continue;
      }
      if (heat >= start) {
        events.push({
          id: ++eventId,
          animalId: a.id,
          kind: "heat",
          on: heat,
          heatSource: chance(0.3) ? "collar" : "seen",
        });
      }
      if (!eligible) {
        heat = addDays(heat, int(19, 23));
        continue;
      }
      services++;
      const bull = a.lacs.length === 0 && chance(0.5) ? pick([3, 4, 6]) : int(1, BULLS.length);
      const aiId = ++eventId;
      if (heat >= start) {
        events.push({
          id: aiId,
          animalId: a.id,
          kind: "insemination",
          on: heat,
          serviceType: "ai",
          bullId: bull,
          straw: `${BULLS[bull - 1].code}-${int(100, 999)}`,
          technician: pick(TECHNICIANS),
        });
      }
      const conceived = chance(a.lacs.length === 0 ? 0.55 : 0.4);
      if (conceived) {
        pregnancyCheck(heat, 12, aiId, true);
        const calving = addDays(heat, GESTATION + int(-6, 6));
        const cur = a.lacs[a.lacs.length - 1];
        if (cur && !cur.driedOffOn) {
          const dry = addDays(calving, -(DRY + int(-5, 8)));
          if (exitCheck(dry)) return finish();
          if (dry <= today) {
            cur.driedOffOn = dry > cur.calvedOn ? dry : addDays(cur.calvedOn, 250);
            if (cur.driedOffOn >= start) {
              events.push({ id: ++eventId, animalId: a.id, kind: "dry_off", on: cur.driedOffOn });
            }
          } else break;
        }
        if (exitCheck(calving)) return finish();
        if (calving > today) break;
        const lac: Lac = {
          id: ++lacId,
          parity: a.lacs.length + 1,
          calvedOn: calving,
          driedOffOn: null,
          endedOn: null,
          bullId: bull,
        };
        a.lacs.push(lac);
        events.push({
          id: ++eventId,
          animalId: a.id,
          kind: "calving",
          on: calving,
          lactationId: lac.id,
          ease: pick([1, 1, 1, 2, 2, 3]),
        });
        // The calf, registered at birth.
        const male = chance(0.5);
        const [b, f] = rnd() < 0.7 ? [a.breed, a.yieldFactor] : breed();
        const calf = add({
          name: null,
          breed: b,
          yieldFactor: f * Math.max(0.6, gauss(1, 0.1)),
          sex: male ? "male" : "female",
          birth: calving,
          damId: a.id,
          sireBullId: bull,
          origin: "born",
          arrival: null,
          sccBase: Math.exp(gauss(Math.log(65_000), 0.5)),
        });
        if (!male && chance(0.04)) {
          const d = addDays(calving, int(2, 40));
          if (d <= today) calf.exit = { date: d, status: "dead", reason: "disease" };
        }
        // Calving problems treated (milk fever, metritis).
        if (chance(0.04)) {
          treatments.push(
            treat(a, calving, 8, "Calcium borogluconate 40%", 400, "iv", "milk_fever"),
          );
        }
        if (chance(0.07)) {
          for (let k = 0; k < 3; k++) {
            treatments.push(
              treat(
                a,
                addDays(calving, 6 + k),
                9,
                "Oxytetracycline LA 20%",
                20,
                "im",
                k === 0 ? "metritis" : null,
              ),
            );
          }
        }
        breedFrom = addDays(calving, VWP);
        services = 0;
        heat = addDays(calving, int(22, 45));
        continue;
      }
      if (services >= 6 && !a.dnbOn && a.lacs.length > 0) {
        a.dnbOn = addDays(heat, int(1, 10));
        if (a.dnbOn <= today && a.dnbOn >= start) {
          events.push({ id: ++eventId, animalId: a.id, kind: "do_not_breed", on: a.dnbOn });
        }
      }
      // Not pregnant: either seen again in heat (~21 d) or found open at the check.
      if (!chance(0.62)) {
        pregnancyCheck(heat, 10, aiId, false);
        heat = addDays(heat, 42 + int(-2, 2));
      } else heat = addDays(heat, int(19, 23));
    }
    exitCheck(today);
    finish();

    function finish() {
      if (a.exit) {
        const cur = a.lacs[a.lacs.length - 1];
        if (cur && !cur.driedOffOn && cur.calvedOn <= a.exit.date) cur.endedOn = a.exit.date;
      } else if (a.dnbOn && a.lacs.length && chance(0.8)) {
        // Do-not-breed cows are culled once their yield drops.
        const cur = a.lacs[a.lacs.length - 1];
        const d = addDays(cur.calvedOn, int(250, 320));
        if (d <= today && d > a.dnbOn) {
          a.exit = { date: d, status: "sold", reason: "infertility" };
          if (!cur.driedOffOn) cur.endedOn = d;
        }
      }
    }
  }

  function treat(
    a: Sim,
    day: string,
    hour: number,
    medicine: string,
    dose: number,
    route: string,
    condition: string | null,
  ): TreatmentRow {
    return {
      animalId: a.id,
      at: dayStart(day).getTime() + hour * 3600_000 + int(0, 50) * 60_000,
      medicine,
      dose,
      route,
      batch: `${medicine.slice(0, 3).toUpperCase()}${day.slice(2, 4)}${
        String(int(1, 99)).padStart(2, "0")
      }`,
      vet: VET,
      condition,
      scheduleId: null,
    };
  }

  for (let i = 0; i < animals.length; i++) simulate(animals[i]);

  // Bring the herd on the farm today to exactly `herdSize`: sell surplus young stock (oldest
  // heifers without a service in the last 30 days first), or buy in heifers.
  const present = () => animals.filter((a) => !a.exit);
  const lastEvent = new Map<number, string>();
  for (const e of events) {
    if ((lastEvent.get(e.animalId) ?? "") < e.on) lastEvent.set(e.animalId, e.on);
  }
  let surplus = present().length - herdSize;
  if (surplus > 0) {
    const young = present().filter((a) => a.lacs.length === 0 && a.sex === "female")
      .sort((x, y) => x.birth.localeCompare(y.birth));
    for (const a of young) {
      if (surplus <= 0) break;
      const last = lastEvent.get(a.id) ?? a.birth;
      const from = addDays(last > addDays(today, -90) ? last : addDays(today, -90), 1);
      if (from > addDays(today, -1)) continue;
      a.exit = {
        date: addDays(from, int(0, daysBetween(from, addDays(today, -1)))),
        status: "sold",
        reason: "sale",
      };
      surplus--;
    }
  }
  while (present().length < herdSize) {
    const [b, f] = breed();
    add({
      name: null,
      breed: b,
      yieldFactor: f,
      sex: "female",
      birth: addDays(today, -int(380, 560)),
      damId: null,
      sireBullId: null,
      origin: "purchased",
      arrival: addDays(today, -int(5, 120)),
      sccBase: 100_000,
    });
  }

  // Mastitis episodes in milk (~25 % of cows a year), three recent cases so that withdrawals run
  // today, and vaccinations on herd days.
  const inMilkOn = (a: Sim, d: string) => {
    for (let i = a.lacs.length - 1; i >= 0; i--) {
      const l = a.lacs[i];
      if (l.calvedOn <= d) {
        const end = l.driedOffOn ?? l.endedOn ?? a.exit?.date ?? null;
        return end === null || d < end ? l : null;
      }
    }
    return null;
  };
  for (const a of animals) {
    if (!a.lacs.length) continue;
    for (let d = start; d <= today; d = addDays(d, 15)) {
      if (a.exit && d >= a.exit.date) break;
      if (inMilkOn(a, d) && chance(0.011)) {
        const onset = addDays(d, int(0, 14));
        if (onset > addDays(today, -3) || !inMilkOn(a, onset)) continue;
        a.mastitis.push({ from: onset, to: addDays(onset, 10) });
        for (let k = 0; k < 3; k++) {
          treatments.push(
            treat(
              a,
              addDays(onset, k),
              7,
              "Cloxacillin intramammary",
              1,
              "intramammary",
              k === 0 ? "mastitis" : null,
            ),
          );
        }
        if (chance(0.5)) treatments.push(treat(a, onset, 7, "Meloxicam 2%", 15, "im", null));
      }
    }
  }
  const milking = present().filter((a) => inMilkOn(a, today));
  for (const a of milking.slice(3, 6)) {
    const onset = addDays(today, -int(0, 2));
    a.mastitis.push({ from: onset, to: addDays(onset, 10) });
    treatments.push(treat(a, onset, 7, "Cloxacillin intramammary", 1, "intramammary", "mastitis"));
  }
  SCHEDULES.forEach((s, si) => {
    for (const off of s.offsets) {
      const day = addDays(start, off);
      if (day > today) continue;
      for (const a of animals) {
        if (a.birth > day || (a.exit && a.exit.date <= day) || (a.arrival && a.arrival > day)) {
          continue;
        }
        if (daysBetween(a.birth, day) < s.firstAge) continue;
        const status = a.lacs.some((l) => l.calvedOn <= day)
          ? (inMilkOn(a, day) ? "lactating" : "dry")
          : daysBetween(a.birth, day) < 180
          ? "calf"
          : "heifer";
        if (!s.statuses.includes(status)) continue;
        const t = treat(
          a,
          day,
          9,
          s.med,
          s.med.startsWith("Albendazole") ? 10 : 1,
          s.med.startsWith("Albendazole") ? "oral" : "sc",
          null,
        );
        t.scheduleId = si + 1;
        treatments.push(t);
      }
    }
  });
  const medicineOf = new Map<string, typeof MEDICINES[number]>(MEDICINES.map((m) => [m.name, m]));
  // Milk withdrawal windows per animal (start ms, end ms).
  const withdrawal = new Map<number, [number, number][]>();
  for (const t of treatments) {
    const hours = medicineOf.get(t.medicine)!.milk;
    if (!hours) continue;
    (withdrawal.get(t.animalId) ?? withdrawal.set(t.animalId, []).get(t.animalId)!).push([
      t.at,
      t.at + hours * 3600_000,
    ]);
  }
  const underWithdrawal = (id: number, at: number) =>
    (withdrawal.get(id) ?? []).some(([s, e]) => at >= s && at < e);

  // ---- milk records --------------------------------------------------------------------------
  const M = {
    animal: [] as number[],
    day: [] as string[],
    session: [] as string[],
    at: [] as number[],
    kg: [] as number[],
    fat: [] as (number | null)[],
    snf: [] as (number | null)[],
    scc: [] as (number | null)[],
    cond: [] as (number | null)[],
    dur: [] as (number | null)[],
    discarded: [] as boolean[],
    reason: [] as (string | null)[],
    toTank: [] as boolean[],
    source: [] as string[],
    device: [] as (string | null)[],
  };
  const tankKg = new Map<string, number>();
  let alertRaised = false;
  const alerts: {
    animalId: number;
    day: string;
    session: string;
    kg: number;
    until: number;
    tag: string;
  }[] = [];
  for (const a of animals) {
    for (const lac of a.lacs) {
      const end = lac.driedOffOn ?? lac.endedOn ?? a.exit?.date ?? addDays(today, 1);
      const from = lac.calvedOn > start ? lac.calvedOn : start;
      const parityF = lac.parity === 1 ? 0.82 : lac.parity === 2 ? 0.95 : 1;
      for (let d = from; d < end && d <= today; d = addDays(d, 1)) {
        const dim = daysBetween(lac.calvedOn, d) + 1;
        // Wood's lactation curve y = a·t^b·e^(−ct), peak ≈ 12.5 kg at ~50 DIM for a crossbred.
        let y = 6.9 * Math.pow(dim, 0.2) * Math.exp(-0.004 * dim) * a.yieldFactor * parityF;
        const sick = a.mastitis.some((m) => d >= m.from && d <= m.to);
        if (sick) y *= 0.8;
        const test = Number(d.slice(8, 10)) === 10 && dim >= 5;
        for (const [session, share, hour] of [["am", 0.55, 5.5], ["pm", 0.45, 16.5]] as const) {
          const at = dayStart(d).getTime() + hour * 3600_000 + int(0, 90) * 60_000;
          if (at > nowMs) continue;
          const kg = Math.max(0.3, Math.round(y * share * gauss(1, 0.07) * 100) / 100);
          const colostrum = dim <= 4;
          const withdrawn = underWithdrawal(a.id, at);
          // One recent slip: a treated cow milked into the tank (the demo's open alert).
          const slip = withdrawn && !alertRaised && d >= addDays(today, -2) && session === "am";
          if (slip) alertRaised = true;
          M.animal.push(a.id);
          M.day.push(d);
          M.session.push(session);
          M.at.push(at);
          M.kg.push(kg);
          const scc = test
            ? Math.round(
              (sick ? a.sccBase * uni(5, 12) : a.sccBase * Math.exp(gauss(0, 0.3))) / 1000,
            ) * 1000
            : null;
          M.fat.push(
            test ? Math.round(gauss(4.3 - 0.25 * (a.yieldFactor - 1), 0.3) * 100) / 100 : null,
          );
          M.snf.push(test ? Math.round(gauss(8.5, 0.2) * 100) / 100 : null);
          M.scc.push(scc);
          M.cond.push(Math.round((sick ? gauss(7.2, 0.5) : gauss(5.2, 0.3)) * 100) / 100);
          M.dur.push(Math.round(gauss(360, 60)));
          const discarded = colostrum || withdrawn;
          M.discarded.push(discarded);
          M.reason.push(withdrawn ? "withdrawal" : colostrum ? "colostrum" : null);
          M.toTank.push(!discarded || slip);
          M.source.push("meter");
          M.device.push(`mm-${String((a.id % 22) + 1).padStart(2, "0")}`);
          if (!discarded) tankKg.set(`${d}|${session}`, (tankKg.get(`${d}|${session}`) ?? 0) + kg);
          if (slip) {
            const until = (withdrawal.get(a.id) ?? []).filter(([s, e]) => at >= s && at < e).map((
              [, e],
            ) => e)
              .reduce((x, y2) => Math.max(x, y2), 0);
            alerts.push({ animalId: a.id, day: d, session, kg, until, tag: a.tag });
          }
        }
      }
    }
  }

  // ---- feed per group and day ----------------------------------------------------------------
  const groupOn = (a: Sim, d: string): GroupCode | null => {
    if (a.birth > d || (a.exit && a.exit.date <= d) || (a.arrival && a.arrival > d)) return null;
    if (a.mastitis.some((m) => d >= m.from && d <= addDays(m.from, 3))) return "HOSP";
    const lac = inMilkOn(a, d);
    if (lac) return daysBetween(lac.calvedOn, d) < 150 ? "HIGH" : "LOW";
    if (a.lacs.some((l) => l.calvedOn <= d)) return "DRY";
    return daysBetween(a.birth, d) < 180 ? "CALF" : "HEIF";
  };
  const F = {
    day: [] as string[],
    group: [] as number[],
    item: [] as number[],
    qty: [] as number[],
    cost: [] as number[],
  };
  for (let d = start, i = 0; d <= today; d = addDays(d, 1), i++) {
    const heads: Partial<Record<GroupCode, number>> = {};
    for (const a of animals) {
      const g = groupOn(a, d);
      if (g) heads[g] = (heads[g] ?? 0) + 1;
    }
    const priceF = 0.88 + 0.12 * (i / days);
    for (const [g, n] of Object.entries(heads) as [GroupCode, number][]) {
      for (const [item, kg] of RATIONS[g]) {
        const qty = Math.round(kg * n * gauss(1, 0.03) * 10) / 10;
        const price = FEEDS[FEED_ID[item] - 1].price * priceF;
        F.day.push(d);
        F.group.push(GROUP_ID[g]);
        F.item.push(FEED_ID[item]);
        F.qty.push(qty);
        F.cost.push(Math.round(qty * price));
      }
    }
  }

  // ---- write everything ----------------------------------------------------------------------
  const finalStatus = (a: Sim): string => {
    if (a.exit) return a.exit.status;
    if (a.sex === "male") return "calf";
    if (!a.lacs.length) return daysBetween(a.birth, today) < 180 ? "calf" : "heifer";
    return inMilkOn(a, today) ? "lactating" : "dry";
  };
  const finalGroup = (a: Sim): number | null => {
    if (a.exit) return null;
    const g = groupOn(a, today);
    return g ? GROUP_ID[g] : null;
  };
  log(
    `farm seed: simulated ${animals.length} animals, ${M.animal.length} milkings, ${events.length} events`,
  );

  await sql.begin(async (tx: Tx) => {
    for (const g of GROUPS) {
      await tx`insert into farm_groups (id, code, name, kind, pen) values (${
        GROUP_ID[g.code]
      }, ${g.code}, ${g.name}, ${g.kind}, ${g.pen})`;
    }
    for (const [i, b] of BULLS.entries()) {
      await tx`insert into bulls (id, code, name, breed, stud) values (${
        i + 1
      }, ${b.code}, ${b.name}, ${b.breed}, ${b.stud})`;
    }
    for (const [i, m] of MEDICINES.entries()) {
      await tx`insert into medicines (id, name, kind, unit, milk_withdrawal_hours, meat_withdrawal_days)
        values (${i + 1}, ${m.name}, ${m.kind}, ${m.unit}, ${m.milk}, ${m.meat})`;
    }
    for (const [i, s] of SCHEDULES.entries()) {
      await tx`insert into vaccination_schedules (id, name, medicine_id, interval_days, first_age_days, statuses)
        values (${i + 1}, ${s.name}, ${
        MED_ID[s.med]
      }, ${s.interval}, ${s.firstAge}, ${s.statuses}::text[])`;
    }
    for (const [i, f] of FEEDS.entries()) {
      await tx`insert into feed_items (id, name, kind, dry_matter_pct, cost_per_kg_minor)
        values (${i + 1}, ${f.name}, ${f.kind}, ${f.dm}, ${f.price})`;
    }
    let rationId = 0;
    for (const [g, items] of Object.entries(RATIONS) as [GroupCode, [string, number][]][]) {
      rationId++;
      await tx`insert into rations (id, group_id, name, valid_from) values (${rationId}, ${
        GROUP_ID[g]
      }, ${`${GROUPS.find((x) => x.code === g)!.name} ration`}, ${start})`;
      await tx`insert into ration_items (ration_id, feed_item_id, kg_per_head)
        select ${rationId}, f, k from unnest(${items.map(([n]) => FEED_ID[n])}::int[], ${
        items.map(([, k]) => k)
      }::numeric[]) as u(f, k)`;
    }

    await tx`
      insert into animals (id, tag, rfid, name, breed, sex, birth_date, dam_id, sire_bull_id, origin,
        arrival_date, group_id, status, exit_date, exit_reason, do_not_breed_on)
      select * from unnest(
        ${animals.map((a) => a.id)}::int[], ${animals.map((a) => a.tag)}::text[],
        ${animals.map((a) => a.rfid)}::text[], ${animals.map((a) => a.name)}::text[],
        ${animals.map((a) => a.breed)}::text[], ${animals.map((a) => a.sex)}::text[],
        ${animals.map((a) => a.birth)}::date[], ${animals.map((a) => a.damId)}::int[],
        ${animals.map((a) => a.sireBullId)}::int[], ${animals.map((a) => a.origin)}::text[],
        ${animals.map((a) => a.arrival)}::date[], ${animals.map(finalGroup)}::int[],
        ${animals.map(finalStatus)}::text[], ${animals.map((a) => a.exit?.date ?? null)}::date[],
        ${animals.map((a) => a.exit?.reason ?? null)}::text[], ${
      animals.map((a) => a.dnbOn && a.dnbOn <= today ? a.dnbOn : null)
    }::date[])`;
    const lacs = animals.flatMap((a) => a.lacs.map((l) => ({ a, l })));
    await tx`
      insert into lactations (id, animal_id, parity, calved_on, dried_off_on, ended_on)
      select * from unnest(${lacs.map((x) => x.l.id)}::int[], ${lacs.map((x) => x.a.id)}::int[],
        ${lacs.map((x) => x.l.parity)}::int[], ${lacs.map((x) => x.l.calvedOn)}::date[],
        ${lacs.map((x) => x.l.driedOffOn)}::date[], ${lacs.map((x) => x.l.endedOn)}::date[])`;
    const ev = events.filter((e) => {
      const a = animals[e.animalId - 1];
      return !a.exit || e.on <= a.exit.date;
    }).sort((x, y) => x.id - y.id);
    const known = new Set(ev.map((e) => e.id));
    await tx`
      insert into repro_events (id, animal_id, kind, event_on, heat_source, service_type, bull_id,
        straw_code, technician, pregnant, check_method, insemination_id, lactation_id, calving_ease)
      select * from unnest(${ev.map((e) => e.id)}::bigint[], ${ev.map((e) => e.animalId)}::int[],
        ${ev.map((e) => e.kind)}::text[], ${ev.map((e) => e.on)}::date[],
        ${ev.map((e) => e.heatSource ?? null)}::text[], ${
      ev.map((e) => e.serviceType ?? null)
    }::text[],
        ${ev.map((e) => e.bullId ?? null)}::int[], ${ev.map((e) => e.straw ?? null)}::text[],
        ${ev.map((e) => e.technician ?? null)}::text[], ${
      ev.map((e) => boolText(e.pregnant))
    }::text[]::boolean[],
        ${ev.map((e) => e.method ?? null)}::text[],
        ${
      ev.map((e) => e.inseminationId && known.has(e.inseminationId) ? e.inseminationId : null)
    }::bigint[],
        ${ev.map((e) => e.lactationId ?? null)}::int[], ${
      ev.map((e) => e.ease ?? null)
    }::smallint[])`;

    // Treatments (with their diagnoses) — only while the animal was on the farm.
    const tr = treatments.filter((t) => {
      const a = animals[t.animalId - 1];
      return (!a.exit || t.at < dayStart(a.exit.date).getTime()) && t.at <= nowMs;
    });
    const diag = tr.map((t, i) => ({ t, i })).filter((x) => x.t.condition);
    await tx`
      insert into diagnoses (id, animal_id, diagnosed_on, condition, recorded_by)
      select * from unnest(${diag.map((_, k) => k + 1)}::bigint[], ${
      diag.map((x) => x.t.animalId)
    }::int[],
        ${diag.map((x) => farmDay(x.t.at))}::date[], ${diag.map((x) => x.t.condition)}::text[],
        ${diag.map(() => null)}::uuid[])`;
    const diagOf = new Map(diag.map((x, k) => [x.i, k + 1]));
    await tx`
      insert into treatments (animal_id, diagnosis_id, schedule_id, treated_at, medicine_id, dose, route,
        batch, vet, milk_withdrawal_until, meat_withdrawal_until)
      select a, d, s, to_timestamp(t / 1000.0), m, dose, r, b, v,
        case when mh > 0 then to_timestamp(t / 1000.0) + make_interval(hours => mh) end,
        case when md > 0 then to_timestamp(t / 1000.0) + make_interval(days => md) end
      from unnest(${tr.map((t) => t.animalId)}::int[], ${
      tr.map((_, i) => diagOf.get(i) ?? null)
    }::bigint[],
        ${tr.map((t) => t.scheduleId)}::int[], ${tr.map((t) => t.at)}::float8[],
        ${tr.map((t) => MED_ID[t.medicine])}::int[], ${tr.map((t) => t.dose)}::numeric[],
        ${tr.map((t) => t.route)}::text[], ${tr.map((t) => t.batch)}::text[], ${
      tr.map((t) => t.vet)
    }::text[],
        ${tr.map((t) => medicineOf.get(t.medicine)!.milk)}::int[],
        ${
      tr.map((t) => medicineOf.get(t.medicine)!.meat)
    }::int[]) as u(a, d, s, t, m, dose, r, b, v, mh, md)`;

    // Milk records in big batches.
    const BATCH = 25_000;
    for (let i = 0; i < M.animal.length; i += BATCH) {
      const s = <T>(xs: T[]): T[] => xs.slice(i, i + BATCH);
      await tx`
        insert into milk_records (animal_id, milked_on, session, milked_at, yield_kg, fat_pct, snf_pct,
          scc, conductivity_ms_cm, duration_s, discarded, discard_reason, to_tank, source, device_id,
          recorded_at)
        select a, d, s, to_timestamp(t / 1000.0), y, f, n, c, k, u, x, r, tt, src, dev,
          to_timestamp(t / 1000.0) + interval '8 minutes'
        from unnest(${s(M.animal)}::int[], ${s(M.day)}::date[], ${s(M.session)}::text[],
          ${s(M.at)}::float8[], ${s(M.kg)}::numeric[], ${s(M.fat)}::numeric[], ${
        s(M.snf)
      }::numeric[],
          ${s(M.scc)}::int[], ${s(M.cond)}::numeric[], ${s(M.dur)}::int[], ${
        s(M.discarded).map(boolText)
      }::text[]::boolean[],
          ${s(M.reason)}::text[], ${s(M.toTank).map(boolText)}::text[]::boolean[], ${
        s(M.source)
      }::text[],
          ${s(M.device)}::text[]) as v(a, d, s, t, y, f, n, c, k, u, x, r, tt, src, dev)`;
      log(`farm seed: milk records ${Math.min(i + BATCH, M.animal.length)}/${M.animal.length}`);
    }
    // Bulk-tank intake per milking: the saleable milk in litres less a little loss in the lines.
    const tanks = [...tankKg.entries()];
    await tx`
      insert into bulk_tank_intakes (intake_on, session, volume_l, recorded_at)
      select d, s, v, d::timestamptz + case s when 'am' then interval '5 hours' else interval '17 hours' end
      from unnest(${tanks.map(([k]) => k.split("|")[0])}::date[], ${
      tanks.map(([k]) => k.split("|")[1])
    }::text[],
        ${
      tanks.map(([, kg]) => Math.round(kg / 1.032 * (1 - uni(0.003, 0.012)) * 10) / 10)
    }::numeric[]) as u(d, s, v)`;
    for (let i = 0; i < F.day.length; i += BATCH) {
      const s = <T>(xs: T[]): T[] => xs.slice(i, i + BATCH);
      await tx`
        insert into feedings (fed_on, group_id, feed_item_id, quantity_kg, cost_minor)
        select * from unnest(${s(F.day)}::date[], ${s(F.group)}::int[], ${s(F.item)}::int[],
          ${s(F.qty)}::numeric[], ${s(F.cost)}::bigint[])`;
    }
    for (const al of alerts) {
      await tx`
        insert into farm_alerts (kind, severity, animal_id, ref, message, data, raised_at)
        values ('withdrawal_to_tank', 'critical', ${al.animalId}, ${`${al.animalId}:${al.day}:${al.session}`},
          ${`${al.tag} is under milk withdrawal until ${
        new Date(al.until).toISOString()
      } but her ${al.session} milking of ${al.day} (${al.kg} kg) went into the tank. Check the tank before it is collected.`},
          ${
        tx.json({
          tag: al.tag,
          day: al.day,
          session: al.session,
          yieldKg: al.kg,
          until: new Date(al.until).toISOString(),
        })
      }, now())
        on conflict do nothing`;
    }
    for (
      const t of [
        "farm_groups",
        "bulls",
        "medicines",
        "vaccination_schedules",
        "feed_items",
        "rations",
        "animals",
        "lactations",
        "repro_events",
        "diagnoses",
      ]
    ) {
      await tx.unsafe(
        `select setval(pg_get_serial_sequence('${t}', 'id'), greatest((select max(id) from ${t}), 1))`,
      );
    }
  });
  const [{ herd }] = await sql`select count(*)::int as herd from animals where exit_date is null`;
  const result: SeedFarmResult = {
    skipped: false,
    animals: animals.length,
    inHerd: herd,
    milkRecords: M.animal.length,
    events: events.length,
    treatments: treatments.length,
    feedings: F.day.length,
    seconds: Math.round((performance.now() - t0) / 100) / 10,
  };
  log(
    `farm seed: ${result.inHerd} animals on the farm (${result.animals} in the register), ${result.milkRecords} milk records, in ${result.seconds} s`,
  );
  return result;
}

if (import.meta.main) {
  const { loadConfig } = await import("@/services/platform/config.ts");
  const { openDatabase } = await import("@/services/platform/db.ts");
  const { migrate } = await import("@/services/platform/migrate.ts");
  const db = await openDatabase(loadConfig());
  try {
    await migrate(db.sql);
    const r = await seedFarm(db.sql, { log: console.log });
    if (r.skipped) {
      console.log(`farm seed: the herd register has ${r.animals} animals already; nothing done`);
    }
  } finally {
    await db.close();
  }
}
