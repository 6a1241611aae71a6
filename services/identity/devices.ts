/**
 * "Keep me signed in on this device": remembered-device tokens in Deno KV.
 *
 * The browser holds a random 256-bit token in an HttpOnly cookie; KV stores the device under the
 * SHA-256 of that token (its `id`, safe to show and post), so a copy of KV holds no usable
 * cookie. A token is good for 30 days from the sign-in where the box was ticked and for ONE use:
 * when the 30-minute idle session is gone, the token opens a new session and is replaced by a
 * fresh token for the same device (rotation), so a stolen copy is worthless once the owner's
 * browser used it. The index `["user_devices", userId, id]` lists a person's devices (the
 * sessions page shows them, each can be forgotten) and forgets them all after a password change.
 *
 * The caller (the door) checks the account itself: active, a customer (staff never get one),
 * password not changed since the device was remembered.
 */
import { sessionIdOf } from "./sessions.ts";

export const DEVICE_TOKEN_MS = 30 * 24 * 60 * 60_000;

export interface RememberedDevice {
  /** SHA-256 of the cookie token (base64url). */
  id: string;
  userId: string;
  /** When the person signed in and ticked the box (kept across rotations). */
  rememberedAt: number;
  /** The token stops working then (30 days after rememberedAt). */
  expiresAt: number;
  /** The latest silent sign-in with it, or null. */
  lastUsedAt: number | null;
  userAgent: string;
  ip: string;
}

const deviceKey = (id: string) => ["device_token", id] as const;
const userDeviceKey = (userId: string, id: string) => ["user_devices", userId, id] as const;
const userDevicesPrefix = (userId: string) => ["user_devices", userId] as const;

/** A used token's tombstone: a racing request within this time is not told to drop the cookie. */
const rotatedKey = (id: string) => ["device_token_used", id] as const;
const RACE_MS = 60_000;

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

function newToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(
    /=+$/,
    "",
  );
}

export class DeviceStore {
  constructor(readonly kv: Deno.Kv, readonly now: () => number) {}

  async #put(d: RememberedDevice, now: number, op = this.kv.atomic()) {
    const expireIn = Math.max(d.expiresAt - now, 1000);
    return await op
      .check({ key: deviceKey(d.id), versionstamp: null })
      .set(deviceKey(d.id), d, { expireIn })
      .set(userDeviceKey(d.userId, d.id), { rememberedAt: d.rememberedAt }, { expireIn })
      .commit();
  }

  /** Remembers this device for the user; returns the cookie token (shown nowhere else). */
  async remember(
    userId: string,
    meta: { userAgent?: string | null; ip?: string | null },
  ): Promise<{ token: string; device: RememberedDevice }> {
    const now = this.now();
    const token = newToken();
    const device: RememberedDevice = {
      id: await sessionIdOf(token),
      userId,
      rememberedAt: now,
      expiresAt: now + DEVICE_TOKEN_MS,
      lastUsedAt: null,
      userAgent: (meta.userAgent ?? "").slice(0, 300),
      ip: (meta.ip ?? "").slice(0, 64),
    };
    const res = await this.#put(device, now);
    if (!res.ok) throw new Error("device id collision"); // 256 random bits: never in practice
    return { token, device };
  }

  /** The live device for a cookie token, or null. */
  async get(token: string | null | undefined): Promise<RememberedDevice | null> {
    if (!token || !TOKEN_SHAPE.test(token)) return null;
    const e = await this.kv.get<RememberedDevice>(deviceKey(await sessionIdOf(token)));
    if (!e.value) return null;
    if (this.now() >= e.value.expiresAt) {
      await this.forget(e.value.userId, e.value.id);
      return null;
    }
    return e.value;
  }

  /**
   * Uses a token once: it is replaced by a new token for the same device (same 30-day end).
   * Null when the token is unknown, expired or used; "raced" when it was used within the last
   * minute (a page's parallel requests: one wins, the others must not drop the new cookie).
   */
  async rotate(
    token: string | null | undefined,
    meta: { userAgent?: string | null; ip?: string | null },
  ): Promise<{ token: string; device: RememberedDevice } | null | "raced"> {
    if (!token || !TOKEN_SHAPE.test(token)) return null;
    const oldId = await sessionIdOf(token);
    const e = await this.kv.get<RememberedDevice>(deviceKey(oldId));
    const old = e.value;
    if (!old) return (await this.kv.get(rotatedKey(oldId))).value ? "raced" : null;
    const now = this.now();
    if (now >= old.expiresAt) {
      await this.forget(old.userId, old.id);
      return null;
    }
    const fresh = newToken();
    const device: RememberedDevice = {
      ...old,
      id: await sessionIdOf(fresh),
      lastUsedAt: now,
      userAgent: (meta.userAgent ?? old.userAgent).slice(0, 300),
      ip: (meta.ip ?? old.ip).slice(0, 64),
    };
    const op = this.kv.atomic()
      .check(e)
      .delete(deviceKey(old.id))
      .delete(userDeviceKey(old.userId, old.id))
      .set(rotatedKey(old.id), now, { expireIn: RACE_MS });
    const res = await this.#put(device, now, op);
    return res.ok ? { token: fresh, device } : "raced";
  }

  /** A person's remembered devices, newest first. */
  async listForUser(userId: string): Promise<RememberedDevice[]> {
    const out: RememberedDevice[] = [];
    const now = this.now();
    for await (const e of this.kv.list({ prefix: userDevicesPrefix(userId) })) {
      const id = String(e.key[2]);
      const d = (await this.kv.get<RememberedDevice>(deviceKey(id))).value;
      if (d && now < d.expiresAt) out.push(d);
      else await this.forget(userId, id);
    }
    return out.sort((a, b) => b.rememberedAt - a.rememberedAt);
  }

  /** Forgets one device of the user (an id of someone else's device does nothing). */
  async forget(userId: string, id: string): Promise<boolean> {
    const d = (await this.kv.get<RememberedDevice>(deviceKey(id))).value;
    const op = this.kv.atomic().delete(userDeviceKey(userId, id));
    if (d?.userId === userId) op.delete(deviceKey(id));
    await op.commit();
    return d?.userId === userId;
  }

  /** Forgets every device of the user (password change, reset, account disabled). */
  async forgetAll(userId: string): Promise<number> {
    const ids: string[] = [];
    for await (const e of this.kv.list({ prefix: userDevicesPrefix(userId) })) {
      ids.push(String(e.key[2]));
    }
    for (let i = 0; i < ids.length; i += 10) {
      const op = this.kv.atomic();
      for (const id of ids.slice(i, i + 10)) {
        op.delete(deviceKey(id)).delete(userDeviceKey(userId, id));
      }
      await op.commit();
    }
    return ids.length;
  }
}
