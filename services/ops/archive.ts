/**
 * The encrypted archive every backup of ours writes besides pgBackRest's own repository: the
 * Deno KV store, the generated secrets of DATA_DIR (app_secret, field_keys.json, metrics_token)
 * and, in embedded mode, PGlite's dump of the whole database.
 *
 * Format (`.sdbak`): "SDBAK1\n", 16-byte salt, 12-byte IV, then AES-256-GCM (key: PBKDF2-SHA-256
 * of the backup passphrase, 210 000 rounds) of: a 4-byte big-endian header length, the JSON
 * header `{ createdAt, kind, meta, entries: [{ name, size }] }`, and the entries' bytes one after
 * another. GCM's tag makes a wrong passphrase or a damaged file fail loudly instead of restoring
 * garbage.
 */
import { deserialize, serialize } from "node:v8";
import { join } from "node:path";

const MAGIC = new TextEncoder().encode("SDBAK1\n");
const ROUNDS = 210_000;

export interface ArchiveHeader {
  createdAt: string;
  kind: "embedded" | "server";
  /** Free-form facts about the backup (the pgBackRest label, row counts, newest commit…). */
  meta: Record<string, unknown>;
  entries: { name: string; size: number }[];
}

export interface Archive {
  header: ArchiveHeader;
  files: Map<string, Uint8Array>;
}

export class BackupPassphraseError extends Error {
  constructor(file: string) {
    super(`Cannot decrypt ${file}: wrong backup passphrase (BACKUP_CIPHER_PASS) or damaged file`);
    this.name = "BackupPassphraseError";
  }
}

async function keyFor(passphrase: string, salt: Uint8Array): Promise<CryptoKey> {
  const base = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(passphrase),
    "PBKDF2",
    false,
    ["deriveKey"],
  );
  return await crypto.subtle.deriveKey(
    { name: "PBKDF2", hash: "SHA-256", salt: salt as BufferSource, iterations: ROUNDS },
    base,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
}

/** Encrypts `files` with `passphrase` into one `.sdbak` byte array. */
export async function sealArchive(
  passphrase: string,
  kind: ArchiveHeader["kind"],
  files: Map<string, Uint8Array>,
  meta: Record<string, unknown> = {},
  createdAt = new Date(),
): Promise<Uint8Array> {
  const header: ArchiveHeader = {
    createdAt: createdAt.toISOString(),
    kind,
    meta,
    entries: [...files].map(([name, bytes]) => ({ name, size: bytes.length })),
  };
  const head = new TextEncoder().encode(JSON.stringify(header));
  const total = 4 + head.length + header.entries.reduce((n, e) => n + e.size, 0);
  const plain = new Uint8Array(total);
  new DataView(plain.buffer).setUint32(0, head.length);
  plain.set(head, 4);
  let at = 4 + head.length;
  for (const bytes of files.values()) {
    plain.set(bytes, at);
    at += bytes.length;
  }
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = new Uint8Array(
    await crypto.subtle.encrypt(
      { name: "AES-GCM", iv },
      await keyFor(passphrase, salt),
      plain as BufferSource,
    ),
  );
  const out = new Uint8Array(MAGIC.length + 28 + sealed.length);
  out.set(MAGIC, 0);
  out.set(salt, MAGIC.length);
  out.set(iv, MAGIC.length + 16);
  out.set(sealed, MAGIC.length + 28);
  return out;
}

/** Decrypts an `.sdbak` (`name` is for the error message). */
export async function openArchive(
  passphrase: string,
  bytes: Uint8Array,
  name = "the archive",
): Promise<Archive> {
  if (bytes.length < MAGIC.length + 28 || !MAGIC.every((b, i) => bytes[i] === b)) {
    throw new Error(`${name} is not a Smart Dairy backup archive`);
  }
  const salt = bytes.slice(MAGIC.length, MAGIC.length + 16);
  const iv = bytes.slice(MAGIC.length + 16, MAGIC.length + 28);
  let plain: Uint8Array;
  try {
    plain = new Uint8Array(
      await crypto.subtle.decrypt(
        { name: "AES-GCM", iv },
        await keyFor(passphrase, salt),
        bytes.subarray(MAGIC.length + 28) as BufferSource,
      ),
    );
  } catch {
    throw new BackupPassphraseError(name);
  }
  const headLen = new DataView(plain.buffer, plain.byteOffset).getUint32(0);
  const header = JSON.parse(
    new TextDecoder().decode(plain.subarray(4, 4 + headLen)),
  ) as ArchiveHeader;
  const files = new Map<string, Uint8Array>();
  let at = 4 + headLen;
  for (const e of header.entries) {
    files.set(e.name, plain.subarray(at, at + e.size));
    at += e.size;
  }
  return { header, files };
}

/** Reads only the header (needs the passphrase all the same: the header is encrypted too). */
export async function readArchiveHeader(passphrase: string, path: string): Promise<ArchiveHeader> {
  return (await openArchive(passphrase, await Deno.readFile(path), path)).header;
}

// ---- KV ------------------------------------------------------------------------------------

type Stored = { key: Deno.KvKey; value: unknown; u64?: true };

/** Every KV entry, serialised (v8 structured clone; KvU64 kept as such). Expiry is not kept. */
export async function exportKv(kv: Deno.Kv): Promise<{ bytes: Uint8Array; count: number }> {
  const out: Stored[] = [];
  for await (const e of kv.list({ prefix: [] }, { consistency: "strong" })) {
    if (e.value instanceof Deno.KvU64) out.push({ key: e.key, value: e.value.value, u64: true });
    else out.push({ key: e.key, value: e.value });
  }
  return { bytes: new Uint8Array(serialize(out)), count: out.length };
}

/** Replaces the whole KV store with an export's entries; returns how many were written. */
export async function importKv(kv: Deno.Kv, bytes: Uint8Array): Promise<number> {
  const entries = deserialize(bytes) as Stored[];
  const old: Deno.KvKey[] = [];
  for await (const e of kv.list({ prefix: [] })) old.push(e.key);
  for (let i = 0; i < old.length; i += 100) {
    const op = kv.atomic();
    for (const k of old.slice(i, i + 100)) op.delete(k);
    await op.commit();
  }
  for (let i = 0; i < entries.length; i += 50) {
    const op = kv.atomic();
    for (const e of entries.slice(i, i + 50)) {
      op.set(e.key, e.u64 ? new Deno.KvU64(e.value as bigint) : e.value);
    }
    const r = await op.commit();
    if (!r.ok) throw new Error("KV restore: a batch was refused");
  }
  return entries.length;
}

// ---- DATA_DIR secrets -------------------------------------------------------------------------

/** The generated secrets of DATA_DIR that a restore needs (encrypted fields, tokens, sessions). */
export const SECRET_FILES = ["app_secret", "field_keys.json", "metrics_token"];

export async function readSecretFiles(dataDir: string): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  for (const name of SECRET_FILES) {
    try {
      out.set(`secrets/${name}`, await Deno.readFile(join(dataDir, name)));
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
  }
  return out;
}

/**
 * Writes the archive's secrets into DATA_DIR: missing files always, existing ones only with
 * `overwrite` (a file that differs is kept aside as `<name>.before-restore`). Returns their names.
 */
export async function writeSecretFiles(
  dataDir: string,
  files: Map<string, Uint8Array>,
  overwrite: boolean,
): Promise<string[]> {
  const written: string[] = [];
  await Deno.mkdir(dataDir, { recursive: true });
  for (const [entry, bytes] of files) {
    if (!entry.startsWith("secrets/")) continue;
    const name = entry.slice("secrets/".length);
    if (!SECRET_FILES.includes(name)) continue;
    const path = join(dataDir, name);
    let current: Uint8Array | null = null;
    try {
      current = await Deno.readFile(path);
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
    if (
      current && (!overwrite || current.every((b, i) => b === bytes[i]) &&
          current.length === bytes.length)
    ) continue;
    if (current) await Deno.rename(path, `${path}.before-restore`);
    await Deno.writeFile(path, bytes, { mode: 0o600 });
    written.push(name);
  }
  return written;
}

// ---- the app's state beside the database ------------------------------------------------------

/** Adds the KV store's export ("kv.bin") and DATA_DIR's secrets to an archive's files. */
export async function addAppState(
  files: Map<string, Uint8Array>,
  kv: Deno.Kv,
  dataDir: string,
): Promise<{ kvEntries: number }> {
  const e = await exportKv(kv);
  files.set("kv.bin", e.bytes);
  for (const [name, bytes] of await readSecretFiles(dataDir)) files.set(name, bytes);
  return { kvEntries: e.count };
}

/**
 * Puts an archive's KV entries into the store and its secrets into DATA_DIR (existing ones only
 * with `overwriteSecrets`); says how many entries and which secrets.
 */
export async function restoreAppState(
  files: Map<string, Uint8Array>,
  kv: Deno.Kv,
  dataDir: string,
  overwriteSecrets: boolean,
): Promise<{ kvEntries: number; secrets: string[] }> {
  const bytes = files.get("kv.bin");
  const kvEntries = bytes ? await importKv(kv, bytes) : 0;
  return { kvEntries, secrets: await writeSecretFiles(dataDir, files, overwriteSecrets) };
}
