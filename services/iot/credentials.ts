/**
 * MQTT credentials. Devices: username = device id, password = a 32-byte random secret shown once
 * and stored as its SHA-256 (a machine secret with 256 bits of entropy needs no slow hash, and
 * the broker checks it on every connect). Services (the ingest worker, the web's live feed, the
 * simulator's demo devices) derive theirs from APP_SECRET with HMAC, so nothing is stored.
 */
import { deriveSecret } from "@/services/platform/secrets.ts";

export interface MqttCredentials {
  username: string;
  password: string;
}

/** Service accounts the embedded broker knows; see docs/mqtt.md for their topic rights. */
export const SERVICE_ACCOUNTS = ["svc-ingest", "svc-live"] as const;
export type ServiceAccount = typeof SERVICE_ACCOUNTS[number];

/**
 * MQTT client ids are bound to the identity that signed in, so that nobody can take over (and,
 * with `clean: true`, erase) another client's session, such as the ingest's persistent one:
 * - a device uses its own id, or `{deviceId}:{anything}` for a second connection (a gateway, a
 *   test tool);
 * - a service account uses only ids with its own prefixes, and nobody else may use those.
 */
export const SERVICE_CLIENT_ID_PREFIXES: Readonly<Record<ServiceAccount, readonly string[]>> = {
  "svc-ingest": ["sd-ingest-", "sd-iot-jobs-"],
  "svc-live": ["sd-live-"],
};

/** Which service's client id this is (by prefix), if any. */
export function serviceOfClientId(clientId: string): ServiceAccount | null {
  for (const account of SERVICE_ACCOUNTS) {
    if (SERVICE_CLIENT_ID_PREFIXES[account].some((p) => clientId.startsWith(p))) return account;
  }
  return null;
}

/** Whether the identity that signed in may use `clientId`. Pure; the broker refuses the rest. */
export function mayUseClientId(
  who: { kind: "device"; id: string } | { kind: "service"; account: ServiceAccount },
  clientId: string,
): boolean {
  const owner = serviceOfClientId(clientId);
  if (who.kind === "service") return owner === who.account;
  return owner === null && (clientId === who.id || clientId.startsWith(`${who.id}:`));
}

export function base64url(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function newDeviceSecret(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

export async function hashSecret(secret: string): Promise<Uint8Array> {
  return new Uint8Array(
    await crypto.subtle.digest("SHA-256", new TextEncoder().encode(secret)),
  );
}

/** Constant-time comparison of two byte strings. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

export async function serviceCredentials(
  appSecret: string,
  account: ServiceAccount,
): Promise<MqttCredentials> {
  return { username: account, password: await deriveSecret(appSecret, `mqtt:${account}`) };
}

/** The secret of a demo device (seeded by seedDemoDevices, used by `deno task simulate`). */
export function demoDeviceSecret(appSecret: string, deviceId: string): Promise<string> {
  return deriveSecret(appSecret, `demo-device:${deviceId}`);
}
