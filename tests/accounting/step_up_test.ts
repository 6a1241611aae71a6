/**
 * Closing and reopening a period are sensitive operations (docs/security.md, 3.7.1): the POST
 * needs accounting.manage and a second factor at most 5 minutes old in this session; otherwise
 * it answers 303 to /account/step-up and nothing changes.
 */
import { deepStrictEqual as equal, match } from "node:assert/strict";
import { totpCode } from "@/services/identity/totp.ts";
import {
  accountantWithTotp,
  Browser,
  makeUser,
  minutes,
  PASSWORD,
  signIn,
  withTestApp,
} from "@/tests/identity/_web.ts";

Deno.test("step-up: closing a period needs a second factor at most 5 minutes old", async () => {
  await withTestApp(async (t) => {
    const sql = t.db.sql;
    const { b, clock, secret } = await accountantWithTotp(t);
    const page = "/admin/accounting/periods";
    const [year] = await t.deps.accounting.listPeriods();
    const [jul, aug] = year.periods;
    const status = async (id: number) =>
      (await t.deps.accounting.listPeriods()).flatMap((y) => y.periods).find((p) => p.id === id)!
        .status;
    const send = async (fields: Record<string, string>) => {
      await b.get(page);
      return await b.post(page, fields);
    };

    // Six minutes after enrolment: refused, sent to the step-up page, nothing changed.
    clock.advance(minutes(6));
    const stale = await send({ action: "close", periodId: String(jul.id) });
    equal(stale.status, 303);
    const location = stale.headers.get("location")!;
    equal(location, `/account/step-up?next=${encodeURIComponent(page)}`);
    equal(await status(jul.id), "open");

    // After the step-up the close goes through, and is audited.
    equal((await b.get(location)).status, 200);
    match(b.html, /Confirm it is you/);
    const up = await b.post("/account/step-up", {
      next: page,
      code: totpCode(secret, new Date(clock.now())),
    });
    equal(up.status, 303);
    equal(up.headers.get("location"), page);
    const done = await send({ action: "close", periodId: String(jul.id) });
    equal(done.status, 303);
    match(done.headers.get("location")!, /done=closed/);
    equal(await status(jul.id), "closed");
    await b.get(done.headers.get("location")!);
    match(b.html, new RegExp(`Period ${jul.startsOn.slice(0, 7)} closed`));
    const [audit] = await sql`
      select actor_id, data from audit_log where action = 'accounting.period.close'`;
    equal(audit.data.month, jul.startsOn.slice(0, 7));

    // Reopening within the 5 minutes: allowed (with a reason).
    clock.advance(minutes(2));
    equal((await send({ action: "reopen", periodId: String(jul.id), reason: "" })).status, 422);
    match(b.html, /Say why the period is reopened/);
    equal(
      (await send({ action: "reopen", periodId: String(jul.id), reason: "late bill" })).status,
      303,
    );
    equal(await status(jul.id), "open");

    // Past five minutes since the step-up: refused again, for close and reopen alike.
    clock.advance(minutes(3) + 1000);
    const again = await send({ action: "close", periodId: String(aug.id) });
    equal(again.status, 303);
    equal(again.headers.get("location"), location);
    equal(await status(aug.id), "open");
    const [{ n }] = await sql`
      select count(*)::int as n from audit_log where action like 'accounting.period.%'`;
    equal(n, 2);
  });
});

Deno.test("step-up: people without accounting.manage cannot close a period at all", async () => {
  await withTestApp(async (t) => {
    await makeUser(t.db.sql, t.deps.keyring, { email: "sales@example.com", roles: ["sales"] });
    const b = new Browser(t);
    await signIn(b, "sales@example.com", PASSWORD);
    const [year] = await t.deps.accounting.listPeriods();
    await b.get("/admin/accounting/reports/trial-balance");
    const res = await b.post("/admin/accounting/periods", {
      action: "close",
      periodId: String(year.periods[0].id),
    });
    equal(res.status, 403);
  });
});
