/**
 * The application secret (CSRF tokens, derived device secrets, service credentials): APP_SECRET
 * when given, else one generated on first start and kept in `${DATA_DIR}/app_secret` (mode 0600)
 * so that every process on this machine (app, workers, simulator) derives the same values.
 */
import { join } from "node:path";
import type { Config } from "./config.ts";

export function loadAppSecret(
  config: Pick<Config, "APP_SECRET" | "DATA_DIR">,
): Promise<string> {
  return loadOrCreateSecret(config.DATA_DIR, "app_secret", config.APP_SECRET, 32, 32);
}

/** HMAC-SHA-256 of `message` under the app secret, as hex: for derived per-device secrets. */
export async function deriveSecret(appSecret: string, message: string): Promise<string> {
  const enc = new TextEncoder();
  const key = await crypto.subtle.importKey(
    "raw",
    enc.encode(appSecret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const sig = new Uint8Array(await crypto.subtle.sign("HMAC", key, enc.encode(message)));
  return [...sig].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * A secret that is `given` or else generated once (hex, `bytes` random bytes) and kept in
 * `${DATA_DIR}/<name>` (mode 0600), so that every process on this machine reads the same value:
 * the metrics token (`metrics_token`) and the backup passphrase (`backup_passphrase`).
 */
export async function loadOrCreateSecret(
  dataDir: string,
  name: string,
  given?: string,
  bytes = 24,
  /** How long a kept value must be to be taken at once. */
  minLength = 16,
): Promise<string> {
  if (given) return given;
  const file = join(dataDir, name);
  try {
    const text = (await Deno.readTextFile(file)).trim();
    if (text.length >= minLength) return text;
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  await Deno.mkdir(dataDir, { recursive: true });
  const secret = [...crypto.getRandomValues(new Uint8Array(bytes))]
    .map((b) => b.toString(16).padStart(2, "0")).join("");
  try {
    // createNew: two processes starting together keep the first one's secret.
    await Deno.writeTextFile(file, secret + "\n", { createNew: true, mode: 0o600 });
    return secret;
  } catch (e) {
    if (e instanceof Deno.errors.AlreadyExists) return (await Deno.readTextFile(file)).trim();
    throw e;
  }
}
