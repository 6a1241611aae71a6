/**
 * Helpers of the warehouse screens' tests: the app on a fixed clock (10 March 2026, 10:00 in
 * Dhaka), staff signed in with a role, and stock to work with (a yogurt in pieces, milk in ml).
 */
import "@/tests/identity/_fixtures.ts"; // cheap argon2 before any password is hashed
import { type TestApp, testClock, withTestApp } from "@/tests/helpers/app.ts";
import { Browser, makeUser, PASSWORD, signIn } from "@/tests/identity/_web.ts";
import type { Role } from "@/services/identity/roles.ts";

import { actor, RAW_MILK, TODAY } from "./_helpers.ts";

export { Browser };
export { actor, TODAY } from "./_helpers.ts";
export const NOW = new Date("2026-03-10T04:00:00Z");

export function withStockApp<T>(fn: (t: TestApp) => Promise<T>): Promise<T> {
  return withTestApp(fn, { clock: testClock(NOW) });
}

/** A person with these roles, signed in through the form. */
export async function staff(t: TestApp, roles: Role[], phone?: string) {
  const user = await makeUser(t.db.sql, t.deps.keyring, phone ? { roles, phone } : { roles });
  const b = new Browser(t);
  const res = await signIn(b, user.email ?? user.phone!, PASSWORD);
  if (res.status !== 303) throw new Error(`sign-in failed: ${res.status}`);
  return { b, user };
}

/** Items: a yogurt cup (pc, 10 days) and raw milk (ml, 2 days). */
export async function items(t: TestApp) {
  const port = t.deps.inventory.port;
  await port.ensureItem(t.db.sql, {
    code: "FG-YOG-CUP",
    nameEn: "Yogurt cup",
    nameBn: "দই কাপ",
    kind: "finished",
    base: "pc",
    shelfLifeDays: 10,
    shopSku: "YOG-CUP",
  });
  await port.ensureItem(t.db.sql, RAW_MILK);
}

/** Receives a released lot; returns its id and code. */
export async function lot(
  t: TestApp,
  itemCode: string,
  qty: number,
  opts: { location?: string; producedOn?: string; expiresOn?: string; code?: string } = {},
) {
  return await t.deps.inventory.port.receive(t.db.sql, {
    itemCode,
    locationCode: opts.location ?? "PLANT-COLD1",
    qty,
    lotCode: opts.code,
    producedOn: opts.producedOn ?? TODAY,
    expiresOn: opts.expiresOn,
    status: "released",
    ref: { kind: "opening", id: `open-${crypto.randomUUID().slice(0, 8)}` },
    actor,
  });
}

/** On hand of a lot per location code. */
export async function onHand(t: TestApp, lotId: number): Promise<Record<string, number>> {
  const l = await t.deps.inventory.lot(lotId);
  return Object.fromEntries((l?.balances ?? []).map((b) => [b.locationCode, b.onHand]));
}
