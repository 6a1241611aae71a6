/**
 * A customer's contact-form messages (export) and their erasure, found by the phone numbers and
 * email addresses they are known by (the messages have no account: the encrypted phone and email
 * are decrypted to compare). Erased messages keep their topic, status and date.
 */
import type { Sql } from "@/services/platform/db.ts";
import { decryptField, encryptField, type Keyring } from "@/services/crypto/field_crypto.ts";

const ERASED = "[erased]";

async function matching(sql: Sql, keyring: Keyring, addresses: readonly string[]) {
  const wanted = new Set(addresses.map((a) => a.toLowerCase()));
  if (!wanted.size) return [];
  const rows = await sql`
    select id, name, phone_enc, email_enc, topic, message, status, created_at
    from contact_messages where name <> ${ERASED} order by id`;
  // deno-lint-ignore no-explicit-any
  const out: (Record<string, any> & { phone: string; email: string | null })[] = [];
  for (const r of rows) {
    const phone = await decryptField(keyring, r.phone_enc, "contact_messages.phone");
    const email = r.email_enc
      ? await decryptField(keyring, r.email_enc, "contact_messages.email")
      : null;
    if (wanted.has(phone.toLowerCase()) || (email && wanted.has(email.toLowerCase()))) {
      out.push({ ...r, phone, email });
    }
  }
  return out;
}

export async function exportContacts(sql: Sql, keyring: Keyring, addresses: readonly string[]) {
  return (await matching(sql, keyring, addresses)).map((r) => ({
    name: r.name,
    phone: r.phone,
    email: r.email,
    topic: r.topic,
    message: r.message,
    status: r.status,
    createdAt: r.created_at,
  }));
}

export async function anonymiseContacts(
  sql: Sql,
  keyring: Keyring,
  addresses: readonly string[],
): Promise<Record<string, number>> {
  const found = await matching(sql, keyring, addresses);
  if (!found.length) return { contactMessages: 0 };
  const phone = await encryptField(keyring, ERASED, "contact_messages.phone");
  await sql`
    update contact_messages set name = ${ERASED}, phone_enc = ${phone}, email_enc = null,
      message = ${"[erased message]"}
    where id = any(${found.map((r) => r.id)}::bigint[])`;
  return { contactMessages: found.length };
}
