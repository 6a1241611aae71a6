/**
 * API clients and their keys. A key is `sd_live_` + 32 random base62 characters, shown once; only
 * its SHA-256 is stored (a key has 190 bits of entropy, so a fast hash is enough: nobody can guess
 * one to match). The prefix makes a leaked key recognisable (secret scanners, logs). Rotation
 * issues a new key and lets the old one work for an overlap, then it expires.
 */
import { text, z } from "@/services/platform/schema.ts";
import { appendAudit } from "@/services/audit/mod.ts";
import { inTx } from "@/services/platform/tx.ts";
import type { Sql } from "@/services/platform/db.ts";
import { ConflictError, NotFoundError, ValidationError } from "@/services/platform/errors.ts";
import { API_SCOPES, type ApiScope, B2B_SCOPES } from "./scopes.ts";

export const KEY_PREFIX = "sd_live_";
export const SECRET_PREFIX = "sd_secret_";
export const CLIENT_ID_PREFIX = "sdc_";
/** Default requests per hour (the requirements). */
export const DEFAULT_RATE_LIMIT = 1000;
/** How long a rotated key keeps working by default. */
export const DEFAULT_ROTATION_OVERLAP_HOURS = 24;

export interface Actor {
  id: string | null;
  name: string;
}

export interface ApiClient {
  id: number;
  name: string;
  kind: "partner" | "b2b";
  b2bAccountId: number | null;
  scopes: ApiScope[];
  rateLimitPerHour: number;
  oauthClientId: string;
  hasSecret: boolean;
  secretPrefix: string | null;
  createdAt: Date;
  disabledAt: Date | null;
}

export interface ApiKeyRow {
  id: number;
  clientId: number;
  name: string;
  prefix: string;
  scopes: ApiScope[];
  rateLimitPerHour: number;
  expiresAt: Date | null;
  revokedAt: Date | null;
  rotatedTo: number | null;
  lastUsedAt: Date | null;
  createdAt: Date;
}

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** `n` random base62 characters (rejection sampling: no modulo bias). */
export function randomToken(n: number): string {
  let out = "";
  while (out.length < n) {
    for (const b of crypto.getRandomValues(new Uint8Array(n * 2))) {
      if (b < 248 && out.length < n) out += BASE62[b % 62];
    }
  }
  return out;
}

export async function sha256Hex(text: string): Promise<string> {
  const d = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(d), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Whether a string has the shape of one of our keys (before any lookup). */
export function looksLikeKey(s: string): boolean {
  return /^sd_live_[0-9A-Za-z]{32}$/.test(s);
}

const scopeList = z.array(z.enum(API_SCOPES as [ApiScope, ...ApiScope[]])).min(1).max(
  API_SCOPES.length,
);

export const clientInput = z.object({
  name: text(120, { min: 2 }),
  kind: z.enum(["partner", "b2b"]),
  b2bAccountId: z.number().int().positive().nullable().default(null),
  scopes: scopeList,
  rateLimitPerHour: z.number().int().min(1).max(1_000_000).default(DEFAULT_RATE_LIMIT),
}).superRefine((c, ctx) => {
  if ((c.kind === "b2b") !== (c.b2bAccountId !== null)) {
    ctx.addIssue({
      code: "custom",
      path: ["b2bAccountId"],
      message: "A B2B client names its account; a partner client names none",
    });
  }
  if (c.kind === "b2b") {
    const extra = c.scopes.filter((s) => !B2B_SCOPES.includes(s));
    if (extra.length) {
      ctx.addIssue({
        code: "custom",
        path: ["scopes"],
        message: `Not for a B2B account: ${extra.join(", ")}`,
      });
    }
  }
});
export type ClientInput = z.input<typeof clientInput>;

export const keyInput = z.object({
  name: text(120, { min: 1 }),
  /** Defaults to the client's scopes; may only narrow them. */
  scopes: scopeList.optional(),
  expiresAt: z.date().nullable().default(null),
  rateLimitPerHour: z.number().int().min(1).max(1_000_000).optional(),
});
export type KeyInput = z.input<typeof keyInput>;

function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (!r.success) throw ValidationError.fromZod(r.error);
  return r.data;
}

// deno-lint-ignore no-explicit-any
function toClient(r: Record<string, any>): ApiClient {
  return {
    id: Number(r.id),
    name: r.name,
    kind: r.kind,
    b2bAccountId: r.b2b_account_id === null ? null : Number(r.b2b_account_id),
    scopes: r.scopes,
    rateLimitPerHour: r.rate_limit_per_hour,
    oauthClientId: r.oauth_client_id,
    hasSecret: r.oauth_secret_hash !== null,
    secretPrefix: r.oauth_secret_prefix,
    createdAt: r.created_at,
    disabledAt: r.disabled_at,
  };
}

// deno-lint-ignore no-explicit-any
export function toKey(r: Record<string, any>): ApiKeyRow {
  return {
    id: Number(r.id),
    clientId: Number(r.client_id),
    name: r.name,
    prefix: r.prefix,
    scopes: r.scopes,
    rateLimitPerHour: r.rate_limit_per_hour,
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at,
    rotatedTo: r.rotated_to === null ? null : Number(r.rotated_to),
    lastUsedAt: r.last_used_at,
    createdAt: r.created_at,
  };
}

export async function createClient(
  sql: Sql,
  input: ClientInput,
  actor: Actor,
  now: Date,
): Promise<ApiClient> {
  const c = parse(clientInput, input);
  return await inTx(sql, async (tx) => {
    const [row] = await tx`
      insert into api_clients (name, kind, b2b_account_id, scopes, rate_limit_per_hour,
        oauth_client_id, created_by, created_at)
      values (${c.name}, ${c.kind}, ${c.b2bAccountId}, ${c.scopes}, ${c.rateLimitPerHour},
        ${CLIENT_ID_PREFIX + randomToken(20)}, ${actor.id}, ${now})
      returning *`;
    await appendAudit(tx, {
      actorId: actor.id,
      action: "api.client_created",
      entity: "api_client",
      entityId: row.id,
      data: { name: c.name, kind: c.kind, b2bAccountId: c.b2bAccountId, scopes: c.scopes },
      at: now,
    });
    return toClient(row);
  });
}

export async function listClients(
  sql: Sql,
  filter: { b2bAccountId?: number } = {},
): Promise<ApiClient[]> {
  const rows = filter.b2bAccountId === undefined
    ? await sql`select * from api_clients order by id`
    : await sql`select * from api_clients where b2b_account_id = ${filter.b2bAccountId} order by id`;
  return rows.map(toClient);
}

export async function getClient(sql: Sql, id: number): Promise<ApiClient | null> {
  const [row] = await sql`select * from api_clients where id = ${id}`;
  return row ? toClient(row) : null;
}

export async function setClientDisabled(
  sql: Sql,
  id: number,
  disabled: boolean,
  actor: Actor,
  now: Date,
): Promise<void> {
  await inTx(sql, async (tx) => {
    const [row] = await tx`
      update api_clients set disabled_at = ${disabled ? now : null} where id = ${id} returning id`;
    if (!row) throw new NotFoundError("No such API client");
    await appendAudit(tx, {
      actorId: actor.id,
      action: disabled ? "api.client_disabled" : "api.client_enabled",
      entity: "api_client",
      entityId: id,
      at: now,
    });
  });
}

export async function listKeys(sql: Sql, clientId: number): Promise<ApiKeyRow[]> {
  const rows = await sql`select * from api_keys where client_id = ${clientId} order by id desc`;
  return rows.map(toKey);
}

/** A new key: the secret is in the result once and nowhere else. */
export async function createKey(
  sql: Sql,
  clientId: number,
  input: KeyInput,
  actor: Actor,
  now: Date,
  rotatedFrom: number | null = null,
): Promise<{ key: string; row: ApiKeyRow }> {
  const k = parse(keyInput, input);
  if (k.expiresAt && k.expiresAt.getTime() <= now.getTime()) {
    throw new ValidationError({ expiresAt: "The expiry must be in the future" });
  }
  return await inTx(sql, async (tx) => {
    const [client] = await tx`select * from api_clients where id = ${clientId} for update`;
    if (!client) throw new NotFoundError("No such API client");
    if (client.disabled_at) throw new ConflictError("The client is disabled");
    const scopes = k.scopes ?? client.scopes;
    const extra = scopes.filter((s: string) => !client.scopes.includes(s));
    if (extra.length) {
      throw new ValidationError({ scopes: `The client may not grant: ${extra.join(", ")}` });
    }
    const limit = Math.min(k.rateLimitPerHour ?? client.rate_limit_per_hour, 1_000_000);
    const secret = KEY_PREFIX + randomToken(32);
    const [row] = await tx`
      insert into api_keys (client_id, name, prefix, hash, scopes, rate_limit_per_hour,
        expires_at, created_by, created_at)
      values (${clientId}, ${k.name}, ${secret.slice(0, KEY_PREFIX.length + 6)},
        ${await sha256Hex(secret)}, ${scopes}, ${limit}, ${k.expiresAt}, ${actor.id}, ${now})
      returning *`;
    await appendAudit(tx, {
      actorId: actor.id,
      action: rotatedFrom === null ? "api.key_created" : "api.key_rotated",
      entity: "api_key",
      entityId: row.id,
      data: { clientId, name: k.name, prefix: row.prefix, scopes, rotatedFrom },
      at: now,
    });
    return { key: secret, row: toKey(row) };
  });
}

/** Revokes a key at once (of the given client only, when one is named). */
export async function revokeKey(
  sql: Sql,
  keyId: number,
  actor: Actor,
  now: Date,
  clientId?: number,
): Promise<ApiKeyRow> {
  return await inTx(sql, async (tx) => {
    const [row] = await tx`
      update api_keys set revoked_at = coalesce(revoked_at, ${now})
      where id = ${keyId} ${clientId === undefined ? tx`` : tx`and client_id = ${clientId}`}
      returning *`;
    if (!row) throw new NotFoundError("No such API key");
    await appendAudit(tx, {
      actorId: actor.id,
      action: "api.key_revoked",
      entity: "api_key",
      entityId: keyId,
      data: { prefix: row.prefix },
      at: now,
    });
    return toKey(row);
  });
}

/**
 * Rotation with overlap: a new key with the same name, scopes and limit; the old one works until
 * `overlapHours` from now (or its own earlier expiry), so a partner can deploy the new one first.
 */
export async function rotateKey(
  sql: Sql,
  keyId: number,
  overlapHours: number,
  actor: Actor,
  now: Date,
  clientId?: number,
): Promise<{ key: string; row: ApiKeyRow; old: ApiKeyRow }> {
  if (!Number.isInteger(overlapHours) || overlapHours < 0 || overlapHours > 24 * 30) {
    throw new ValidationError({ overlapHours: "Between 0 and 720 hours" });
  }
  return await inTx(sql, async (tx) => {
    const [old] = await tx`select * from api_keys where id = ${keyId} for update`;
    if (!old || (clientId !== undefined && Number(old.client_id) !== clientId)) {
      throw new NotFoundError("No such API key");
    }
    if (old.revoked_at || old.rotated_to) throw new ConflictError("This key was already replaced");
    const expiresAt = old.expires_at && old.expires_at.getTime() > now.getTime()
      ? old.expires_at
      : null;
    const fresh = await createKey(
      tx as unknown as Sql,
      Number(old.client_id),
      {
        name: old.name,
        scopes: old.scopes,
        rateLimitPerHour: old.rate_limit_per_hour,
        expiresAt,
      },
      actor,
      now,
      keyId,
    );
    const until = new Date(now.getTime() + overlapHours * 3_600_000);
    const end = old.expires_at && old.expires_at.getTime() < until.getTime()
      ? old.expires_at
      : until;
    const [updated] = await tx`
      update api_keys set rotated_to = ${fresh.row.id}, expires_at = ${end}
      where id = ${keyId} returning *`;
    return { ...fresh, old: toKey(updated) };
  });
}

/** A new OAuth client secret (replacing any earlier one), shown once. */
export async function issueClientSecret(
  sql: Sql,
  clientId: number,
  actor: Actor,
  now: Date,
): Promise<{ clientId: string; clientSecret: string }> {
  const secret = SECRET_PREFIX + randomToken(40);
  return await inTx(sql, async (tx) => {
    const [row] = await tx`
      update api_clients set oauth_secret_hash = ${await sha256Hex(secret)},
        oauth_secret_prefix = ${secret.slice(0, SECRET_PREFIX.length + 6)}
      where id = ${clientId} and disabled_at is null returning *`;
    if (!row) throw new NotFoundError("No such API client");
    await appendAudit(tx, {
      actorId: actor.id,
      action: "api.client_secret_issued",
      entity: "api_client",
      entityId: clientId,
      data: { prefix: row.oauth_secret_prefix },
      at: now,
    });
    return { clientId: row.oauth_client_id, clientSecret: secret };
  });
}
