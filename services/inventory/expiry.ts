/**
 * Expiry alerts: warehouse staff get one notice per lot with stock expiring within N days (or
 * already expired), through the outbox, never a second one for the same lot — inv_expiry_alerts
 * claims the lot in the same transaction as its messages. "Today" is the Dhaka date of the
 * injected clock. (The near-expiry list itself is stock.ts `nearExpiry`.)
 */
import { enqueueMessage } from "@/services/notify/mod.ts";
import { inTx } from "@/services/platform/tx.ts";
import { nearExpiry } from "./stock.ts";
import type { Base, Db } from "./types.ts";
import { formatQty } from "./units.ts";

/** How to reach one member of the warehouse staff (from identity, wired in contexts.ts). */
export interface StaffContact {
  channel: "sms" | "email";
  to: string;
  locale: "en" | "bn";
}

export const DEFAULT_ALERT_DAYS = 3;

type NearRow = Awaited<ReturnType<typeof nearExpiry>>[number] & { base: Base };

function alertText(locale: "en" | "bn", rows: NearRow[]): { subject: string; body: string } {
  const lines = rows.map((r) =>
    locale === "bn"
      ? `লট ${r.lotCode} (${r.itemName.bn}) — মেয়াদ ${r.expiresOn}; ${r.locationCode}-এ ${
        formatQty(r.onHand, r.base, "bn")
      }`
      : `Lot ${r.lotCode} (${r.itemName.en}) expires ${r.expiresOn}: ${
        formatQty(r.onHand, r.base, "en")
      } at ${r.locationCode}`
  );
  return locale === "bn"
    ? {
      subject: "[Smart Dairy] মেয়াদ শেষ হয়ে আসছে",
      body: `[Smart Dairy] মেয়াদ সতর্কতা:\n${lines.join("\n")}`,
    }
    : {
      subject: "[Smart Dairy] Stock near expiry",
      body: `[Smart Dairy] Expiry alert:\n${lines.join("\n")}`,
    };
}

/** Lot ids already alerted, with when. */
export async function alertedLots(db: Db, lotIds: number[]): Promise<Map<number, Date>> {
  if (!lotIds.length) return new Map();
  const rows = await db`
    select lot_id, sent_at from inv_expiry_alerts where lot_id = any(${lotIds}::bigint[])`;
  return new Map(rows.map((r) => [Number(r.lot_id), r.sent_at as Date]));
}

/**
 * Sends the expiry alerts due on `today`: every lot with stock expiring within `days` that was
 * never alerted gets one message per contact (dedupe key per lot and contact). With no contact
 * nothing is claimed, so a later run tries again. Returns how many lots and messages.
 */
export function sendExpiryAlerts(
  db: Db,
  q: { today: string; days?: number; contacts: StaffContact[]; at: Date },
): Promise<{ lots: number; messages: number }> {
  return inTx(db, async (tx) => {
    if (!q.contacts.length) return { lots: 0, messages: 0 };
    const near = await nearExpiry(tx, q.today, q.days ?? DEFAULT_ALERT_DAYS);
    const bases = new Map(
      (near.length
        ? await tx`select l.id, i.base from inv_lots l join inv_items i on i.id = l.item_id
                   where l.id = any(${near.map((r) => r.lotId)}::bigint[])`
        : []).map((r) => [Number(r.id), r.base as Base]),
    );
    const byLot = new Map<number, NearRow[]>();
    for (const r of near) {
      byLot.set(r.lotId, [...byLot.get(r.lotId) ?? [], { ...r, base: bases.get(r.lotId)! }]);
    }
    let lots = 0;
    let messages = 0;
    for (const [lotId, rows] of byLot) {
      const [claimed] = await tx`
        insert into inv_expiry_alerts (lot_id, expires_on, sent_at, recipients)
        values (${lotId}, ${rows[0].expiresOn}, ${q.at}, ${q.contacts.length})
        on conflict (lot_id) do nothing returning lot_id`;
      if (!claimed) continue;
      lots++;
      for (const c of q.contacts) {
        const { subject, body } = alertText(c.locale, rows);
        const r = await enqueueMessage(tx, {
          channel: c.channel,
          to: c.to,
          subject,
          body,
          locale: c.locale,
          template: "inventory.expiry_alert",
          dedupeKey: `inv-expiry-${lotId}-${c.channel}-${c.to}`,
        });
        if (!r.duplicate) messages++;
      }
    }
    return { lots, messages };
  });
}
