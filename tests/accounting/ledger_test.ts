/**
 * The ledger's rules (issue 13 §1): the database refuses an unbalanced entry at commit, posted
 * entries never change (reversals instead), a repeated event posts once inside the caller's
 * transaction, closed periods take no postings, and the trial balance sums to zero.
 */
import { deepStrictEqual as equal, match, ok, rejects } from "node:assert/strict";
import { withTestDb } from "../helpers/db.ts";
import { AccountingError } from "@/services/accounting/mod.ts";
import { actor, count, ledgerOn, NOW, post, sale, TODAY } from "./_helpers.ts";

const code = (c: string) => (e: unknown) => e instanceof AccountingError && e.code === c;

Deno.test("the database refuses, at commit, a hand-written entry whose lines do not balance", async () => {
  await withTestDb(async (db) => {
    const sql = db.sql;
    const accounts = await sql<{ id: number; code: string }[]>`
      select id, code from acc_accounts where code in ('1110', '4110') order by code`;
    const [cash, sales] = accounts.map((a) => a.id);
    let afterInserts = false;
    await rejects(
      sql.begin(async (tx) => {
        const [e] = await tx`
          insert into acc_entries (journal, entry_date, source, source_ref, line_count,
                                   debit_total_minor, credit_total_minor)
          values ('GENERAL', ${TODAY}, 'manual', 'hand-1', 2, 10000, 10000) returning id`;
        await tx`insert into acc_entry_lines (entry_id, line_no, line_count, entry_date,
                                              account_id, debit_minor)
                 values (${e.id}, 1, 2, ${TODAY}, ${cash}, 10000)`;
        await tx`insert into acc_entry_lines (entry_id, line_no, line_count, entry_date,
                                              account_id, credit_minor)
                 values (${e.id}, 2, 2, ${TODAY}, ${sales}, 9999)`;
        // Every statement went through: only the commit refuses.
        afterInserts = true;
      }),
      (e: Error) => /does not balance/.test(e.message),
    );
    ok(afterInserts, "the inserts themselves were accepted; the commit was refused");
    equal(await count(sql, "acc_entries"), 0);
    equal(await count(sql, "acc_entry_lines"), 0);

    // A header without its lines, or with fewer lines than it says, is refused the same way.
    await rejects(
      sql`insert into acc_entries (journal, entry_date, source, source_ref, line_count,
                                   debit_total_minor, credit_total_minor)
          values ('GENERAL', ${TODAY}, 'manual', 'hand-2', 2, 500, 500)`,
      /does not balance/,
    );
    // Totals that differ on the header are refused at once.
    await rejects(
      sql`insert into acc_entries (journal, entry_date, source, source_ref, line_count,
                                   debit_total_minor, credit_total_minor)
          values ('GENERAL', ${TODAY}, 'manual', 'hand-3', 2, 500, 400)`,
      /check constraint/,
    );
    // Lines must name accounts that exist (checked with the balance), and accounts never go.
    await rejects(
      sql.begin(async (tx) => {
        const [e] = await tx`
          insert into acc_entries (journal, entry_date, source, source_ref, line_count,
                                   debit_total_minor, credit_total_minor)
          values ('GENERAL', ${TODAY}, 'manual', 'hand-5', 2, 100, 100) returning id`;
        await tx`insert into acc_entry_lines (entry_id, line_no, line_count, entry_date,
                                              account_id, debit_minor, credit_minor)
                 values (${e.id}, 1, 2, ${TODAY}, ${cash}, 100, 0),
                        (${e.id}, 2, 2, ${TODAY}, 987654, 0, 100)`;
      }),
      /names an account that does not exist/,
    );
    await rejects(sql`delete from acc_accounts where code = '1130'`, /never deleted/);
    // The same entry, balanced, commits.
    await sql.begin(async (tx) => {
      const [e] = await tx`
        insert into acc_entries (journal, entry_date, source, source_ref, line_count,
                                 debit_total_minor, credit_total_minor)
        values ('GENERAL', ${TODAY}, 'manual', 'hand-4', 2, 10000, 10000) returning id`;
      await tx`insert into acc_entry_lines (entry_id, line_no, line_count, entry_date, account_id,
                                            debit_minor, credit_minor)
               values (${e.id}, 1, 2, ${TODAY}, ${cash}, 10000, 0),
                      (${e.id}, 2, 2, ${TODAY}, ${sales}, 0, 10000)`;
    });
    equal(await count(sql, "acc_entries"), 1);
  });
});

Deno.test("posted entries and their lines cannot be changed, deleted or added to", async () => {
  await withTestDb(async (db) => {
    const sql = db.sql;
    const a = ledgerOn(sql);
    const e = await post(a, sql, sale(12_500));
    await rejects(sql`update acc_entry_lines set debit_minor = 1 where entry_id = ${e.id}`, {
      message: /cannot be changed or deleted/,
    });
    await rejects(sql`update acc_entries set memo = 'x' where id = ${e.id}`, /cannot be changed/);
    await rejects(sql`delete from acc_entry_lines where entry_id = ${e.id}`, /cannot be changed/);
    await rejects(sql`delete from acc_entries where id = ${e.id}`, /cannot be changed/);
    await rejects(sql`truncate acc_entry_lines`, /cannot be changed/);
    const [cash] = await sql`select id from acc_accounts where code = '1110'`;
    // A third line cannot join the entry: its line_count says two.
    await rejects(
      sql`insert into acc_entry_lines (entry_id, line_no, line_count, entry_date, account_id,
                                       debit_minor)
          values (${e.id}, 3, 2, ${TODAY}, ${cash.id}, 100)`,
      /check constraint/,
    );
    await rejects(
      sql`insert into acc_entry_lines (entry_id, line_no, line_count, entry_date, account_id,
                                       debit_minor)
          values (${e.id}, 3, 3, ${TODAY}, ${cash.id}, 100)`,
      /does not match a journal entry/,
    );
    const got = (await a.getEntry(e.id))!;
    equal(got.lines.map((l) => [l.accountCode, l.debitMinor, l.creditMinor]), [
      ["1110", 12_500, 0],
      ["4110", 0, 12_500],
    ]);
  });
});

Deno.test("a reversal posts the mirror entry, linked to the original, and only once", async () => {
  await withTestDb(async (db) => {
    const sql = db.sql;
    const a = ledgerOn(sql);
    const e = await post(a, sql, {
      ...sale(0),
      lines: [
        { account: "1160", debitMinor: 11_500, partnerRef: "customer:42" },
        { account: "4110", creditMinor: 10_000 },
        { account: "2310", creditMinor: 1_500, memo: "VAT 15 %" },
      ],
    });
    const r = await a.reverseEntry(e.id, { date: "2026-12-08" }, actor);
    ok(r.created);
    const rev = (await a.getEntry(r.id))!;
    equal(rev.reversalOf, e.id);
    equal(rev.date, "2026-12-08");
    equal(rev.lines.map((l) => [l.accountCode, l.debitMinor, l.creditMinor, l.partnerRef]), [
      ["1160", 0, 11_500, "customer:42"],
      ["4110", 10_000, 0, null],
      ["2310", 1_500, 0, null],
    ]);
    equal((await a.getEntry(e.id))!.reversedBy, r.id);
    await rejects(a.reverseEntry(e.id, {}, actor), code("already_reversed"));
    // The two cancel out in the trial balance.
    const tb = await a.trialBalance({ from: "2026-12-01", to: "2026-12-31" });
    ok(tb.rows.every((row) => row.closingMinor === 0));
    equal(tb.totals.debitMinor, 23_000);
    const [audit] = await sql`select data from audit_log where action = 'accounting.entry.reverse'`;
    equal(audit.data.reversal, r.id);
    await rejects(a.reverseEntry(999_999, {}, actor), code("entry_unknown"));
  });
});

Deno.test("a repeated event posts once, and the entry commits or rolls back with the caller", async () => {
  await withTestDb(async (db) => {
    const sql = db.sql;
    const a = ledgerOn(sql);
    const p = sale(5_000, { source: "shop.order", sourceRef: "SO-2026-0001" });
    const first = await post(a, sql, p);
    ok(first.created);
    const again = await post(a, sql, { ...p, memo: "delivered twice by the outbox" });
    equal(again, { ...first, created: false });
    equal(await count(sql, "acc_entries"), 1);
    // Ten deliveries of the same event at once: one entry.
    const other = sale(7_000, { source: "shop.order", sourceRef: "SO-2026-0002" });
    const all = await Promise.all(Array.from({ length: 10 }, () => post(a, sql, other)));
    equal(new Set(all.map((x) => x.id)).size, 1);
    equal(all.filter((x) => x.created).length, 1);
    equal(await count(sql, "acc_entries"), 2);
    // The caller's transaction fails after posting: the entry goes with it.
    await rejects(
      sql.begin(async (tx) => {
        await a.poster.post(tx, sale(9_000, { sourceRef: "rolled-back" }));
        throw new Error("the caller's own step failed");
      }),
      /own step failed/,
    );
    equal(await count(sql, "acc_entries"), 2);
  });
});

Deno.test("the poster refuses unbalanced lines, unknown, heading and inactive accounts", async () => {
  await withTestDb(async (db) => {
    const sql = db.sql;
    const a = ledgerOn(sql);
    const bad = sale(100);
    await rejects(
      post(a, sql, { ...bad, lines: [bad.lines[0], { account: "4110", creditMinor: 99 }] }),
      (e) => code("unbalanced")(e) && /differ by 1 poisha/.test((e as Error).message),
    );
    await rejects(post(a, sql, sale(100, { debit: "9999" })), code("account_unknown"));
    await rejects(post(a, sql, sale(100, { debit: "1100" })), code("account_group"));
    await rejects(post(a, sql, { ...bad, lines: [bad.lines[0]] }), code("too_few_lines"));
    await rejects(
      post(a, sql, { ...bad, lines: [{ account: "1110", debitMinor: 1.5 }, bad.lines[1]] }),
      code("line_amount"),
    );
    await rejects(
      post(a, sql, {
        ...bad,
        lines: [{ account: "1110", debitMinor: 5, creditMinor: 5 }, ...bad.lines],
      }),
      code("line_amount"),
    );
    await rejects(post(a, sql, sale(100, { journal: "NOPE" as "SALES" })), code("journal_unknown"));
    await rejects(post(a, sql, sale(100, { date: "2026-02-30" })), code("invalid"));
    const petty = (await a.accountByCode("1130"))!;
    await a.updateAccount(petty.id, {
      code: "1130",
      nameEn: petty.nameEn,
      nameBn: petty.nameBn,
      type: "asset",
      parentCode: "1100",
      active: false,
    }, actor);
    await rejects(post(a, sql, sale(100, { debit: "1130" })), code("account_inactive"));
    equal(await count(sql, "acc_entries"), 0);
  });
});

Deno.test("a closed period takes no postings until reopened; close and reopen are audited", async () => {
  await withTestDb(async (db) => {
    const sql = db.sql;
    const a = ledgerOn(sql);
    const years = await a.listPeriods();
    equal(years[0].fiscalYear, "2026-27");
    equal(years[0].periods.length, 12);
    equal(years[0].periods[0].startsOn, "2026-07-01");
    equal(years[0].periods[11].endsOn, "2027-06-30");
    const nov = years[0].periods.find((p) => p.startsOn === "2026-11-01")!;
    equal(nov.endsOn, "2026-11-30");
    await post(a, sql, sale(1_000, { date: "2026-11-30" }));
    await a.closePeriod(nov.id, actor);
    await rejects(
      post(a, sql, sale(1_000, { date: "2026-11-15" })),
      (e) =>
        code("period_closed")(e) &&
        /The period 2026-11 is closed: nothing can be posted into it until it is reopened/.test(
          (e as Error).message,
        ),
    );
    // Reversing into the closed period is refused too; into December it works.
    const [e] = (await a.listEntries({ from: "2026-11-01", to: "2026-11-30" })).rows;
    await rejects(a.reverseEntry(e.id, { date: "2026-11-30" }, actor), code("period_closed"));
    await rejects(a.closePeriod(nov.id, actor), code("period_status"));
    await rejects(a.reopenPeriod(nov.id, "", actor), code("invalid"));
    await a.reopenPeriod(nov.id, "supplier bill found late", actor);
    ok((await post(a, sql, sale(1_000, { date: "2026-11-15" }))).created);
    const audits = await sql`
      select action, data from audit_log where entity = 'acc_period' order by at, id`;
    equal(audits.map((r) => r.action), ["accounting.period.close", "accounting.period.reopen"]);
    equal(audits[1].data.reason, "supplier bill found late");
    // A date in a fiscal year not yet known creates that year.
    ok((await post(a, sql, sale(1_000, { date: "2028-01-10" }))).created);
    equal((await a.listPeriods()).map((y) => y.fiscalYear), ["2027-28", "2026-27"]);
  });
});

Deno.test("opening balances: problems listed by line, one import per fiscal year", async () => {
  await withTestDb(async (db) => {
    const sql = db.sql;
    const a = ledgerOn(sql);
    const refused = async (csv: string) => {
      try {
        await a.importOpening({ csv, date: "2026-07-01" }, actor);
      } catch (e) {
        ok(e instanceof AccountingError && e.code === "csv_invalid", String(e));
        return (e as unknown as { problems: { line: number; code: string }[] }).problems
          .map((p) => `${p.line}:${p.code}`);
      }
      throw new Error("not refused");
    };
    equal(
      await refused(
        [
          "account_code,debit,credit",
          "1110,25000.00,",
          "9999,100,",
          "1151,12.345,",
          "1000,5,",
          "1152,5,5",
          "2110,,abc",
          "3300,,25000",
        ].join("\n"),
      ),
      [
        "4:amount",
        "6:one_amount",
        "7:amount",
        "3:account_unknown",
        "5:account_group",
        "0:unbalanced",
      ],
    );
    equal(await refused("1110,100,\n3300,,99.99\n"), ["0:unbalanced"]);
    equal(await refused("\n\n"), ["0:empty"]);
    equal(await count(sql, "acc_entries"), 0);
    const csv = 'account_code,debit,credit\r\n1110,25000.50,\r\n1151,"1,200,000",\r\n' +
      "2110,,300000\r\n3300,,925000.50\r\n";
    const e = await a.importOpening({ csv, date: "2026-07-01" }, actor);
    const entry = (await a.getEntry(e.id))!;
    equal(entry.journal, "OPENING");
    equal(entry.totalMinor, 122_500_050);
    equal(entry.lines.map((l) => [l.accountCode, l.debitMinor, l.creditMinor]), [
      ["1110", 2_500_050, 0],
      ["1151", 120_000_000, 0],
      ["2110", 0, 30_000_000],
      ["3300", 0, 92_500_050],
    ]);
    await rejects(
      a.importOpening({ csv, date: "2026-09-01" }, actor),
      (err) => code("opening_done")(err) && /2026-27 were imported already/.test(String(err)),
    );
    // The next fiscal year may have its own.
    ok((await a.importOpening({ csv, date: "2027-07-01" }, actor)).created);
  });
});

Deno.test("trial balance sums to zero; the ledger runs a balance per account", async () => {
  await withTestDb(async (db) => {
    const sql = db.sql;
    const a = ledgerOn(sql);
    await post(a, sql, sale(10_000, { date: "2026-10-05" }));
    await post(a, sql, sale(20_000, { date: "2026-11-05", debit: "1160" }));
    await post(a, sql, sale(3_000, { date: "2026-11-20", debit: "5200", credit: "1160" }));
    await post(a, sql, sale(15_000, { date: "2026-12-01", debit: "1151", credit: "1160" }));
    const tb = await a.trialBalance({
      from: "2026-11-01",
      to: "2026-11-30",
      compareFrom: "2026-10-01",
      compareTo: "2026-10-31",
    });
    const by = Object.fromEntries(tb.rows.map((r) => [r.account.code, r]));
    equal(by["1110"].openingMinor, 10_000);
    equal(by["1160"].closingMinor, 17_000);
    equal(by["4110"].closingMinor, -30_000);
    equal(by["1110"].compare, { debitMinor: 10_000, creditMinor: 0, closingMinor: 10_000 });
    equal(by["1151"], undefined);
    equal(tb.totals.openingMinor, 0);
    equal(tb.totals.closingMinor, 0);
    equal(tb.totals.debitMinor, tb.totals.creditMinor);
    equal(tb.totals.debitMinor, 23_000);
    const gl =
      (await a.generalLedger((await a.accountByCode("1160"))!.id, "2026-11-01", "2026-12-31"))!;
    equal(gl.openingMinor, 0);
    equal(gl.lines.map((l) => l.balanceMinor), [20_000, 17_000, 2_000]);
    equal(gl.closingMinor, 2_000);
    equal(NOW.toISOString().slice(0, 10), TODAY);
    match(
      (await import("@/services/accounting/mod.ts")).trialBalanceCsv(tb, "en"),
      /^account_code,account_name,type,opening,debit,credit,closing_debit,closing_credit,compare_debit/,
    );
  });
});

Deno.test("demo ledger: months of balanced entries, posted once", async () => {
  await withTestDb(async (db) => {
    const { seedAccounting } = await import("@/services/accounting/mod.ts");
    const first = await seedAccounting(db.sql, { now: NOW });
    equal(first.created, 1 + 5 * 7); // opening + July…November
    equal((await seedAccounting(db.sql, { now: NOW })).created, 0);
    const tb = await ledgerOn(db.sql).trialBalance({ from: "2026-07-01", to: TODAY });
    equal(tb.totals.closingMinor, 0);
    ok(tb.rows.some((r) => r.account.code === "5200" && r.closingMinor > 0));
  });
});
