/**
 * The ledger (accounting): balanced 3-line postings per second from concurrent writers through
 * the posting port (each transaction checks the period, the accounts and idempotency, inserts the
 * entries and lines, and the database checks every entry's balance at commit and adds the lines
 * to the daily totals), against a baseline in the same run: the same rows inserted into plain
 * tables without any rule. Then the trial balance over two years of seeded postings (from the
 * daily totals), against the same report summed from the lines. On PostgreSQL: TEST_DATABASE_URL,
 * else a server on 127.0.0.1:5432 if one answers; without a server the figures are left out.
 *
 *   deno task bench --only ledger          LEDGER_SEED=300000 (postings over two years)
 */
import { withTestDb } from "../helpers/db.ts";
import { createAccounting, type Posting } from "@/services/accounting/mod.ts";
import type { Sql } from "@/services/platform/db.ts";
import { addDays } from "@/services/platform/dhaka.ts";
import { type Figure, figure } from "./harness.ts";
import { serverUrl, widerPool } from "./pg_server.ts";

const START = "2024-07-01"; // two fiscal years: 2024-25 and 2025-26
const DAYS = 730;
const PAIRS: [string, string][] = [
  ["1160", "4110"],
  ["1161", "4110"],
  ["1162", "4120"],
  ["1120", "4110"],
  ["1210", "4120"],
];

/** A sale of `n` poisha paid by wallet: wallet debit, sales and VAT credits (3 lines). */
function sale(ref: string, date: string, i: number): Posting {
  const [debit, credit] = PAIRS[i % PAIRS.length];
  const net = 1_000 + (i % 997) * 100;
  const vat = Math.round(net * 0.15);
  return {
    source: "bench.sale",
    sourceRef: ref,
    date,
    journal: "SALES",
    lines: [
      { account: debit, debitMinor: net + vat },
      { account: credit, creditMinor: net },
      { account: "2310", creditMinor: vat },
    ],
  };
}

/** `writers` loops of transactions for `seconds`; returns postings per second. */
async function rate(
  writers: number,
  seconds: number,
  one: (w: number, k: number) => Promise<number>,
): Promise<number> {
  let done = 0;
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(Array.from({ length: writers }, async (_, w) => {
    for (let k = 0; performance.now() < until; k++) {
      // Not `done += await one(…)`: that reads `done` before the await, and the concurrent
      // writers' additions made meanwhile were lost (the figures were about 1/writers too low).
      const n = await one(w, k);
      done += n;
    }
  }));
  return done / ((performance.now() - started) / 1000);
}

async function median(n: number, fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[Math.floor(n / 2)];
}

export async function benchLedger(
  opts: { seconds?: number; seed?: number } = {},
): Promise<Figure[]> {
  const seconds = opts.seconds ?? 6;
  const seed = opts.seed ?? Number(Deno.env.get("LEDGER_SEED") ?? 300_000);
  const url = await serverUrl();
  if (!url) {
    console.error("ledger: the figures need PostgreSQL (set TEST_DATABASE_URL)");
    return [];
  }
  Deno.env.set("TEST_DATABASE_URL", url);
  return await withTestDb(async (db) => {
    const pool = widerPool(db.sql, 16);
    const sql = pool ?? db.sql;
    // The same database with commits that do not wait for the WAL flush: the CPU's figure.
    const fast = widerPool(db.sql, 4, true) ?? sql;
    try {
      const clock = { now: () => new Date("2026-06-30T06:00:00Z") };
      const acc = createAccounting({ sql, clock });
      const accFast = createAccounting({ sql: fast, clock });
      const out: Figure[] = [];
      await sql`create unlogged table bench_entries (id bigserial primary key, journal text,
                  entry_date date, source text, source_ref text, memo text, line_count smallint,
                  debit_total_minor bigint, credit_total_minor bigint)`;
      await sql`create unlogged table bench_lines (entry_id bigint, line_no smallint,
                  account text, debit_minor bigint, credit_minor bigint)`;
      const today = "2026-06-30";
      // The baseline: the same rows in plain tables, no rules, same batching.
      const plain = (batch: number, on: Sql) => (w: number, k: number) =>
        on.begin(async (tx) => {
          const ps = Array.from({ length: batch }, (_, j) => sale(`p${w}-${k}-${j}`, today, j));
          const ids = await tx<{ id: string }[]>`
            insert into bench_entries (journal, entry_date, source, source_ref, memo, line_count,
                                       debit_total_minor, credit_total_minor)
            select 'SALES', ${today}::date, source, ref, '', 3, t, t
              from unnest(${ps.map((p) => p.source)}::text[], ${ps.map((p) => p.sourceRef)}::text[],
                          ${ps.map((p) => p.lines[0].debitMinor!)}::bigint[]) as x(source, ref, t)
            returning id`;
          const lines = ps.flatMap((p, j) =>
            p.lines.map((
              l,
              n,
            ) => [ids[j].id, n + 1, l.account, l.debitMinor ?? 0, l.creditMinor ?? 0])
          );
          await tx`insert into bench_lines select * from unnest(
            ${lines.map((l) => l[0])}::bigint[], ${lines.map((l) => l[1])}::smallint[],
            ${lines.map((l) => l[2])}::text[], ${lines.map((l) => l[3])}::bigint[],
            ${lines.map((l) => l[4])}::bigint[])`;
          return batch;
        });
      let run = 0;
      const ledger = (batch: number, on: Sql) => {
        const a = on === sql ? acc : accFast;
        const r = ++run;
        return (w: number, k: number) =>
          on.begin(async (tx) => {
            const ps = Array.from(
              { length: batch },
              (_, j) => sale(`l${r}-${w}-${k}-${j}`, today, j),
            );
            if (batch === 1) await a.poster.post(tx, ps[0]);
            else await a.poster.postMany(tx, ps);
            return batch;
          });
      };
      // The first figure is the goal's (issue 13: 20,000/s from concurrent writers): 4 writers,
      // each committing batches of 500 postings (postMany), every commit waiting for its WAL
      // flush. The others show what smaller transactions cost.
      const runs: [number, number, Sql, string][] = [
        [4, 500, sql, "500_per_tx_4_writers"],
        [4, 100, sql, "100_per_tx_4_writers"],
        [16, 1, sql, "1_per_tx_16_writers"],
        [4, 100, fast, "100_per_tx_4_writers_async_commit"],
      ];
      for (const [writers, batch, on, name] of runs) {
        await rate(writers, 0.5, ledger(batch, on)); // warm up
        const base = await rate(writers, seconds / 2, plain(batch, on));
        const mine = await rate(writers, seconds / 2, ledger(batch, on));
        out.push(figure(`ledger.postings_3_lines_${name}`, mine, "postings/s", base));
      }
      // Two years of postings (spread over every day), posted in batches by 8 writers.
      const t0 = performance.now();
      const perBatch = 1_000;
      let next = 0;
      await Promise.all(Array.from({ length: 4 }, async () => {
        while (next < seed) {
          const from = next;
          next += perBatch;
          const n = Math.min(perBatch, seed - from);
          await fast.begin((tx) =>
            accFast.poster.postMany(
              tx,
              Array.from({ length: n }, (_, j) => {
                const i = from + j;
                return sale(`s${i}`, addDays(START, Math.floor((i / seed) * DAYS)), i);
              }),
            )
          );
        }
      }));
      const seedSecs = (performance.now() - t0) / 1000;
      out.push(
        figure("ledger.seed_1000_per_tx_4_writers_async_commit", seed / seedSecs, "postings/s"),
      );
      // Journal numbers are given after commit by one numbering step (journal_numbers.ts):
      // how fast it catches up with everything posted above.
      const n0 = performance.now();
      const numbered = await acc.numberEntries();
      out.push(
        figure(
          "ledger.journal_numbers_given_after_commit",
          numbered / ((performance.now() - n0) / 1000),
          "entries/s",
        ),
      );
      await sql`analyze`;
      const [{ n }] = await sql<{ n: number }[]>`select count(*)::int as n from acc_entries`;
      const range = { from: START, to: addDays(START, DAYS - 1) };
      const tb = await acc.trialBalance(range);
      if (tb.totals.closingMinor !== 0 || tb.totals.debitMinor !== tb.totals.creditMinor) {
        throw new Error("the trial balance does not sum to zero");
      }
      const fromLines = () =>
        sql`select account_id,
                   sum(debit_minor - credit_minor) filter (where entry_date < ${range.from}::date),
                   sum(debit_minor) filter (where entry_date >= ${range.from}::date),
                   sum(credit_minor) filter (where entry_date >= ${range.from}::date)
              from acc_entry_lines where entry_date <= ${range.to}::date group by account_id`;
      const base = await median(3, fromLines);
      const full = await median(9, () => acc.trialBalance(range));
      out.push(figure(`ledger.trial_balance_2_years_${n}_entries`, full, "ms", base));
      const month = {
        from: "2026-01-01",
        to: "2026-01-31",
        compareFrom: "2025-01-01",
        compareTo: "2025-01-31",
      };
      out.push(
        figure(
          "ledger.trial_balance_month_with_comparison",
          await median(9, () => acc.trialBalance(month)),
          "ms",
        ),
      );
      const wallet = (await acc.accountByCode("1160"))!;
      out.push(
        figure(
          "ledger.general_ledger_one_account_one_month",
          await median(5, () => acc.generalLedger(wallet.id, "2026-01-01", "2026-01-31")),
          "ms",
        ),
      );
      return out;
    } finally {
      await pool?.end({ timeout: 5 });
      if (fast !== sql) await fast.end({ timeout: 5 });
    }
  });
}

if (import.meta.main) {
  for (const f of await benchLedger()) console.log(JSON.stringify(f));
}
