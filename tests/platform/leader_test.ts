/**
 * Schedulers on several instances: one leader through a PostgreSQL advisory lock, a successor when
 * it dies, and daily jobs claimed per Asia/Dhaka day in the database (so a second instance, a
 * restart or a new leader never runs a day's job twice).
 */
import { deepStrictEqual as assertEquals, ok, rejects } from "node:assert/strict";
import postgres from "postgres";
import { withEmptyDb, withTestDb } from "@/tests/helpers/db.ts";
import { runAsLeader } from "@/services/platform/leader.ts";
import { oncePerDay } from "@/workers/schedulers.ts";
import type { Database } from "@/services/platform/db.ts";

const until = async (cond: () => boolean, ms = 10_000) => {
  const end = performance.now() + ms;
  while (!cond()) {
    if (performance.now() > end) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 20));
  }
};

Deno.test("leader: two schedulers on one database run the jobs on one; the other takes over when it dies", async () => {
  await withEmptyDb(async (db, url) => {
    if (!url) {
      // The embedded database serves one process: its one instance leads at once.
      const runs: string[] = [];
      const one = runAsLeader(db, "schedulers", () => {
        runs.push("started");
        return { stop: () => Promise.resolve(void runs.push("stopped")) };
      });
      await until(() => one.isLeader());
      await one.stop();
      assertEquals(runs, ["started", "stopped"]);
      return;
    }
    // Two instances: two pools on the same database, as two processes would have.
    const pools = [
      postgres(url, { max: 3, onnotice: () => {} }),
      postgres(url, { max: 3, onnotice: () => {} }),
    ];
    const instances: Database[] = pools.map((sql) => ({
      sql,
      kind: "server",
      close: () => sql.end(),
    }));
    let running = 0;
    const started: number[] = [];
    const leaders = instances.map((inst, i) =>
      runAsLeader(inst, "schedulers", () => {
        started.push(i);
        running++;
        return { stop: () => Promise.resolve(void running--) };
      }, { retryMs: 100, log: () => {}, databaseUrl: url })
    );
    try {
      await until(() => started.length === 1);
      await new Promise((r) => setTimeout(r, 500)); // several rounds: the other stays a standby
      assertEquals(started.length, 1, "one instance runs the jobs");
      const first = started[0];
      ok(leaders[first].isLeader() && !leaders[1 - first].isLeader());

      // The leader's database session dies (its process was killed): the lock goes with it.
      await db.sql`select pg_terminate_backend(pid) from pg_locks
        where locktype = 'advisory' and classid = ${0x5344} and granted`;
      await until(() => leaders[1 - first].isLeader());
      await until(() => !leaders[first].isLeader());
      assertEquals(started, [first, 1 - first], "the standby took over");
      assertEquals(running, 1);
    } finally {
      await Promise.all(leaders.map((l) => l.stop()));
      await Promise.all(pools.map((p) => p.end({ timeout: 1 })));
    }
  });
});

Deno.test("schedulers: a daily job claimed in the database runs once a Dhaka day across instances, again after a failure", async () => {
  await withTestDb(async (db) => {
    let at = new Date("2026-12-07T17:00:00Z"); // 23:00 in Dhaka
    const clock = { now: () => at };
    let runs = 0;
    let fail = false;
    const job = () => {
      if (fail) return Promise.reject(new Error("mail server down"));
      runs++;
      return Promise.resolve();
    };
    // Two instances (or a restarted one, or a new leader): each its own step, one database.
    const a = oncePerDay(clock, job, { sql: db.sql, job: "expiry_alerts" });
    const b = oncePerDay(clock, job, { sql: db.sql, job: "expiry_alerts" });
    await a();
    await b();
    await a();
    assertEquals(runs, 1, "once on the day, whichever instance asks");

    at = new Date("2026-12-07T18:30:00Z"); // 00:30 the next day in Dhaka
    fail = true;
    await rejects(b);
    fail = false;
    await a(); // the failed claim was given back: the other instance runs it
    await b();
    assertEquals(runs, 2, "the next day once, after the failed try");
    const days = await db.sql`select day::text, finished_at is not null as done
      from platform_job_days where job = 'expiry_alerts' order by day`;
    assertEquals(days.map((d) => [d.day, d.done]), [["2026-12-07", true], ["2026-12-08", true]]);
  });
});
