/**
 * A property of the ledger: whatever sequence of balanced postings, repeated events, refused
 * unbalanced postings and reversals arrives, every entry in the database balances, every
 * reversal mirrors its original, and the trial balance sums to zero (debits = credits).
 */
import { deepStrictEqual as equal, ok } from "node:assert/strict";
import fc from "fast-check";
import { withTestDb } from "../helpers/db.ts";
import { AccountingError, type Posting } from "@/services/accounting/mod.ts";
import { actor, ledgerOn } from "./_helpers.ts";

const ACCOUNTS = [
  "1110",
  "1120",
  "1151",
  "1160",
  "1162",
  "1210",
  "1340",
  "2110",
  "2310",
  "4110",
  "4200",
  "5100",
  "5200",
];
const DATES = ["2026-07-01", "2026-09-15", "2026-12-07", "2027-03-31", "2027-06-30"];

type Step =
  | { kind: "post"; debits: number[]; credits: number; accounts: number[]; date: number }
  | { kind: "repeat"; which: number }
  | { kind: "unbalanced"; amount: number }
  | { kind: "reverse"; which: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant("post" as const),
      debits: fc.array(fc.integer({ min: 1, max: 50_000_000 }), { minLength: 1, maxLength: 3 }),
      credits: fc.integer({ min: 1, max: 3 }),
      accounts: fc.array(fc.nat(ACCOUNTS.length - 1), { minLength: 6, maxLength: 6 }),
      date: fc.nat(DATES.length - 1),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("repeat" as const), which: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("unbalanced" as const),
      amount: fc.integer({ min: 2, max: 1_000_000 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("reverse" as const), which: fc.nat() }) },
);

Deno.test("property: any run of balanced postings and reversals keeps every entry and the trial balance balanced", async () => {
  await withTestDb(async (db) => {
    const sql = db.sql;
    const a = ledgerOn(sql);
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), async (steps) => {
        run++;
        const posted: Posting[] = [];
        const ids: number[] = [];
        for (const [i, s] of steps.entries()) {
          if (s.kind === "post") {
            const total = s.debits.reduce((x, y) => x + y, 0);
            const m = Math.min(s.credits, total);
            const credits = Array.from(
              { length: m },
              (_, k) => k < m - 1 ? Math.floor(total / m) : total - Math.floor(total / m) * (m - 1),
            );
            const p: Posting = {
              source: "prop",
              sourceRef: `${run}-${i}`,
              date: DATES[s.date],
              journal: "GENERAL",
              lines: [
                ...s.debits.map((d, k) => ({ account: ACCOUNTS[s.accounts[k]], debitMinor: d })),
                ...credits.map((c, k) => ({
                  account: ACCOUNTS[s.accounts[3 + k]],
                  creditMinor: c,
                })),
              ],
            };
            const e = await sql.begin((tx) => a.poster.post(tx, p));
            ok(e.created);
            posted.push(p);
            ids.push(e.id);
          } else if (s.kind === "repeat" && posted.length > 0) {
            const k = s.which % posted.length;
            const e = await sql.begin((tx) => a.poster.post(tx, posted[k]));
            equal([e.id, e.created], [ids[k], false]);
          } else if (s.kind === "unbalanced") {
            const before = await sql`select count(*)::int as n from acc_entries`;
            await sql.begin((tx) =>
              a.poster.post(tx, {
                source: "prop",
                sourceRef: `${run}-${i}-bad`,
                date: DATES[0],
                journal: "GENERAL",
                lines: [
                  { account: "1110", debitMinor: s.amount },
                  { account: "4110", creditMinor: s.amount - 1 },
                ],
              })
            ).then(
              () => Promise.reject(new Error("an unbalanced posting went through")),
              (e) => ok(e instanceof AccountingError && e.code === "unbalanced"),
            );
            const after = await sql`select count(*)::int as n from acc_entries`;
            equal(after[0].n, before[0].n);
          } else if (s.kind === "reverse" && ids.length > 0) {
            const id = ids[s.which % ids.length];
            const e = (await a.getEntry(id))!;
            if (e.reversedBy !== null) continue;
            const r = await a.reverseEntry(id, { date: "2026-12-07" }, actor);
            const rev = (await a.getEntry(r.id))!;
            equal(
              rev.lines.map((l) => [l.accountCode, l.creditMinor, l.debitMinor]),
              e.lines.map((l) => [l.accountCode, l.debitMinor, l.creditMinor]),
            );
            ids.push(r.id);
          }
        }
        // Every entry balances, line by line, in the database.
        const bad = await sql`
          select e.id from acc_entries e join acc_entry_lines l on l.entry_id = e.id
           group by e.id, e.debit_total_minor
          having sum(l.debit_minor) <> sum(l.credit_minor) or sum(l.debit_minor) <> e.debit_total_minor`;
        equal(bad.length, 0);
        const tb = await a.trialBalance({ from: "2026-07-01", to: "2027-06-30" });
        equal(tb.totals.debitMinor, tb.totals.creditMinor);
        equal(tb.totals.closingMinor, 0);
        equal(tb.totals.openingMinor, 0);
        // The daily totals agree with the lines they summarise.
        const [agree] = await sql`
          select (select coalesce(sum(debit_minor), 0) from acc_daily_totals) +
                 (select coalesce(sum(debit_minor), 0) from acc_daily_deltas) =
                 (select coalesce(sum(debit_minor), 0) from acc_entry_lines) as ok`;
        ok(agree.ok);
      }),
      { numRuns: 12, seed: 20261207 },
    );
  });
});
