/**
 * Password hashing (argon2id, PHC strings) and the password policy.
 *
 * Cost defaults to OWASP's argon2id minimum (m=19456 KiB, t=2, p=1), about 60 ms on one core of
 * our 2-core servers. ARGON2_MEMORY_KIB / ARGON2_ITERATIONS override it (tests use a tiny cost);
 * hashes made with other parameters are upgraded at the next successful sign-in (needsRehash).
 */
import { argon2id, argon2Verify } from "hash-wasm";
import { z } from "@/services/platform/schema.ts";

export interface Argon2Params {
  memoryKiB: number;
  iterations: number;
  parallelism: number;
}

export const DEFAULT_ARGON2: Argon2Params = { memoryKiB: 19456, iterations: 2, parallelism: 1 };

const envInt = (name: string, min: number, max: number): number | undefined => {
  const raw = Deno.env.get(name);
  if (raw === undefined || raw === "") return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new Error(`${name}=${JSON.stringify(raw)}: must be an integer from ${min} to ${max}`);
  }
  return n;
};

/** The parameters new hashes use: the defaults, or the environment's override. */
export function passwordParams(): Argon2Params {
  return {
    memoryKiB: envInt("ARGON2_MEMORY_KIB", 8, 4 * 1024 * 1024) ?? DEFAULT_ARGON2.memoryKiB,
    iterations: envInt("ARGON2_ITERATIONS", 1, 64) ?? DEFAULT_ARGON2.iterations,
    parallelism: DEFAULT_ARGON2.parallelism,
  };
}

export async function hashPassword(
  password: string,
  params: Argon2Params = passwordParams(),
): Promise<string> {
  return await argon2id({
    password,
    salt: crypto.getRandomValues(new Uint8Array(16)),
    memorySize: params.memoryKiB,
    iterations: params.iterations,
    parallelism: params.parallelism,
    hashLength: 32,
    outputType: "encoded",
  });
}

/** False for a wrong password and for a malformed or non-argon2id hash (never throws). */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  if (!hash.startsWith("$argon2id$")) return false;
  try {
    return await argon2Verify({ password, hash });
  } catch {
    return false;
  }
}

/** True when a stored hash was made with other parameters than the current ones. */
export function needsRehash(hash: string, params: Argon2Params = passwordParams()): boolean {
  const m = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(hash);
  if (!m) return true;
  return Number(m[1]) !== params.memoryKiB || Number(m[2]) !== params.iterations ||
    Number(m[3]) !== params.parallelism;
}

let dummy: Promise<string> | undefined;
/**
 * A hash of a random password with the current cost: verifying against it when the account does
 * not exist makes "unknown user" take as long as "wrong password".
 */
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(crypto.randomUUID());
  return dummy;
}

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 200;

/** The policy for new passwords; `identifiers` are the account's email/phone (it must differ). */
export function passwordSchema(identifiers: (string | null | undefined)[] = []) {
  const own = identifiers.filter((v): v is string => !!v).map((v) => v.trim().toLowerCase());
  // A phone number is also refused in its local forms (01712345678, 1712345678).
  for (const v of [...own]) {
    if (v.startsWith("+880")) own.push("0" + v.slice(4), v.slice(4), v.slice(1));
  }
  return z.string()
    .min(PASSWORD_MIN, `Use at least ${PASSWORD_MIN} characters`)
    .max(PASSWORD_MAX, `Use at most ${PASSWORD_MAX} characters`)
    .refine((p) => !/^\d+$/.test(p), "Use more than digits: add letters or symbols")
    .refine(
      (p) => !own.includes(p.trim().toLowerCase()),
      "Your password must not be your email address or phone number",
    );
}

/** Generates a random password that passes the policy (for seeded and admin-created accounts). */
export function generatePassword(length = 16): string {
  const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  const out: string[] = [];
  const bytes = crypto.getRandomValues(new Uint8Array(length * 2));
  for (const b of bytes) {
    if (b < 256 - (256 % alphabet.length)) out.push(alphabet[b % alphabet.length]);
    if (out.length === length) break;
  }
  // Rejection sampling can in theory run short: top up.
  return out.length === length
    ? out.join("")
    : out.join("") + generatePassword(length - out.length);
}
