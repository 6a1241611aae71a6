/**
 * Deno KV: hot state (sessions, carts, rate limits, idempotency keys, one-time codes, caches).
 * Keys are tuples with a leading namespace, built only through `keys` so that every namespace is
 * listed in one place. Where two writers race, use `updateAtomic` (check-and-set with retries).
 */
import type { Config } from "./config.ts";

/**
 * Opens KV: the remote store at KV_URL (a self-hosted `denokv` shared by several instances; Deno
 * reads its token from DENO_KV_ACCESS_TOKEN), else the file at KV_PATH (default
 * `${DATA_DIR}/kv.sqlite3`; ":memory:" for a throwaway store). Processes on one host may share
 * one KV_PATH file (SQLite serialises their writes); instances on several hosts need KV_URL.
 */
export async function openKv(
  config: Pick<Config, "DATA_DIR" | "KV_PATH"> & Partial<Pick<Config, "KV_URL">>,
): Promise<Deno.Kv> {
  // (loadConfig refuses a KV_URL without DENO_KV_ACCESS_TOKEN.)
  if (config.KV_URL) return await Deno.openKv(config.KV_URL);
  const path = config.KV_PATH ?? `${config.DATA_DIR.replace(/\/+$/, "")}/kv.sqlite3`;
  if (path !== ":memory:") {
    const slash = path.lastIndexOf("/");
    if (slash > 0) await Deno.mkdir(path.slice(0, slash), { recursive: true });
  }
  return await Deno.openKv(path);
}

type Part = string | number | bigint;

/** Every KV key of the application. */
export const keys = {
  /** A session by its id. */
  session: (id: string) => ["session", id] as const,
  /** Index of a user's sessions (list by prefix `["user_sessions", userId]` to revoke them all). */
  userSessions: (userId: string, sessionId: string) =>
    ["user_sessions", userId, sessionId] as const,
  userSessionsPrefix: (userId: string) => ["user_sessions", userId] as const,
  /** A cart by owner (a user id, or an anonymous session id). */
  cart: (ownerId: string) => ["cart", ownerId] as const,
  /** A fixed-window counter: `window` is the window's index (epoch seconds / window length). */
  rateLimit: (scope: string, key: string, window: number) =>
    ["ratelimit", scope, key, window] as const,
  /** The stored outcome of an idempotent request or posting. */
  idem: (scope: string, key: string) => ["idem", scope, key] as const,
  /** A one-time code (login, phone check, password reset) for a purpose and subject. */
  otp: (purpose: string, subject: string) => ["otp", purpose, subject] as const,
  /** A cached computation. */
  cache: (name: string, key: Part) => ["cache", name, key] as const,
} satisfies Record<string, (...args: never[]) => readonly Part[]>;

export class AtomicConflictError extends Error {
  constructor(key: Deno.KvKey, attempts: number) {
    super(
      `KV key ${JSON.stringify(key, (_, v) => typeof v === "bigint" ? `${v}n` : v)} ` +
        `changed under us ${attempts} times in a row; giving up`,
    );
    this.name = "AtomicConflictError";
  }
}

export interface UpdateAtomicOptions {
  /** Attempts after the first one when another writer got in between (default 10). */
  retries?: number;
  /** Milliseconds after which KV may delete the written value. */
  expireIn?: number;
}

/**
 * Reads `key`, computes the next value with `fn` and writes it only if nobody wrote the key in
 * between; on a conflict it reads again and retries (with jittered exponential back-off). `fn` may
 * run several times, so it must be pure. Returning null deletes the key; returning the very same
 * value (`===`) as `current` writes nothing (and leaves its expiry alone). Returns the value now
 * stored.
 */
export async function updateAtomic<T>(
  kv: Deno.Kv,
  key: Deno.KvKey,
  fn: (current: T | null) => T | null,
  opts: UpdateAtomicOptions = {},
): Promise<T | null> {
  const retries = opts.retries ?? 10;
  for (let attempt = 0; attempt <= retries; attempt++) {
    const entry = await kv.get<T>(key);
    const next = fn(entry.value);
    if (next === entry.value) return next;
    const op = kv.atomic().check({ key, versionstamp: entry.versionstamp });
    if (next === null) op.delete(key);
    else op.set(key, next, opts.expireIn === undefined ? undefined : { expireIn: opts.expireIn });
    if ((await op.commit()).ok) return next;
    if (attempt < retries) {
      // Exponential back-off with full jitter spreads racing writers apart.
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(100, 2 ** attempt)));
    }
  }
  throw new AtomicConflictError(key, retries + 1);
}

export interface RateLimitResult {
  allowed: boolean;
  /** Requests still allowed in the current window. */
  remaining: number;
  /** Seconds until the window resets (0 when allowed). */
  retryAfterSeconds: number;
}

/**
 * Fixed-window rate limit: at most `limit` calls per `windowSeconds` for (scope, key). A refused
 * call does not count. `now` (epoch ms) is for tests.
 */
export async function rateLimit(
  kv: Deno.Kv,
  scope: string,
  key: string,
  opts: { limit: number; windowSeconds: number; now?: number },
): Promise<RateLimitResult> {
  if (!Number.isInteger(opts.limit) || opts.limit < 0) {
    throw new RangeError(`rate limit must be a whole number ≥ 0, got ${opts.limit}`);
  }
  if (!Number.isInteger(opts.windowSeconds) || opts.windowSeconds < 1) {
    throw new RangeError(`rate limit window must be whole seconds ≥ 1, got ${opts.windowSeconds}`);
  }
  const nowMs = opts.now ?? Date.now();
  const windowMs = opts.windowSeconds * 1000;
  const window = Math.floor(nowMs / windowMs);
  const resetMs = (window + 1) * windowMs;
  let allowed = false;
  const count = await updateAtomic<number>(
    kv,
    keys.rateLimit(scope, key, window),
    (current) => {
      const used = current ?? 0;
      allowed = used < opts.limit;
      return allowed ? used + 1 : current;
    },
    // Kept a little past the window's end; the window index in the key makes it stale anyway.
    { expireIn: resetMs - nowMs + 1000 },
  );
  return {
    allowed,
    remaining: Math.max(0, opts.limit - (count ?? 0)),
    retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil((resetMs - nowMs) / 1000)),
  };
}
