/**
 * Shared test fixtures for identity, audit, notify and crypto tests: a cheap argon2 cost (the
 * production cost makes every hash ~60 ms), a throwaway keyring, and small factories.
 */
import { createKeyring, generateFieldKey, type Keyring } from "@/services/crypto/field_crypto.ts";
import type { Sql } from "@/services/platform/db.ts";
import { createUser, type CreateUserInput, type User } from "@/services/identity/users.ts";
import { listMessages } from "@/services/notify/outbox.ts";

// Before any hash is made in this process: tests need speed, not cost.
Deno.env.set("ARGON2_MEMORY_KIB", "64");
Deno.env.set("ARGON2_ITERATIONS", "1");

export function testKeyring(): Promise<Keyring> {
  return createKeyring([{ id: 1, key: generateFieldKey() }]);
}

export const PASSWORD = "green pastures 42";

let counter = 0;
/** A user with a unique email; override anything. */
export function makeUser(
  sql: Sql,
  keyring: Keyring,
  input: Partial<CreateUserInput> = {},
): Promise<User> {
  counter++;
  return createUser(sql, keyring, {
    email: input.phone
      ? undefined
      : `user${counter}.${crypto.randomUUID().slice(0, 6)}@example.com`,
    displayName: `Test User ${counter}`,
    password: PASSWORD,
    ...input,
  });
}

/** The six-digit code in the newest outbox message to a recipient. */
export async function lastCodeSentTo(sql: Sql, recipient: string): Promise<string> {
  const { rows } = await listMessages(sql, { recipient, limit: 1 });
  if (rows.length === 0) throw new Error(`no message was sent to ${recipient}`);
  const m = /\b(\d{6})\b/.exec(rows[0].body);
  if (!m) throw new Error(`the last message to ${recipient} has no code: ${rows[0].body}`);
  return m[1];
}

/** A six-digit code that is not `code`. */
export function otherCode(code: string): string {
  return String((Number(code) + 1) % 1_000_000).padStart(6, "0");
}

export const minutes = (n: number) => n * 60_000;
export const later = (t: Date, ms: number) => new Date(t.getTime() + ms);
