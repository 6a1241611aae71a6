/**
 * A posting that waits for its period's lock while the period is being closed is refused once
 * the close commits (the insert re-reads the period after the lock; the first look read it
 * before). Needs a server: two connections at once.
 */
import { deepStrictEqual as equal, rejects } from "node:assert/strict";
import { testDatabaseUrl, withTestDb } from "../helpers/db.ts";
import { AccountingError } from "@/services/accounting/mod.ts";
import { count, ledgerOn, post, sale } from "./_helpers.ts";

Deno.test({
  name: "a posting waiting on a period being closed is refused when the close commits",
  ignore: !testDatabaseUrl(),
  fn: async () => {
    await withTestDb(async (db) => {
      const sql = db.sql;
      const a = ledgerOn(sql);
      await post(a, sql, sale(100)); // the year and its periods
      const [p] = await sql<{ id: number }[]>`
        select id from acc_periods where starts_on = '2026-12-01'`;
      let release = () => {};
      const held = new Promise<void>((r) => (release = r));
      let locked = () => {};
      const isLocked = new Promise<void>((r) => (locked = r));
      // The close, as setPeriodStatus does it: the month's lock exclusive, then the status.
      const closer = sql.begin(async (tx) => {
        await tx`select pg_advisory_xact_lock(13013, 202612)`;
        await tx`update acc_periods set status = 'closed' where id = ${p.id}`;
        locked();
        await held;
      });
      await isLocked;
      const posting = sql.begin((tx) => a.poster.post(tx, sale(200)));
      await new Promise((r) => setTimeout(r, 300)); // the poster waits for the lock
      release();
      await closer;
      await rejects(
        posting,
        (e: unknown) => e instanceof AccountingError && e.code === "period_closed",
      );
      equal(await count(sql, "acc_entries"), 1);
    });
  },
});
