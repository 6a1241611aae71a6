/**
 * The farmer's phone page sign-in: the farmer types the phone number staff registered, gets a
 * six-digit code by SMS (through the outbox), types it, and receives a signed access token (a
 * cookie) that names only their farmer id. The number is found by its blind index (phone_hash):
 * farmers' numbers are stored encrypted (farmer_numbers.ts). Farmers are not user accounts: the token opens only
 * their own deliveries, tests and payments. Codes are stored hashed, live 10 minutes, 5 tries.
 */
import { z } from "@/services/platform/schema.ts";
import { parseInput } from "@/services/platform/errors.ts";
import { enqueueMessage } from "@/services/notify/mod.ts";
import { type Db, inTx } from "@/services/platform/tx.ts";
import { IntakeError } from "./errors.ts";
import { normalisePhone } from "./register.ts";
import type { Keyring } from "@/services/crypto/field_crypto.ts";
import { phoneIndex } from "./farmer_numbers.ts";

const CODE_TTL_MS = 10 * 60_000;
const RESEND_AFTER_MS = 60_000;
const MAX_ATTEMPTS = 5;
export const TOKEN_TTL_MS = 30 * 24 * 3600_000;

const enc = new TextEncoder();
const b64url = (b: ArrayBuffer | Uint8Array) =>
  btoa(String.fromCharCode(...new Uint8Array(b))).replace(/\+/g, "-").replace(/\//g, "_")
    .replace(/=+$/, "");

async function hmac(secret: string, data: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    enc.encode(`intake-farmer:${secret}`),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  return b64url(await crypto.subtle.sign("HMAC", key, enc.encode(data)));
}

function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return d === 0;
}

/** A signed token for one farmer, valid until `now + TOKEN_TTL_MS`. */
export async function farmerToken(secret: string, farmerId: number, now: Date): Promise<string> {
  const body = `${farmerId}.${now.getTime() + TOKEN_TTL_MS}`;
  return `${body}.${await hmac(secret, body)}`;
}

/** The farmer id a token names, or null (forged, malformed, expired). */
export async function farmerOfToken(
  secret: string,
  token: string | undefined | null,
  now: Date,
): Promise<number | null> {
  const m = /^(\d{1,10})\.(\d{1,15})\.([A-Za-z0-9_-]{43})$/.exec(token ?? "");
  if (!m) return null;
  if (!sameText(await hmac(secret, `${m[1]}.${m[2]}`), m[3])) return null;
  if (Number(m[2]) < now.getTime()) return null;
  return Number(m[1]);
}

const phoneSchema = z.object({ phone: z.string().max(40) });
const codeSchema = z.object({
  phone: z.string().max(40),
  code: z.string().trim().regex(/^\d{6}$/, "Enter the 6-digit code"),
});

const hashCode = async (farmerId: number, code: string) =>
  b64url(await crypto.subtle.digest("SHA-256", enc.encode(`${farmerId}:${code}`)));

/**
 * Sends a sign-in code to a registered, active farmer's phone. Answers the same whether or not
 * the number is registered (no one learns who delivers milk here).
 */
export async function startFarmerSignIn(
  db: Db,
  keyring: Keyring,
  input: Record<string, unknown>,
  now: Date,
): Promise<{ sent: true; phone: string | null }> {
  const { phone: raw } = parseInput(phoneSchema, input);
  const phone = normalisePhone(raw);
  if (!phone) return { sent: true, phone: null };
  const hash = await phoneIndex(keyring, phone);
  await inTx(db, async (tx) => {
    const [f] = await tx`select id from intake_farmers where phone_hash = ${hash} and active`;
    if (!f) return;
    const [open] = await tx`select expires_at from intake_farmer_codes
      where farmer_id = ${f.id} for update`;
    if (open && open.expires_at.getTime() - CODE_TTL_MS + RESEND_AFTER_MS > now.getTime()) return;
    const code = String(crypto.getRandomValues(new Uint32Array(1))[0] % 1_000_000).padStart(6, "0");
    await tx`
      insert into intake_farmer_codes (farmer_id, code_hash, expires_at, attempts)
      values (${f.id}, ${await hashCode(f.id, code)}, ${new Date(now.getTime() + CODE_TTL_MS)}, 0)
      on conflict (farmer_id) do update set code_hash = excluded.code_hash,
        expires_at = excluded.expires_at, attempts = 0`;
    await enqueueMessage(tx, {
      channel: "sms",
      to: phone,
      body: `Smart Dairy: your farmer code is ${code} / আপনার কোড ${code}`,
      template: "intake.farmer_code",
    });
  });
  return { sent: true, phone };
}

/** Checks the code; on success the farmer's access token. */
export async function completeFarmerSignIn(
  db: Db,
  keyring: Keyring,
  secret: string,
  input: Record<string, unknown>,
  now: Date,
): Promise<{ farmerId: number; token: string }> {
  const c = parseInput(codeSchema, input);
  const phone = normalisePhone(c.phone);
  const bad = () => new IntakeError("bad_code", "That code is wrong or expired", {}, "code", 422);
  if (!phone) throw bad();
  const hash = await phoneIndex(keyring, phone);
  const farmerId = await inTx(db, async (tx) => {
    const [row] = await tx`
      select c.farmer_id, c.code_hash, c.expires_at, c.attempts
      from intake_farmer_codes c join intake_farmers f on f.id = c.farmer_id
      where f.phone_hash = ${hash} and f.active for update of c`;
    if (!row || row.expires_at.getTime() < now.getTime() || row.attempts >= MAX_ATTEMPTS) {
      return null;
    }
    if (!sameText(await hashCode(row.farmer_id, c.code), row.code_hash)) {
      await tx`update intake_farmer_codes set attempts = attempts + 1
        where farmer_id = ${row.farmer_id}`;
      return null;
    }
    await tx`delete from intake_farmer_codes where farmer_id = ${row.farmer_id}`;
    return row.farmer_id as number;
  });
  if (farmerId === null) throw bad();
  return { farmerId, token: await farmerToken(secret, farmerId, now) };
}
