/**
 * Encryption of the personal data in shop addresses (recipient name, phone, street address),
 * one AES-GCM value per field bound to its column (the aad), per services/crypto/field_crypto.ts.
 */
import { decryptField, encryptField, type Keyring } from "@/services/crypto/field_crypto.ts";

export interface Contact {
  recipient: string;
  /** E.164, +8801XXXXXXXXX */
  phone: string;
  /** House, road, flat: the part of the address below the thana. */
  line: string;
}

const AAD = { recipient: "shop.recipient", phone: "shop.phone", line: "shop.address_line" };

export async function encryptContact(keyring: Keyring, c: Contact) {
  const [recipient_enc, phone_enc, line_enc] = await Promise.all([
    encryptField(keyring, c.recipient, AAD.recipient),
    encryptField(keyring, c.phone, AAD.phone),
    encryptField(keyring, c.line, AAD.line),
  ]);
  return { recipient_enc, phone_enc, line_enc };
}

export async function decryptContact(
  keyring: Keyring,
  r: Record<string, any>,
): Promise<Contact> {
  const [recipient, phone, line] = await Promise.all([
    decryptField(keyring, r.recipient_enc, AAD.recipient),
    decryptField(keyring, r.phone_enc, AAD.phone),
    decryptField(keyring, r.line_enc, AAD.line),
  ]);
  return { recipient, phone, line };
}

export function decryptPhone(keyring: Keyring, phoneEnc: string): Promise<string> {
  return decryptField(keyring, phoneEnc, AAD.phone);
}

export function decryptRecipient(keyring: Keyring, recipientEnc: string): Promise<string> {
  return decryptField(keyring, recipientEnc, AAD.recipient);
}
