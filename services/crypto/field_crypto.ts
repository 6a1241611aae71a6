/**
 * Per-field encryption of personal data (phone, address, national id) with AES-256-GCM through
 * WebCrypto, and keyed blind indexes so that an encrypted column can still be searched for an
 * exact value (sign-in by phone number).
 *
 * Keys are versioned: a keyring holds every key that may still be needed to decrypt; the key with
 * the highest id encrypts. Ciphertext is text: `v1.<keyId>.<base64url iv>.<base64url ct+tag>`.
 * The associated data names the column ("users.phone"), so a value copied into another column
 * does not decrypt there.
 *
 * The blind-index HMAC key is derived (HKDF) from the key with the LOWEST id, so rotating in a new
 * encryption key leaves every stored index valid. Retiring that lowest key means recomputing the
 * indexes from the decrypted values first.
 */
import { z } from "zod";
import type { Config } from "@/services/platform/config.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export interface Keyring {
  /** The id used for new ciphertexts (the highest). */
  readonly currentId: number;
  /** Every id this keyring can decrypt, ascending. */
  readonly ids: readonly number[];
  readonly keys: ReadonlyMap<number, CryptoKey>;
  readonly hmacKey: CryptoKey;
}

/** Raised when a value cannot be decrypted: tampered, wrong column, unknown key or bad format. */
export class FieldCryptoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FieldCryptoError";
  }
}

export function toBase64Url(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function bytesOf(bin: string): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(new ArrayBuffer(bin.length));
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new FieldCryptoError("not base64url");
  const b64 = text.replaceAll("-", "+").replaceAll("_", "/");
  try {
    return bytesOf(atob(b64 + "=".repeat((4 - b64.length % 4) % 4)));
  } catch {
    throw new FieldCryptoError("not base64url");
  }
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  return bytesOf(atob(text.trim()));
}

function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

const keySpec = z.object({
  id: z.number().int().min(1, "key ids start at 1").max(0xffff),
  key: z.string().refine((k) => {
    try {
      return fromBase64(k).length === 32;
    } catch {
      return false;
    }
  }, "must be 32 bytes in base64"),
});
const keyFile = z.object({ keys: z.array(keySpec).min(1, "needs at least one key") });
export type KeySpec = z.infer<typeof keySpec>;

/** Parses FIELD_KEYS ("1:base64,2:base64"); throws a message naming the bad entry. */
export function parseFieldKeys(text: string): KeySpec[] {
  const specs: KeySpec[] = [];
  for (const [i, part] of text.split(",").map((p) => p.trim()).filter(Boolean).entries()) {
    const m = /^(\d+):(.+)$/.exec(part);
    if (!m) throw new Error(`FIELD_KEYS entry ${i + 1} must look like "<id>:<base64 key>"`);
    const parsed = keySpec.safeParse({ id: Number(m[1]), key: m[2] });
    if (!parsed.success) {
      throw new Error(`FIELD_KEYS entry ${i + 1} (id ${m[1]}): ${parsed.error.issues[0].message}`);
    }
    specs.push(parsed.data);
  }
  if (specs.length === 0) throw new Error("FIELD_KEYS has no keys");
  return specs;
}

/** A fresh random 32-byte key as base64 (for FIELD_KEYS or the key file). */
export function generateFieldKey(): string {
  return toBase64(crypto.getRandomValues(new Uint8Array(32)));
}

/** Builds a keyring from key specs; ids must be unique. */
export async function createKeyring(specs: KeySpec[]): Promise<Keyring> {
  const sorted = [...specs].sort((a, b) => a.id - b.id);
  if (sorted.length === 0) throw new Error("a keyring needs at least one key");
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].id === sorted[i - 1].id) {
      throw new Error(`duplicate field key id ${sorted[i].id}`);
    }
  }
  const keys = new Map<number, CryptoKey>();
  for (const s of sorted) {
    keys.set(
      s.id,
      await crypto.subtle.importKey("raw", fromBase64(s.key), "AES-GCM", false, [
        "encrypt",
        "decrypt",
      ]),
    );
  }
  const base = await crypto.subtle.importKey("raw", fromBase64(sorted[0].key), "HKDF", false, [
    "deriveKey",
  ]);
  const hmacKey = await crypto.subtle.deriveKey(
    {
      name: "HKDF",
      hash: "SHA-256",
      salt: encoder.encode("smartdairy.field-crypto"),
      info: encoder.encode("blind-index v1"),
    },
    base,
    { name: "HMAC", hash: "SHA-256", length: 256 },
    false,
    ["sign"],
  );
  const ids = sorted.map((s) => s.id);
  return { currentId: ids[ids.length - 1], ids, keys, hmacKey };
}

/**
 * The keyring for this deployment: FIELD_KEYS when set; otherwise `${DATA_DIR}/field_keys.json`,
 * created once with a random key (mode 0600). Losing that file loses the encrypted data: back it
 * up with the database.
 */
export async function loadKeyring(
  config: Pick<Config, "FIELD_KEYS" | "DATA_DIR">,
): Promise<Keyring> {
  if (config.FIELD_KEYS) return createKeyring(parseFieldKeys(config.FIELD_KEYS));
  const path = `${config.DATA_DIR.replace(/\/+$/, "")}/field_keys.json`;
  await Deno.mkdir(config.DATA_DIR, { recursive: true });
  try {
    // createNew: two processes starting at once cannot both write a different key.
    const body = JSON.stringify({ keys: [{ id: 1, key: generateFieldKey() }] }, null, 2) + "\n";
    await Deno.writeTextFile(path, body, { createNew: true, mode: 0o600 });
  } catch (e) {
    if (!(e instanceof Deno.errors.AlreadyExists)) throw e;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(await Deno.readTextFile(path));
  } catch (e) {
    throw new Error(`${path} is not readable JSON: ${(e as Error).message}`);
  }
  const result = keyFile.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`${path}: ${issue.path.join(".")} ${issue.message}`);
  }
  return createKeyring(result.data.keys);
}

/** Encrypts with the current key; aad names the column, e.g. "users.phone". */
export async function encryptField(
  keyring: Keyring,
  plaintext: string,
  aad: string,
): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const key = keyring.keys.get(keyring.currentId)!;
  const ct = new Uint8Array(
    await crypto.subtle.encrypt(
      { name: "AES-GCM", iv, additionalData: encoder.encode(aad) },
      key,
      encoder.encode(plaintext),
    ),
  );
  return `v1.${keyring.currentId}.${toBase64Url(iv)}.${toBase64Url(ct)}`;
}

function parseCiphertext(
  text: string,
): { keyId: number; iv: Uint8Array<ArrayBuffer>; ct: Uint8Array<ArrayBuffer> } {
  const parts = text.split(".");
  if (parts.length !== 4 || parts[0] !== "v1" || !/^\d+$/.test(parts[1])) {
    throw new FieldCryptoError("not an encrypted field value");
  }
  const iv = fromBase64Url(parts[2]);
  const ct = fromBase64Url(parts[3]);
  if (iv.length !== 12 || ct.length < 16) throw new FieldCryptoError("malformed encrypted value");
  return { keyId: Number(parts[1]), iv, ct };
}

/** Decrypts a value written by encryptField for the same aad; throws FieldCryptoError otherwise. */
export async function decryptField(keyring: Keyring, text: string, aad: string): Promise<string> {
  const { keyId, iv, ct } = parseCiphertext(text);
  const key = keyring.keys.get(keyId);
  if (!key) throw new FieldCryptoError(`field key ${keyId} is not in the keyring`);
  try {
    const pt = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv, additionalData: encoder.encode(aad) },
      key,
      ct,
    );
    return decoder.decode(pt);
  } catch {
    throw new FieldCryptoError(`cannot decrypt ${aad}: tampered value or wrong column`);
  }
}

/** The key id a ciphertext was written with. */
export function fieldKeyId(text: string): number {
  return parseCiphertext(text).keyId;
}

/**
 * For key rotation: the value re-encrypted under the current key, or null when it already is
 * (so callers update only rows that change).
 */
export async function reencrypt(
  keyring: Keyring,
  text: string,
  aad: string,
): Promise<string | null> {
  if (fieldKeyId(text) === keyring.currentId) return null;
  return encryptField(keyring, await decryptField(keyring, text, aad), aad);
}

/**
 * Keyed hash for exact-match lookups on an encrypted column. `purpose` separates domains (a
 * phone's index never equals a code's); the same value and purpose always give the same index.
 */
export async function blindIndex(
  keyring: Keyring,
  value: string,
  purpose: string,
): Promise<string> {
  const mac = await crypto.subtle.sign(
    "HMAC",
    keyring.hmacKey,
    encoder.encode(`${purpose}\u0000${value}`),
  );
  return toBase64Url(new Uint8Array(mac));
}
