import assert from "node:assert/strict";
import {
  lastCodeSentTo,
  later,
  makeUser,
  minutes,
  otherCode,
  PASSWORD,
  testKeyring,
} from "./_fixtures.ts";
import { withTestDb } from "@/tests/helpers/db.ts";
import {
  authenticate,
  changePassword,
  completeCodeSignIn,
  completePasswordReset,
  completeSignUp,
  createUser,
  getUser,
  listUsers,
  reencryptUserFields,
  setRoles,
  setUserStatus,
  startCodeSignIn,
  startPasswordReset,
  startSignUp,
} from "@/services/identity/users.ts";
import { ConflictError, ValidationError } from "@/services/platform/errors.ts";
import { ForbiddenError } from "@/services/identity/roles.ts";
import { listAudit, verifyAuditChain } from "@/services/audit/audit_log.ts";
import { listMessages } from "@/services/notify/outbox.ts";
import { createKeyring, generateFieldKey } from "@/services/crypto/field_crypto.ts";

const IP = "203.0.113.7";

Deno.test("sign-up by phone: the code from the SMS activates the account", async () => {
  await withTestDb(async ({ sql }) => {
    const keyring = await testKeyring();
    const sent = await startSignUp(sql, keyring, {
      identifier: "+880 1712-345678",
      password: "fresh milk daily",
      name: "Rahim Uddin",
      locale: "bn",
    });
    assert.deepEqual(sent, { ok: true, channel: "sms", sentTo: "017•••••678" });
    const { rows } = await listMessages(sql, { recipient: "+8801712345678" });
    assert.equal(rows.length, 1);
    assert.equal(rows[0].channel, "sms");
    assert.equal(rows[0].template, "signup_code");
    assert.match(rows[0].body, /স্মার্ট ডেইরি/, "in the chosen language");
    const code = await lastCodeSentTo(sql, "+8801712345678");

    // Nobody can sign in before the code is entered.
    assert.equal(
      (await authenticate(sql, keyring, {
        identifier: "01712345678",
        password: "fresh milk daily",
        ip: IP,
      })).ok,
      false,
    );

    const wrong = await completeSignUp(sql, keyring, {
      identifier: "01712345678",
      code: otherCode(code),
    });
    assert.deepEqual(
      { ok: wrong.ok, reason: !wrong.ok && wrong.reason, left: !wrong.ok && wrong.attemptsLeft },
      { ok: false, reason: "invalid_code", left: 4 },
    );
    const done = await completeSignUp(sql, keyring, { identifier: "01712345678", code });
    assert.ok(done.ok);
    assert.equal(done.user.phone, "+8801712345678");
    assert.equal(done.user.displayName, "Rahim Uddin");
    assert.equal(done.user.locale, "bn");
    assert.deepEqual(done.user.roles, ["customer"]);

    // The phone number is stored encrypted, found through its blind index.
    const [row] = await sql`select phone_enc, phone_hash from users where id = ${done.user.id}`;
    assert.match(row.phone_enc, /^v1\.1\./);
    assert.ok(!row.phone_enc.includes("1712345678") && !row.phone_hash.includes("1712345678"));

    const signIn = await authenticate(sql, keyring, {
      identifier: "8801712345678",
      password: "fresh milk daily",
      ip: IP,
    });
    assert.ok(signIn.ok);
    assert.equal(signIn.user.id, done.user.id);
    assert.equal(signIn.needsSecondFactor, false);
    assert.equal(signIn.mustEnrollSecondFactor, false);

    // The code is single use.
    const again = await completeSignUp(sql, keyring, { identifier: "01712345678", code });
    assert.equal(again.ok, false);
    assert.equal((await listAudit(sql, { action: "user.signed_up" })).total, 1);
    assert.equal((await verifyAuditChain(sql)).ok, true);
  });
});

Deno.test("sign-up by email; an identifier that has an account gets a notice, not a code", async () => {
  await withTestDb(async ({ sql }) => {
    const keyring = await testKeyring();
    const first = await startSignUp(sql, keyring, {
      identifier: " Nusrat@Example.com ",
      password: "yogurt and ghee",
      name: "Nusrat Jahan",
    });
    assert.deepEqual(first, { ok: true, channel: "email", sentTo: "nusrat@example.com" });
    const code = await lastCodeSentTo(sql, "nusrat@example.com");
    const done = await completeSignUp(sql, keyring, { identifier: "nusrat@example.com", code });
    assert.ok(done.ok);
    assert.equal(done.user.email, "nusrat@example.com");

    // Someone else tries the same address: same answer, but the owner gets a notice.
    const second = await startSignUp(sql, keyring, {
      identifier: "nusrat@example.com",
      password: "another password",
      name: "Impostor",
    });
    assert.deepEqual(second, first);
    const { rows } = await listMessages(sql, { recipient: "nusrat@example.com", limit: 1 });
    assert.equal(rows[0].template, "account_exists");
    assert.doesNotMatch(rows[0].body, /\d{6}/);
  });
});

Deno.test("sign-up: bad input is refused field by field", async () => {
  await withTestDb(async ({ sql }) => {
    const keyring = await testKeyring();
    await assert.rejects(
      () => startSignUp(sql, keyring, { identifier: "01212345678", password: "short", name: " " }),
      (e: Error) => {
        assert.ok(e instanceof ValidationError);
        assert.match(e.fieldErrors.identifier, /013 to 019/);
        assert.match(e.fieldErrors.name, /Enter a name/);
        assert.match(e.fieldErrors.password, /at least 10/);
        return true;
      },
    );
    await assert.rejects(
      () =>
        startSignUp(sql, keyring, {
          identifier: "01712345678",
          password: "01712345678",
          name: "A",
        }),
      (e: Error) => e instanceof ValidationError && "password" in e.fieldErrors,
    );
    await assert.rejects(
      () =>
        startSignUp(sql, keyring, {
          identifier: "karim@example.com",
          password: "Karim@example.com",
          name: "Karim",
        }),
      (e: Error) =>
        e instanceof ValidationError && /email address or phone/.test(e.fieldErrors.password),
    );
    assert.equal((await listMessages(sql)).total, 0);
  });
});

Deno.test("sign-up: five wrong codes use the code up; expiry; codes per hour are limited", async () => {
  await withTestDb(async ({ sql }) => {
    const keyring = await testKeyring();
    const t0 = new Date();
    const input = { identifier: "01812345678", password: "buffalo milk 7", name: "Karim" };
    await startSignUp(sql, keyring, input, { now: t0 });
    const code = await lastCodeSentTo(sql, "+8801812345678");
    const results = [];
    for (let i = 0; i < 5; i++) {
      const r = await completeSignUp(sql, keyring, {
        identifier: input.identifier,
        code: otherCode(code),
      }, { now: t0 });
      results.push(!r.ok && r.reason);
    }
    assert.deepEqual(results, [
      "invalid_code",
      "invalid_code",
      "invalid_code",
      "invalid_code",
      "too_many_attempts",
    ]);
    const right = await completeSignUp(sql, keyring, { identifier: input.identifier, code }, {
      now: t0,
    });
    assert.equal(
      !right.ok && right.reason,
      "too_many_attempts",
      "even the right code is refused now",
    );
    assert.equal((await listUsers(sql, keyring)).total, 0);

    // A new code can be asked for; after 10 minutes it has expired.
    await startSignUp(sql, keyring, input, { now: later(t0, minutes(1)) });
    const code2 = await lastCodeSentTo(sql, "+8801812345678");
    const late = await completeSignUp(sql, keyring, { identifier: input.identifier, code: code2 }, {
      now: later(t0, minutes(12)),
    });
    assert.equal(!late.ok && late.reason, "expired");

    await startSignUp(sql, keyring, input, { now: later(t0, minutes(13)) });
    const code3 = await lastCodeSentTo(sql, "+8801812345678");
    const ok = await completeSignUp(sql, keyring, { identifier: input.identifier, code: code3 }, {
      now: later(t0, minutes(14)),
    });
    assert.ok(ok.ok);

    // Three codes so far this hour; two more are allowed, then the sixth is throttled.
    const p2 = { identifier: "01912345678", password: "buffalo milk 7", name: "Karim" };
    for (let i = 0; i < 5; i++) {
      assert.equal((await startSignUp(sql, keyring, p2, { now: later(t0, minutes(i)) })).ok, true);
    }
    const sixth = await startSignUp(sql, keyring, p2, { now: later(t0, minutes(6)) });
    assert.equal(sixth.ok, false);
    if (!sixth.ok) {
      assert.equal(sixth.reason, "throttled");
      assert.equal(sixth.retryAfterSeconds, 54 * 60);
    }
    assert.equal((await listMessages(sql, { recipient: "+8801912345678" })).total, 5);
    assert.equal((await startSignUp(sql, keyring, p2, { now: later(t0, minutes(61)) })).ok, true);
  });
});

Deno.test("sign-in: unknown account and wrong password look the same", async () => {
  await withTestDb(async ({ sql }) => {
    const keyring = await testKeyring();
    const user = await makeUser(sql, keyring);
    const unknown = await authenticate(sql, keyring, {
      identifier: "nobody@example.com",
      password: PASSWORD,
      ip: IP,
    });
    const wrong = await authenticate(sql, keyring, {
      identifier: user.email!,
      password: "wrong password",
      ip: IP,
    });
    const garbage = await authenticate(sql, keyring, { identifier: "???", password: "x", ip: IP });
    assert.deepEqual(unknown, wrong);
    assert.deepEqual(garbage, wrong);
    assert.equal(!wrong.ok && wrong.reason, "invalid");
    const ok = await authenticate(sql, keyring, {
      identifier: user.email!.toUpperCase(),
      password: PASSWORD,
      ip: IP,
    });
    assert.ok(ok.ok);
    assert.ok(ok.user.lastSignInAt);
  });
});

Deno.test("sign-in: 5 failures from one address throttle it for that account for 15 minutes", async () => {
  await withTestDb(async ({ sql }) => {
    const keyring = await testKeyring();
    const user = await makeUser(sql, keyring, { phone: "01552345678" });
    const t0 = new Date();
    const attempt = (password: string, at: Date, ip = IP) =>
      authenticate(sql, keyring, { identifier: "01552-345678", password, ip, now: at });

    const reasons = [];
    for (let i = 0; i < 5; i++) {
      const r = await attempt("not my password", later(t0, i * 1000));
      reasons.push(!r.ok && r.reason);
    }
    assert.deepEqual(reasons, ["invalid", "invalid", "invalid", "invalid", "throttled"]);

    const during = await attempt(PASSWORD, later(t0, minutes(5)));
    assert.equal(!during.ok && during.reason, "throttled", "the right password waits too");
    assert.equal(
      !during.ok && during.retryAfterSeconds,
      10 * 60 + 4,
      "throttled at the 5th failure (t0+4 s) for 15 min",
    );
    // Another address (the owner's) is not held back.
    assert.ok((await attempt(PASSWORD, later(t0, minutes(5)), "198.51.100.9")).ok);
    assert.equal((await getUser(sql, keyring, user.id))!.lockedUntil, null, "no account lock");

    const after = await attempt(PASSWORD, later(t0, minutes(16)));
    assert.ok(after.ok);

    const audit = await listAudit(sql, { action: "user.sign_in_throttled", entityId: user.id });
    assert.equal(audit.total, 1);
    // Counting starts afresh for that address after a success.
    const r = await attempt("not my password", later(t0, minutes(17)));
    assert.equal(!r.ok && r.reason, "invalid");
  });
});

Deno.test("sign-in: one address failing 20 times in 15 minutes is throttled", async () => {
  await withTestDb(async ({ sql }) => {
    const keyring = await testKeyring();
    const user = await makeUser(sql, keyring);
    const t0 = new Date();
    for (let i = 0; i < 20; i++) {
      // Many different accounts: no single account reaches its lock.
      const r = await authenticate(sql, keyring, {
        identifier: `guess${i}@example.com`,
        password: "password123x",
        ip: IP,
        now: later(t0, i * 10_000),
      });
      assert.equal(!r.ok && r.reason, "invalid");
    }
    const blocked = await authenticate(sql, keyring, {
      identifier: user.email!,
      password: PASSWORD,
      ip: IP,
      now: later(t0, 200_000),
    });
    assert.equal(!blocked.ok && blocked.reason, "throttled");
    // Retry after the first of the 20 failures leaves the window.
    assert.equal(!blocked.ok && blocked.retryAfterSeconds, 15 * 60 - 200);

    const elsewhere = await authenticate(sql, keyring, {
      identifier: user.email!,
      password: PASSWORD,
      ip: "198.51.100.1",
      now: later(t0, 200_000),
    });
    assert.ok(elsewhere.ok, "another address is not affected");

    const afterWindow = await authenticate(sql, keyring, {
      identifier: user.email!,
      password: PASSWORD,
      ip: IP,
      now: later(t0, minutes(15) + 1000),
    });
    assert.ok(afterWindow.ok);
  });
});

Deno.test("sign-in: disabled accounts and admin locks; admin and accountant must enrol TOTP", async () => {
  await withTestDb(async ({ sql }) => {
    const keyring = await testKeyring();
    const admin = await makeUser(sql, keyring, { roles: ["admin"] });
    const clerk = await makeUser(sql, keyring, { roles: ["accountant"] });
    const sales = await makeUser(sql, keyring, { roles: ["sales"] });
    const a = await authenticate(sql, keyring, {
      identifier: admin.email!,
      password: PASSWORD,
      ip: IP,
    });
    assert.ok(a.ok && a.mustEnrollSecondFactor && !a.needsSecondFactor);
    const c = await authenticate(sql, keyring, {
      identifier: clerk.email!,
      password: PASSWORD,
      ip: IP,
    });
    assert.ok(c.ok && c.mustEnrollSecondFactor);
    const s = await authenticate(sql, keyring, {
      identifier: sales.email!,
      password: PASSWORD,
      ip: IP,
    });
    assert.ok(s.ok && !s.mustEnrollSecondFactor);
    assert.equal(
      (await listAudit(sql, { action: "user.signed_in" })).total,
      3,
      "staff sign-ins are audited",
    );

    await setUserStatus(sql, admin.id, sales.id, "disabled");
    const d = await authenticate(sql, keyring, {
      identifier: sales.email!,
      password: PASSWORD,
      ip: IP,
    });
    assert.equal(!d.ok && d.reason, "disabled");
    const dWrong = await authenticate(sql, keyring, {
      identifier: sales.email!,
      password: "bad password",
      ip: IP,
    });
    assert.equal(!dWrong.ok && dWrong.reason, "invalid", "no account state without the password");
    await setUserStatus(sql, admin.id, sales.id, "locked");
    const l = await authenticate(sql, keyring, {
      identifier: sales.email!,
      password: PASSWORD,
      ip: IP,
    });
    assert.equal(!l.ok && l.reason, "locked");
    await setUserStatus(sql, admin.id, sales.id, "active");
    assert.ok(
      (await authenticate(sql, keyring, { identifier: sales.email!, password: PASSWORD, ip: IP }))
        .ok,
    );

    await assert.rejects(() => setUserStatus(sql, admin.id, admin.id, "disabled"), ConflictError);
    await assert.rejects(() => setUserStatus(sql, sales.id, clerk.id, "disabled"), ForbiddenError);
  });
});

Deno.test("sign-in: a hash made with other parameters is upgraded on the next sign-in", async () => {
  await withTestDb(async ({ sql }) => {
    const keyring = await testKeyring();
    const user = await makeUser(sql, keyring);
    const [before] = await sql`select password_hash from users where id = ${user.id}`;
    assert.match(before.password_hash, /m=64,t=1/);
    Deno.env.set("ARGON2_MEMORY_KIB", "128");
    try {
      assert.ok(
        (await authenticate(sql, keyring, { identifier: user.email!, password: PASSWORD, ip: IP }))
          .ok,
      );
    } finally {
      Deno.env.set("ARGON2_MEMORY_KIB", "64");
    }
    const [after] = await sql`select password_hash from users where id = ${user.id}`;
    assert.match(after.password_hash, /m=128,t=1/);
    assert.ok(
      (await authenticate(sql, keyring, { identifier: user.email!, password: PASSWORD, ip: IP }))
        .ok,
    );
  });
});

Deno.test("sign-in by SMS code", async () => {
  await withTestDb(async ({ sql }) => {
    const keyring = await testKeyring();
    const user = await makeUser(sql, keyring, { phone: "01612345678" });
    assert.equal((await startCodeSignIn(sql, keyring, { identifier: "01612345678" })).ok, true);
    const code = await lastCodeSentTo(sql, "+8801612345678");
    const wrong = await completeCodeSignIn(sql, keyring, {
      identifier: "01612345678",
      code: otherCode(code),
      ip: IP,
    });
    assert.equal(wrong.ok, false);
    const r = await completeCodeSignIn(sql, keyring, { identifier: "01612345678", code, ip: IP });
    assert.ok(r.ok && "user" in r && r.user.id === user.id);
    // Unknown numbers: the same answer, no SMS.
    assert.equal((await startCodeSignIn(sql, keyring, { identifier: "01312345678" })).ok, true);
    assert.equal((await listMessages(sql, { recipient: "+8801312345678" })).total, 0);
  });
});

Deno.test("password reset by code: new password works, old does not, lock lifted", async () => {
  await withTestDb(async ({ sql }) => {
    const keyring = await testKeyring();
    const user = await makeUser(sql, keyring, { email: "farhana@example.com" });
    // Locked by wrong second factors (password failures from other addresses no longer lock).
    await sql`update users set locked_until = now() + interval '15 minutes' where id = ${user.id}`;
    assert.ok((await getUser(sql, keyring, user.id))!.lockedUntil);

    const start = await startPasswordReset(sql, keyring, { identifier: "Farhana@example.com" });
    assert.deepEqual(start, { ok: true, channel: "email", sentTo: "farhana@example.com" });
    const code = await lastCodeSentTo(sql, "farhana@example.com");

    await assert.rejects(
      () =>
        completePasswordReset(sql, keyring, {
          identifier: "farhana@example.com",
          code,
          newPassword: "farhana@example.com",
        }),
      ValidationError,
    );
    const wrong = await completePasswordReset(sql, keyring, {
      identifier: "farhana@example.com",
      code: otherCode(code),
      newPassword: "new pasture 2025",
    });
    assert.equal(!wrong.ok && wrong.reason, "invalid_code");
    const before = (await getUser(sql, keyring, user.id))!.passwordChangedAt;
    const done = await completePasswordReset(sql, keyring, {
      identifier: "farhana@example.com",
      code,
      newPassword: "new pasture 2025",
    });
    assert.deepEqual(done, { ok: true, userId: user.id });
    const after = (await getUser(sql, keyring, user.id))!;
    assert.ok(after.passwordChangedAt > before, "sessions from before are void");
    assert.equal(after.lockedUntil, null);
    assert.equal(
      (await authenticate(sql, keyring, {
        identifier: "farhana@example.com",
        password: PASSWORD,
        ip: IP,
      })).ok,
      false,
    );
    assert.ok(
      (await authenticate(sql, keyring, {
        identifier: "farhana@example.com",
        password: "new pasture 2025",
        ip: IP,
      })).ok,
    );

    // Unknown identifier: same answer, nothing sent.
    const ghost = await startPasswordReset(sql, keyring, { identifier: "ghost@example.com" });
    assert.deepEqual(ghost, { ok: true, channel: "email", sentTo: "ghost@example.com" });
    assert.equal((await listMessages(sql, { recipient: "ghost@example.com" })).total, 0);
    assert.equal((await listAudit(sql, { action: "user.password_reset" })).total, 1);
  });
});

Deno.test("change password: needs the current one; the owner is told", async () => {
  await withTestDb(async ({ sql }) => {
    const keyring = await testKeyring();
    const user = await makeUser(sql, keyring, { phone: "01712000111" });
    const bad = await changePassword(sql, keyring, {
      userId: user.id,
      currentPassword: "nope nope nope",
      newPassword: "dairy farm 2025",
    });
    assert.equal(!bad.ok && bad.reason, "wrong_password");
    await assert.rejects(
      () =>
        changePassword(sql, keyring, {
          userId: user.id,
          currentPassword: PASSWORD,
          newPassword: PASSWORD,
        }),
      ValidationError,
    );
    await assert.rejects(
      () =>
        changePassword(sql, keyring, {
          userId: user.id,
          currentPassword: PASSWORD,
          newPassword: "+8801712000111",
        }),
      (e: Error) => e instanceof ValidationError && /phone/.test(e.message),
    );
    assert.deepEqual(
      await changePassword(sql, keyring, {
        userId: user.id,
        currentPassword: PASSWORD,
        newPassword: "dairy farm 2025",
      }),
      { ok: true },
    );
    assert.ok(
      (await authenticate(sql, keyring, {
        identifier: "01712000111",
        password: "dairy farm 2025",
        ip: IP,
      })).ok,
    );
    const { rows } = await listMessages(sql, { recipient: "+8801712000111" });
    assert.equal(rows[0].template, "password_changed");
  });
});

Deno.test("roles: setRoles needs users.manage, is audited, and keeps one admin", async () => {
  await withTestDb(async ({ sql }) => {
    const keyring = await testKeyring();
    const admin = await makeUser(sql, keyring, { roles: ["admin"] });
    const hr = await makeUser(sql, keyring, { roles: ["hr"] });
    const worker = await makeUser(sql, keyring, { roles: ["customer"] });

    await assert.rejects(
      () => setRoles(sql, hr.id, worker.id, ["admin"]),
      (e: Error) => e instanceof ForbiddenError && /users\.manage/.test(e.message),
    );
    await assert.rejects(() => setRoles(sql, worker.id, worker.id, ["admin"]), ForbiddenError);
    assert.deepEqual((await getUser(sql, keyring, worker.id))!.roles, ["customer"]);

    assert.deepEqual(await setRoles(sql, admin.id, worker.id, ["vet", "farm_worker", "vet"]), [
      "farm_worker",
      "vet",
    ]);
    assert.deepEqual((await getUser(sql, keyring, worker.id))!.roles, ["farm_worker", "vet"]);
    const audit = await listAudit(sql, { action: "user.roles_set", entityId: worker.id });
    assert.deepEqual(audit.rows[0].data, { before: ["customer"], after: ["farm_worker", "vet"] });
    assert.equal(audit.rows[0].actorId, admin.id);

    await assert.rejects(
      () => setRoles(sql, admin.id, admin.id, ["hr"]),
      /administrator must remain/,
    );
    await assert.rejects(
      () => setRoles(sql, admin.id, worker.id, ["owner" as never]),
      ValidationError,
    );
    // A disabled admin's permissions do not count.
    await setRoles(sql, admin.id, hr.id, ["admin"]);
    await setUserStatus(sql, admin.id, hr.id, "disabled");
    await assert.rejects(() => setRoles(sql, hr.id, worker.id, ["customer"]), ForbiddenError);
  });
});

Deno.test("users: create validates and refuses duplicates; the admin list filters", async () => {
  await withTestDb(async ({ sql }) => {
    const keyring = await testKeyring();
    await createUser(sql, keyring, {
      email: "karim@example.com",
      phone: "01711000001",
      displayName: "Abdul Karim",
      password: PASSWORD,
      roles: ["customer"],
    });
    await createUser(sql, keyring, {
      email: "vet@smartdairy.test",
      displayName: "Dr. Mahmuda",
      password: PASSWORD,
      roles: ["vet"],
    });
    await createUser(sql, keyring, {
      phone: "01811000002",
      displayName: "Rahima Begum",
      password: PASSWORD,
      locale: "bn",
    });
    await assert.rejects(
      () =>
        createUser(sql, keyring, {
          email: "KARIM@example.com",
          displayName: "X",
          password: PASSWORD,
        }),
      (e: Error) => e instanceof ConflictError && e.field === "email",
    );
    await assert.rejects(
      () =>
        createUser(sql, keyring, { phone: "+8801711000001", displayName: "X", password: PASSWORD }),
      (e: Error) => e instanceof ConflictError && e.field === "phone",
    );
    await assert.rejects(
      () => createUser(sql, keyring, { displayName: "X", password: PASSWORD }),
      (e: Error) => e instanceof ValidationError && /email or a phone/.test(e.fieldErrors.email),
    );

    assert.equal((await listUsers(sql, keyring)).total, 3);
    assert.deepEqual((await listUsers(sql, keyring, { staff: true })).rows.map((u) => u.email), [
      "vet@smartdairy.test",
    ]);
    assert.equal((await listUsers(sql, keyring, { staff: false })).total, 2);
    assert.equal((await listUsers(sql, keyring, { role: "vet" })).total, 1);
    const byPhone = await listUsers(sql, keyring, { q: "01811-000002" });
    assert.deepEqual(byPhone.rows.map((u) => [u.displayName, u.phone]), [[
      "Rahima Begum",
      "+8801811000002",
    ]]);
    assert.equal(
      (await listUsers(sql, keyring, { q: "karim" })).rows[0].email,
      "karim@example.com",
    );
    assert.equal(
      (await listUsers(sql, keyring, { q: "100%_" })).total,
      0,
      "LIKE wildcards are literal",
    );
    const page = await listUsers(sql, keyring, { limit: 2, offset: 2 });
    assert.deepEqual([page.rows.length, page.total], [1, 3]);
  });
});

Deno.test("users: phone numbers move to a new key and stay searchable", async () => {
  await withTestDb(async ({ sql }) => {
    const k1 = generateFieldKey();
    const old = await createKeyring([{ id: 1, key: k1 }]);
    await createUser(sql, old, { phone: "01911000003", displayName: "Tanvir", password: PASSWORD });
    const rotated = await createKeyring([{ id: 1, key: k1 }, { id: 2, key: generateFieldKey() }]);
    assert.deepEqual(await reencryptUserFields(sql, rotated), { updated: 1 });
    assert.deepEqual(await reencryptUserFields(sql, rotated), { updated: 0 });
    const [row] = await sql`select phone_enc from users`;
    assert.match(row.phone_enc, /^v1\.2\./);
    const r = await authenticate(sql, rotated, {
      identifier: "01911000003",
      password: PASSWORD,
      ip: IP,
    });
    assert.ok(r.ok && r.user.phone === "+8801911000003");
  });
});
