/**
 * What is due (a pure function of the herd history and the settings): pregnancy checks, expected
 * calvings, dry-offs, cows to breed (past the voluntary waiting period, not yet served), heifers
 * of breeding age, and cows to watch for a return to heat 18–24 days after a service.
 */
import { addDays, daysBetween } from "./dates.ts";
import type { HerdAnimal, HerdData } from "./herd_data.ts";
import { inseminationOutcomes } from "./kpi.ts";

export type DueKind =
  | "pregnancy_check"
  | "calving"
  | "dry_off"
  | "first_service"
  | "heifer_service"
  | "heat_watch"
  | "vaccination";

export interface DueItem {
  kind: DueKind;
  animalId: number;
  tag: string;
  name: string | null;
  /** The day it is due; before today = overdue. */
  dueOn: string;
  /** Numbers for the label: days in milk, days since service, expected calving… */
  info: Record<string, string | number>;
}

interface CowState {
  lastCalving: string | null;
  inMilk: boolean;
  /** Services since the last calving (or ever, for a heifer). */
  services: string[];
  /** Date of the service that made her pregnant, when she is (confirmed or by calving rule). */
  conceivedOn: string | null;
  /** The latest service has no result yet. */
  awaitingCheck: string | null;
}

export function cowState(a: HerdAnimal, today: string, checkDays: number): CowState {
  const lac = a.lactations[a.lactations.length - 1] ?? null;
  const lastCalving = lac?.calvedOn ?? null;
  const services = a.inseminations.filter((d) => lastCalving === null || d > lastCalving);
  const outcomes = inseminationOutcomes(
    {
      calvings: a.lactations.map((l) => l.calvedOn),
      inseminations: services,
      pregnancyChecks: a.pregnancyChecks.filter((c) =>
        lastCalving === null || c.date > lastCalving
      ),
    },
    today,
    checkDays,
  );
  const last = outcomes[outcomes.length - 1] ?? null;
  const checkedAfterLast = last !== null &&
    a.pregnancyChecks.some((c) => c.date > last.date);
  return {
    lastCalving,
    inMilk: a.status === "lactating",
    services,
    conceivedOn: last?.outcome === "pregnant" ? last.date : null,
    awaitingCheck: last !== null && !checkedAfterLast && last.outcome !== "pregnant"
      ? last.date
      : null,
  };
}

/** Items due from `today − overdueDays` up to `today + aheadDays`. */
export function dueList(
  herd: HerdData,
  opts: { aheadDays?: number; overdueDays?: number } = {},
): DueItem[] {
  const { today, settings } = herd;
  const until = addDays(today, opts.aheadDays ?? 30);
  const from = addDays(today, -(opts.overdueDays ?? 60));
  const out: DueItem[] = [];
  // Expected calvings and dry-offs long past are stale data, not work: they are left out. A cow
  // waiting for a check or a first service stays on the list however late it is.
  const stale: DueKind[] = ["calving", "dry_off"];
  const push = (
    kind: DueKind,
    a: HerdAnimal,
    dueOn: string,
    info: Record<string, string | number>,
  ) => {
    if (dueOn > until || (dueOn < from && stale.includes(kind))) return;
    out.push({ kind, animalId: a.id, tag: a.tag, name: a.name, dueOn, info });
  };
  for (const a of herd.animals) {
    if (a.sex !== "female" || a.exitDate !== null) continue;
    if (!["heifer", "lactating", "dry", "calf"].includes(a.status)) continue;
    const s = cowState(a, today, settings.pregnancyCheckDays);
    if (s.conceivedOn) {
      const calving = addDays(s.conceivedOn, settings.gestationDays);
      push("calving", a, calving, { servedOn: s.conceivedOn });
      if (s.inMilk) {
        push("dry_off", a, addDays(calving, -settings.dryPeriodDays), { calvingOn: calving });
      }
      continue;
    }
    if (s.awaitingCheck) {
      const since = daysBetween(s.awaitingCheck, today);
      push("pregnancy_check", a, addDays(s.awaitingCheck, settings.pregnancyCheckDays), {
        servedOn: s.awaitingCheck,
        days: since,
      });
      if (since >= 18 && since <= 24) {
        push("heat_watch", a, today, { servedOn: s.awaitingCheck, days: since });
      }
    }
    if (a.doNotBreedOn) continue;
    if (s.lastCalving && s.inMilk && s.services.length === 0) {
      push("first_service", a, addDays(s.lastCalving, settings.voluntaryWaitingPeriodDays), {
        dim: daysBetween(s.lastCalving, today),
      });
    } else if (!s.lastCalving && a.birthDate && s.services.length === 0) {
      push("heifer_service", a, addDays(a.birthDate, settings.heiferBreedingAgeDays), {
        ageDays: daysBetween(a.birthDate, today),
      });
    }
  }
  return out.sort((x, y) => x.dueOn.localeCompare(y.dueOn) || x.tag.localeCompare(y.tag));
}
