/**
 * Consent records for marketing (promotional) messages: every change of a customer's choice is a
 * row — given or withdrawn, where, when — beside the current state in notify_preferences.
 */
type Db = import("@/services/platform/db.ts").Sql | import("@/services/platform/db.ts").Tx;

export type ConsentSource = "account" | "sms_stop" | "sms_start" | "signup";

export interface ConsentRecord {
  address: string;
  purpose: "promotional";
  granted: boolean;
  source: ConsentSource;
  at: Date;
}

export async function recordConsent(
  db: Db,
  address: string,
  granted: boolean,
  source: ConsentSource,
  at: Date,
): Promise<void> {
  await db`
    insert into notify_consents (address, purpose, granted, source, at)
    values (${address}, 'promotional', ${granted}, ${source}, ${at})`;
}

/** The consent history of these addresses, oldest first. */
export async function consentsOf(db: Db, addresses: readonly string[]): Promise<ConsentRecord[]> {
  if (!addresses.length) return [];
  const rows = await db`
    select address, purpose, granted, source, at from notify_consents
    where address = any(${addresses as string[]}) order by at, id`;
  return rows.map((r) => ({
    address: r.address,
    purpose: r.purpose,
    granted: r.granted,
    source: r.source,
    at: r.at,
  }));
}
