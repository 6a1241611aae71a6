/**
 * Journal numbers (issue 13): every posted entry gets a human number per journal and fiscal
 * year, SALES/2026-27/000123, with no gaps (a rolled-back posting takes no number) and no
 * duplicates, also when many writers post at once; the entry pages show it.
 */
import { deepStrictEqual as equal, match, ok, rejects } from "node:assert/strict";
import { withTestDb } from "../helpers/db.ts";
import { fiscalYearOf } from "@/services/accounting/mod.ts";
import { getEntry } from "@/services/accounting/entries.ts";
import { withTestApp } from "../helpers/app.ts";
import { NASRIN, staffWithTotp } from "@/tests/identity/_web.ts";
import { ledgerOn, post, sale } from "./_helpers.ts";

Deno.test("journal numbers: per journal and fiscal year, in order, no gaps for rolled-back postings", async () => {
  await withTestDb(async (db) => {
    const sql = db.sql;
    const a = ledgerOn(sql);
    const s1 = await post(a, sql, sale(1_000));
    const s2 = await post(a, sql, sale(2_000));
    // A posting whose transaction rolls back takes no number.
    await rejects(
      sql.begin(async (tx) => {
        await a.poster.post(tx, sale(3_000));
        throw new Error("the order failed after posting");
      }),
      /the order failed/,
    );
    const g1 = await post(a, sql, sale(500, { journal: "GENERAL" }));
    const old = await post(a, sql, sale(700, { date: "2026-03-10" }));
    const s3 = await post(a, sql, sale(4_000));
    equal((await a.getEntry(s1.id))!.number, "SALES/2026-27/000001");
    equal((await a.getEntry(s2.id))!.number, "SALES/2026-27/000002");
    equal((await a.getEntry(s3.id))!.number, "SALES/2026-27/000003");
    equal((await a.getEntry(g1.id))!.number, "GENERAL/2026-27/000001");
    equal((await a.getEntry(old.id))!.number, "SALES/2025-26/000001");
    // The list shows them too.
    const list = await a.listEntries({ journal: "SALES" });
    equal(list.rows.map((r) => r.number), [
      "SALES/2026-27/000003",
      "SALES/2025-26/000001",
      "SALES/2026-27/000002",
      "SALES/2026-27/000001",
    ]);
    // A transaction that posts and then reads its entry: no number yet, one after the commit.
    const mine = await sql.begin(async (tx) => {
      const e = await a.poster.post(tx, sale(900));
      equal((await getEntry(tx, e.id))!.number, null);
      return e;
    });
    equal((await a.getEntry(mine.id))!.number, "SALES/2026-27/000004");
    // Numbers are never changed.
    await rejects(sql`update acc_entry_numbers set seq = 9`, /cannot be changed/);
    await rejects(sql`delete from acc_entry_numbers`, /cannot be changed/);
  });
});

Deno.test("journal numbers: concurrent writers, batches and rollbacks leave numbers 1..n", async () => {
  await withTestDb(async (db) => {
    const sql = db.sql;
    const a = ledgerOn(sql);
    let committed = 0;
    await Promise.all(Array.from({ length: 6 }, async (_, w) => {
      for (let k = 0; k < 8; k++) {
        const batch = Array.from({ length: 1 + (k % 3) * 4 }, () => sale(1_000 + w));
        const fail = (w + k) % 5 === 0;
        try {
          await sql.begin(async (tx) => {
            await a.poster.postMany(tx, batch);
            if (fail) throw new Error("rolled back");
          });
          committed += batch.length;
        } catch (e) {
          if (!fail) throw e;
        }
        // Someone reads the entries meanwhile (which numbers what is committed so far).
        if (k % 3 === 1) await a.listEntries({ limit: 5 });
      }
    }));
    await a.numberEntries();
    const rows = await sql<{ seq: number }[]>`
      select n.seq from acc_entry_numbers n join acc_entries e on e.id = n.entry_id
       where n.journal = 'SALES' and n.fiscal_year = '2026-27' order by n.seq`;
    equal(rows.length, committed);
    equal(rows.map((r) => r.seq), Array.from({ length: committed }, (_, i) => i + 1));
    const [{ unnumbered }] = await sql<{ unnumbered: number }[]>`
      select count(*)::int as unnumbered from acc_entries e
       where not exists (select 1 from acc_entry_numbers n where n.entry_id = e.id)`;
    equal(unnumbered, 0);
    ok(committed > 0);
  });
});

Deno.test("journal numbers: the entry pages show the number", async () => {
  await withTestApp(async (t) => {
    const sql = t.db.sql;
    const a = t.deps.accounting;
    const e = await sql.begin((tx) => a.poster.post(tx, sale(1_250, { date: a.today() })));
    const fy = fiscalYearOf(a.today()).code;
    const { b } = await staffWithTotp(t, NASRIN);
    equal((await b.get(`/admin/accounting/entries/${e.id}`)).status, 200);
    match(b.html, new RegExp(`data-number[^>]*>SALES/${fy}/000001<`));
    equal((await b.get("/admin/accounting/entries")).status, 200);
    match(b.html, new RegExp(`SALES/${fy}/000001`));
  });
});
