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

export interface ScreenDeps {
  sql: Sql;
  clock: { now(): Date };
  /** Warehouse staff to alert (identity's people with the warehouse role); none: no alerts. */
  staffContacts?: () => Promise<expiry.StaffContact[]>;
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
    submitCount: (id: number, actor: Actor) => counts.submitCount(sql, id, actor, now()),
    /** `actor.manager`: may approve a count they counted themselves. */
    approveCount: (id: number, actor: Actor & { manager?: boolean }) =>
      counts.approveCount(sql, id, actor, now()),
    rejectCount: (id: number, reason: string, actor: Actor) =>
      counts.rejectCount(sql, id, reason, actor, now()),

    // ---- scrap ----
    scraps: (q: { limit?: number; offset?: number } = {}) => scrap.listScraps(sql, q),
    scrap: (input: scrap.ScrapInput, actor: Actor) => scrap.scrapStock(sql, input, actor, now()),

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
