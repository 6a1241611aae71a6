/**
 * Idempotency-Key for creating calls: the first call with a key claims it, runs, and stores its
 * response; a repeat with the same body gets that response again, with another body a 422, and
 * while the first still runs a 409. A call that failed releases its key so it can be retried.
 */
import type { Sql } from "@/services/platform/db.ts";
import { ConflictError, ValidationError } from "@/services/platform/errors.ts";
import { sha256Hex } from "./keys.ts";

export type Claim =
  | { kind: "new" }
  | { kind: "replay"; status: number; body: unknown };

export async function claim(
  sql: Sql,
  clientId: number,
  key: string,
  body: unknown,
  now: Date,
): Promise<Claim> {
  if (!/^[\x21-\x7e]{1,200}$/.test(key)) {
    throw new ValidationError({ "Idempotency-Key": "1 to 200 visible ASCII characters" });
  }
  const hash = await sha256Hex(JSON.stringify(body ?? null));
  const [row] = await sql`
    insert into api_idempotency (client_id, key, request_hash, created_at)
    values (${clientId}, ${key}, ${hash}, ${now})
    on conflict (client_id, key) do nothing returning key`;
  if (row) return { kind: "new" };
  const [old] = await sql`
    select request_hash, status, response from api_idempotency
    where client_id = ${clientId} and key = ${key}`;
  if (!old) return claim(sql, clientId, key, body, now); // released meanwhile
  if (old.request_hash !== hash) {
    throw new ValidationError({
      "Idempotency-Key": "This key was used with another request body",
    });
  }
  if (old.status === null) throw new ConflictError("A request with this key is still running");
  return { kind: "replay", status: old.status, body: old.response };
}

export async function complete(
  sql: Sql,
  clientId: number,
  key: string,
  status: number,
  body: unknown,
): Promise<void> {
  await sql`update api_idempotency set status = ${status}, response = ${sql.json(body as never)}
    where client_id = ${clientId} and key = ${key}`;
}

export async function release(sql: Sql, clientId: number, key: string): Promise<void> {
  await sql`delete from api_idempotency where client_id = ${clientId} and key = ${key}
    and status is null`;
}
