import assert from "node:assert/strict";
import { later, makeUser, PASSWORD, testKeyring } from "./_fixtures.ts";
import { withTestDb } from "@/tests/helpers/db.ts";
import type { Sql } from "@/services/platform/db.ts";
import type { Keyring } from "@/services/crypto/field_crypto.ts";
import { authenticate, getUser } from "@/services/identity/users.ts";
import {
  confirmTotpEnrollment,
  recoveryCodesLeft,
  regenerateRecoveryCodes,
  resetSecondFactor,
  startTotpEnrollment,
  totpCode,
  verifySecondFactor,
} from "@/services/identity/totp.ts";
import { ForbiddenError, type Role } from "@/services/identity/roles.ts";
import { listAudit } from "@/services/audit/audit_log.ts";

const IP = "203.0.113.9";
const STEP = 30_000;
/** A time at the start of a 30-second step, so ±1 step is exactly one period away. */
function stepStart(): Date {
  return new Date(Math.floor(Date.now() / STEP) * STEP + 1000);
}

async function enrolled(sql: Sql, keyring: Keyring, t0: Date, roles: Role[] = ["admin"]) {
  const user = await makeUser(sql, keyring, { roles: [...roles] });
  const { secret, uri } = await startTotpEnrollment(sql, keyring, user.id);
  const r = await confirmTotpEnrollment(sql, keyring, {
    userId: user.id,
    code: totpCode(secret, t0),
    now: t0,
  });
  assert.ok(r.ok);
  return { user, secret, uri, recoveryCodes: r.recoveryCodes };
}

Deno.test("totp: enrolment gives an otpauth URI, needs a right code, and returns 10 recovery codes", async () => {
  await withTestDb(async ({ sql }) => {
    const keyring = await testKeyring();
    const user = await makeUser(sql, keyring, { email: "admin@smartdairy.test", roles: ["admin"] });
    const { secret, uri } = await startTotpEnrollment(sql, keyring, user.id);
    assert.match(secret, /^[A-Z2-7]{32}$/);
    assert.ok(uri.startsWith("otpauth://totp/Smart%20Dairy:admin%40smartdairy.test?"), uri);
    assert.match(uri, new RegExp(`secret=${secret}`));
    assert.match(uri, /issuer=Smart%20Dairy/);

    const [row] = await sql`select totp_secret_enc from users where id = ${user.id}`;
    assert.ok(row.totp_secret_enc.startsWith("v1.") && !row.totp_secret_enc.includes(secret));

    const t0 = stepStart();
    const wrong = await confirmTotpEnrollment(sql, keyring, {
      userId: user.id,
      code: totpCode(secret, later(t0, 5 * STEP)),
      now: t0,
    });
    assert.equal(!wrong.ok && wrong.reason, "invalid_code");
    assert.equal((await getUser(sql, keyring, user.id))!.totpEnabled, false);

    const r = await confirmTotpEnrollment(sql, keyring, {
      userId: user.id,
      code: totpCode(secret, t0),
      now: t0,
    });
    assert.ok(r.ok);
    assert.equal(r.recoveryCodes.length, 10);
    assert.equal(new Set(r.recoveryCodes).size, 10);
    for (const c of r.recoveryCodes) {
      assert.match(c, /^[0-9a-hjkmnp-tv-z]{5}-[0-9a-hjkmnp-tv-z]{5}$/);
    }
    const stored = await sql`select code_hash from recovery_codes where user_id = ${user.id}`;
    assert.equal(stored.length, 10);
    assert.ok(
      stored.every((s) => !r.recoveryCodes.some((c) => s.code_hash.includes(c.slice(0, 5)))),
    );
    assert.equal((await listAudit(sql, { action: "user.totp_enabled" })).total, 1);

    // The password step now asks for the second factor.
    const a = await authenticate(sql, keyring, {
      identifier: "admin@smartdairy.test",
      password: PASSWORD,
      ip: IP,
    });
    assert.ok(a.ok && a.needsSecondFactor && !a.mustEnrollSecondFactor);
  });
});

Deno.test("totp: a code is accepted within ±1 step and never twice", async () => {
  await withTestDb(async ({ sql }) => {
    const keyring = await testKeyring();
    const t0 = stepStart();
    const { user, secret } = await enrolled(sql, keyring, t0);
    const verify = (code: string, at: Date) =>
      verifySecondFactor(sql, keyring, { userId: user.id, code, ip: IP, now: at });

    // The enrolment code (step t0) is spent: the same code is refused as a replay.
    const replay = await verify(totpCode(secret, t0), t0);
    assert.equal(!replay.ok && replay.reason, "replayed");

    const t1 = later(t0, STEP);
    const ok = await verify(totpCode(secret, t1), t1);
    assert.ok(ok.ok);
    assert.equal(ok.method, "totp");
    assert.ok(ok.user.lastSignInAt);
    const again = await verify(totpCode(secret, t1), t1);
    assert.equal(!again.ok && again.reason, "replayed");

    // The previous step's code at t3 (one step late) is accepted; two steps late is not.
    const t3 = later(t0, 3 * STEP);
    assert.ok((await verify(totpCode(secret, later(t3, -STEP)), t3)).ok);
    const t5 = later(t0, 5 * STEP);
    const stale = await verify(totpCode(secret, later(t5, -2 * STEP)), t5);
    assert.equal(!stale.ok && stale.reason, "invalid");
    // The next step's code (phone clock ahead) is accepted.
    assert.ok((await verify(totpCode(secret, later(t5, STEP)), t5)).ok);
    // …and then the current step's code is older than the last used one: refused.
    const older = await verify(totpCode(secret, t5), t5);
    assert.equal(!older.ok && older.reason, "replayed");
  });
});

Deno.test("totp: the same code sent twice at once is accepted only once", async () => {
  await withTestDb(async ({ sql }) => {
    const keyring = await testKeyring();
    const t0 = stepStart();
    const { user, secret } = await enrolled(sql, keyring, t0);
    const t1 = later(t0, STEP);
    const code = totpCode(secret, t1);
    const results = await Promise.all(
      [1, 2, 3].map(() =>
        verifySecondFactor(sql, keyring, { userId: user.id, code, ip: IP, now: t1 })
      ),
    );
    assert.equal(results.filter((r) => r.ok).length, 1);
  });
});

Deno.test("totp: recovery codes work once each, in any spelling", async () => {
  await withTestDb(async ({ sql }) => {
    const keyring = await testKeyring();
    const t0 = stepStart();
    const { user, recoveryCodes } = await enrolled(sql, keyring, t0);
    const first = recoveryCodes[0];
    const r = await verifySecondFactor(sql, keyring, {
      userId: user.id,
      code: ` ${first.toUpperCase().replace("-", " ")} `,
      now: t0,
    });
    assert.ok(r.ok);
    assert.equal(r.method, "recovery");
    assert.equal(r.recoveryCodesLeft, 9);
    const reuse = await verifySecondFactor(sql, keyring, { userId: user.id, code: first, now: t0 });
    assert.equal(!reuse.ok && reuse.reason, "invalid");
    assert.equal(await recoveryCodesLeft(sql, user.id), 9);
    assert.equal((await listAudit(sql, { action: "user.recovery_code_used" })).total, 1);

    const fresh = await regenerateRecoveryCodes(sql, keyring, user.id);
    assert.equal(await recoveryCodesLeft(sql, user.id), 10);
    const old = await verifySecondFactor(sql, keyring, {
      userId: user.id,
      code: recoveryCodes[1],
      now: t0,
    });
    assert.equal(old.ok, false, "the old set is void");
    assert.ok(
      (await verifySecondFactor(sql, keyring, { userId: user.id, code: fresh[0], now: t0 })).ok,
    );
  });
});

Deno.test("totp: wrong codes count toward the account lock; a known password does not reset it", async () => {
  await withTestDb(async ({ sql }) => {
    const keyring = await testKeyring();
    const t0 = stepStart();
    const { user, secret } = await enrolled(sql, keyring, t0, ["accountant"]);
    const reasons = [];
    for (let i = 0; i < 5; i++) {
      // The attacker knows the password and re-enters it between guesses.
      const a = await authenticate(sql, keyring, {
        identifier: user.email!,
        password: PASSWORD,
        ip: IP,
        now: t0,
      });
      assert.ok(a.ok && a.needsSecondFactor);
      const r = await verifySecondFactor(sql, keyring, {
        userId: user.id,
        code: "000000",
        ip: IP,
        now: t0,
      });
      reasons.push(!r.ok && r.reason);
    }
    assert.deepEqual(reasons, ["invalid", "invalid", "invalid", "invalid", "locked"]);
    const t1 = later(t0, STEP);
    const blocked = await verifySecondFactor(sql, keyring, {
      userId: user.id,
      code: totpCode(secret, t1),
      now: t1,
    });
    assert.equal(!blocked.ok && blocked.reason, "locked");
    const pw = await authenticate(sql, keyring, {
      identifier: user.email!,
      password: PASSWORD,
      ip: IP,
      now: t1,
    });
    assert.equal(!pw.ok && pw.reason, "locked");
    const t2 = later(t0, 16 * 60_000);
    assert.ok(
      (await verifySecondFactor(sql, keyring, {
        userId: user.id,
        code: totpCode(secret, t2),
        now: t2,
      })).ok,
    );
  });
});

Deno.test("totp: only users.manage may reset someone's second factor", async () => {
  await withTestDb(async ({ sql }) => {
    const keyring = await testKeyring();
    const t0 = stepStart();
    const { user } = await enrolled(sql, keyring, t0, ["accountant"]);
    const admin = await makeUser(sql, keyring, { roles: ["admin"] });
    await assert.rejects(() => resetSecondFactor(sql, user.id, user.id), ForbiddenError);
    await resetSecondFactor(sql, admin.id, user.id);
    assert.equal((await getUser(sql, keyring, user.id))!.totpEnabled, false);
    assert.equal(await recoveryCodesLeft(sql, user.id), 0);
    const a = await authenticate(sql, keyring, {
      identifier: user.email!,
      password: PASSWORD,
      ip: IP,
    });
    assert.ok(a.ok && !a.needsSecondFactor && a.mustEnrollSecondFactor);
    assert.equal((await listAudit(sql, { action: "user.totp_reset" })).rows[0].actorId, admin.id);
  });
});
