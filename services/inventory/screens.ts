/**
 * The warehouse staff's use cases (locations, transfers and their Mushak 6.5, cycle counts,
 * scrap, expiry alerts), spread into the door's staff API by mod.ts. Each takes plain input and
 * the acting person; time is the injected clock's, dates Dhaka's.
 */
import type { Sql } from "@/services/platform/db.ts";
import { dhakaDate } from "@/services/platform/dhaka.ts";
import type { Actor } from "./types.ts";
import * as locations from "./locations.ts";
import * as transfers from "./transfers.ts";
import * as counts from "./counts.ts";
import * as scrap from "./scrap.ts";
import * as expiry from "./expiry.ts";
import { nearExpiry } from "./stock.ts";
import type { InventoryLedger } from "./books.ts";

export interface ScreenDeps {
  sql: Sql;
  clock: { now(): Date };
  /** Warehouse staff to alert (identity's people with the warehouse role); none: no alerts. */
  staffContacts?: () => Promise<expiry.StaffContact[]>;
  /** The books (accounting's port): scrap and count differences at cost. */
  ledger?: InventoryLedger;
}

export function staffScreens(deps: ScreenDeps) {
  const { sql, clock } = deps;
  const now = () => clock.now();
  return {
    /** Today in Dhaka by the injected clock. */
    today: () => dhakaDate(now()),

    // ---- locations ----
    staffLocations: () => locations.listStaffLocations(sql),
    staffLocation: (code: string) => locations.locationByCode(sql, code),
    saveLocation: (code: string | null, input: locations.LocationInput, actor: Actor) =>
      locations.saveLocation(sql, code, input, actor, now()),

    // ---- transfers ----
    transfers: (q: Parameters<typeof transfers.listTransfers>[1] = {}) =>
      transfers.listTransfers(sql, q),
    transfer: (id: number) => transfers.getTransfer(sql, id),
    createTransfer: (input: transfers.NewTransferInput, actor: Actor) =>
      transfers.createTransfer(sql, input, actor, now()),
    addTransferLine: (id: number, line: transfers.LineInput, actor: Actor) =>
      transfers.addTransferLine(sql, id, line, actor, now()),
    removeTransferLine: (id: number, lineNo: number) =>
      transfers.removeTransferLine(sql, id, lineNo),
    dispatchTransfer: (id: number, actor: Actor) =>
      transfers.dispatchTransfer(sql, id, actor, now()),
    receiveTransfer: (id: number, actor: Actor) => transfers.receiveTransfer(sql, id, actor, now()),
    cancelTransfer: (id: number, actor: Actor) => transfers.cancelTransfer(sql, id, actor, now()),

    // ---- cycle counts ----
    counts: (q: { limit?: number; offset?: number } = {}) => counts.listCounts(sql, q),
    count: (id: number) => counts.getCount(sql, id),
    startCount: (locationCode: string, actor: Actor) =>
      counts.startCount(sql, locationCode, actor, now()),
    recordCounted: (id: number, entries: { lotId: number; qty: string; unit: string }[]) =>
      counts.recordCounted(sql, id, entries),
    /** Adds a lot found at the location (existing code, or item + new lot) to an open count. */
    addCountLine: (id: number, input: counts.FoundLotInput, actor: Actor) =>
      counts.addCountLine(sql, id, input, actor, now()),
    submitCount: (id: number, actor: Actor) => counts.submitCount(sql, id, actor, now()),
    /** `actor.manager`: may approve a count they counted themselves. */
    approveCount: (id: number, actor: Actor & { manager?: boolean }) =>
      counts.approveCount(sql, id, actor, now(), deps.ledger),
    rejectCount: (id: number, reason: string, actor: Actor) =>
      counts.rejectCount(sql, id, reason, actor, now()),

    // ---- scrap ----
    scraps: (q: { limit?: number; offset?: number } = {}) => scrap.listScraps(sql, q),
    scrap: (input: scrap.ScrapInput, actor: Actor) =>
      scrap.scrapStock(sql, input, actor, now(), deps.ledger),

    // ---- expiry ----
    /** Lots with stock expiring within `days` of today (expired ones first), with their alerts. */
    async expiring(days: number) {
      const rows = await nearExpiry(sql, dhakaDate(now()), days);
      const alerted = await expiry.alertedLots(sql, rows.map((r) => r.lotId));
      return rows.map((r) => ({ ...r, alertedAt: alerted.get(r.lotId) ?? null }));
    },
    /** The daily job (or the button): one notice per lot expiring within `days`, once. */
    async sendExpiryAlerts(days = expiry.DEFAULT_ALERT_DAYS) {
      const contacts = (await deps.staffContacts?.()) ?? [];
      return await expiry.sendExpiryAlerts(sql, {
        today: dhakaDate(now()),
        days,
        contacts,
        at: now(),
      });
    },
  };
}

/** How to reach people (identity's users): by SMS when they have a phone, else e-mail. */
export function contactsOf(
  people: { phone: string | null; email: string | null; locale: string }[],
): expiry.StaffContact[] {
  return people.flatMap((p): expiry.StaffContact[] => {
    const locale = p.locale === "bn" ? "bn" as const : "en" as const;
    if (p.phone) return [{ channel: "sms" as const, to: p.phone, locale }];
    if (p.email) return [{ channel: "email" as const, to: p.email, locale }];
    return [];
  });
}

// What the warehouse pages need besides the use cases (the door re-exports this module's).
export type { StaffContact } from "./expiry.ts";
export { DEFAULT_ALERT_DAYS } from "./expiry.ts";
export {
  formatBin,
  LOCATION_KINDS,
  type LocationInput,
  type StaffLocation,
  TEMP_CLASSES,
} from "./locations.ts";
export {
  type NewTransferInput,
  type Transfer,
  TRANSFER_STATUSES,
  type TransferLine,
  type TransferStatus,
  type TransferSummary,
} from "./transfers.ts";
export {
  type Count,
  type CountLine,
  type CountStatus,
  type CountSummary,
  type FoundLotInput,
} from "./counts.ts";
export { SCRAP_REASONS, type ScrapReason, type ScrapRecord } from "./scrap.ts";
export {
  type Base,
  CONVERSIONS,
  type EntryUnit,
  formatQty,
  qtyInUnit,
  StockError,
  UNIT_FACTOR,
  UNIT_LABELS,
  UNITS_OF,
} from "./units.ts";
export type { StockScreenMessages } from "./messages.ts";
