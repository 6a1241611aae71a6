/**
 * Contract farmers' phone and bKash numbers, encrypted per field like users' phones
 * (services/crypto/field_crypto.ts): `phone_enc` and `bkash_enc` hold AES-256-GCM ciphertext with
 * the key id, `phone_hash` a keyed blind index for exact lookups (sign-in, search by phone).
 *
 * Rows written before migration 0441 kept the numbers in plain `phone` / `bkash`; the migration
 * cannot encrypt, so `sealFarmerNumbers` does: at start-up (main.ts) and once per intake door
 * before its first use of the farmers. It is idempotent and row by row: each update writes the
 * ciphertext and index and empties the plain columns together, and only if the row still holds
 * the plain values it read (a second process running at once changes nothing).
 */
import {
  blindIndex,
  decryptField,
  encryptField,
  type Keyring,
} from "@/services/crypto/field_crypto.ts";
import type { Db } from "@/services/platform/tx.ts";

/** Associated data (the column) and blind-index purpose of the encrypted numbers. */
export const PHONE_AAD = "intake_farmers.phone";
export const BKASH_AAD = "intake_farmers.bkash";
const PHONE_INDEX = "intake_farmers.phone";

/** The blind index of a normalised phone number (+8801…). */
export function phoneIndex(keyring: Keyring, phone: string): Promise<string> {
  return blindIndex(keyring, phone, PHONE_INDEX);
}

/** The encrypted columns for a farmer's numbers (phone normalised, bKash as 01…). */
export async function sealedNumbers(keyring: Keyring, phone: string, bkash: string | null) {
  return {
    phone: null,
    phone_enc: await encryptField(keyring, phone, PHONE_AAD),
    phone_hash: await phoneIndex(keyring, phone),
    bkash: null,
    bkash_enc: bkash === null ? null : await encryptField(keyring, bkash, BKASH_AAD),
  };
}

/** A farmer row's bKash number in clear (`bkash_enc`, or `bkash` of a row not yet sealed). */
export async function openBkash(
  keyring: Keyring,
  r: Record<string, unknown>,
): Promise<string | null> {
  return r.bkash_enc
    ? await decryptField(keyring, String(r.bkash_enc), BKASH_AAD)
    : (r.bkash as string | null) ?? null;
}

/** A farmer row's numbers in clear (a row not yet sealed gives its plain values). */
export async function openNumbers(
  keyring: Keyring,
  r: Record<string, unknown>,
): Promise<{ phone: string; bkash: string | null }> {
  const phone = r.phone_enc
    ? await decryptField(keyring, String(r.phone_enc), PHONE_AAD)
    : String(r.phone);
  return { phone, bkash: await openBkash(keyring, r) };
}

/**
 * Encrypts the numbers of farmers written before migration 0441 and empties their plain
 * columns; gives how many rows it sealed (0 when there is nothing left to do).
 */
export async function sealFarmerNumbers(db: Db, keyring: Keyring): Promise<number> {
  const rows = await db`
    select id, phone, bkash, phone_enc, bkash_enc from intake_farmers
    where phone is not null or bkash is not null order by id`;
  let sealed = 0;
  for (const r of rows) {
    const phone = r.phone ?? null;
    const bkash = r.bkash ?? null;
    const phoneEnc = phone === null ? null : await encryptField(keyring, phone, PHONE_AAD);
    const phoneHash = phone === null ? null : await phoneIndex(keyring, phone);
    const bkashEnc = bkash === null ? null : await encryptField(keyring, bkash, BKASH_AAD);
    const done = await db`
      update intake_farmers set phone = null, bkash = null,
        phone_enc = coalesce(${phoneEnc}::text, phone_enc),
        phone_hash = coalesce(${phoneHash}::text, phone_hash),
        bkash_enc = coalesce(${bkashEnc}::text, bkash_enc)
      where id = ${r.id} and phone is not distinct from ${phone}::text
        and bkash is not distinct from ${bkash}::text
      returning id`;
    sealed += done.length;
  }
  return sealed;
}
