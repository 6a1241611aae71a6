/**
 * Providers' settlements (issue 13 §2, "provider settlements to the bank with fees"): a bKash
 * settlement report posts Dr bank (net) + Dr provider fees / Cr bKash wallet (gross), once, and
 * leaves the wallet at zero for the payments it settled; the bank's credit of the net amount
 * then matches the settlement by its reference.
 */
import { deepStrictEqual as equal, ok, rejects } from "node:assert/strict";
import { BankError, BankImportError, reconciliationCsv } from "@/services/accounting/mod.ts";
import { withTestDb } from "@/tests/helpers/db.ts";
import { BKASH_SETTLEMENT, DBBL } from "./_bank_fixtures.ts";
import { actor, balanceOf, ledgerOn } from "./_helpers.ts";

Deno.test("settlement: fees posted, wallet at zero for the settled payments, once", async () => {
  await withTestDb(async ({ sql }) => {
    const acc = ledgerOn(sql);
    // Two bKash payments the shop took (through the ledger port, as payments posts them).
    const paid = [[75000, "SD-2026-000201"], [52500, "SD-2026-000202"]] as const;
    for (const [amount, order] of paid) {
      await sql.begin((tx) =>
        acc.ledger.payment(tx, {
          paymentId: crypto.randomUUID(),
          method: "bkash",
          purpose: "order",
          amountMinor: amount,
          orderNumber: order,
        })
      );
    }
    equal(await balanceOf(sql, "1160"), 127500);
    const accounts = await acc.bank.listAccounts();
    const wallet = accounts.find((a) => a.code === "1160")!;
    const bank = accounts.find((a) => a.code === "1151")!;
    equal([wallet.kind, wallet.provider, wallet.settlesTo], ["wallet", "bkash", bank.id]);

    const r = await acc.bank.importFile(
      { bankAccountId: wallet.id, text: BKASH_SETTLEMENT, fileName: "bkash.csv" },
      actor,
    );
    equal([r.kind, r.lines, r.added, r.settlementsPosted], ["settlement", 1, 1, 1]);
    equal(await balanceOf(sql, "1160"), 0, "the wallet is empty once its payments are settled");
    equal(await balanceOf(sql, "1151"), 125050, "the net reached the bank");
    equal(await balanceOf(sql, "5200"), 2450, "the fee is an expense");
    const [e] = await sql`
      select source, source_ref, to_char(entry_date, 'YYYY-MM-DD') as d, journal
        from acc_entries where source = 'accounting.settlement'`;
    equal([e.source_ref, e.d, e.journal], ["1160:BKS-20261203-01", "2026-12-03", "BANK"]);

    // The same report again: nothing more.
    const again = await acc.bank.importFile(
      { bankAccountId: wallet.id, text: BKASH_SETTLEMENT },
      actor,
    );
    equal([again.added, again.duplicates, again.settlementsPosted], [0, 1, 0]);
    equal(await balanceOf(sql, "1160"), 0);
    equal(await balanceOf(sql, "5200"), 2450);

    // The bank's statement: the settlement's credit matches the settlement entry by reference.
    const st = await acc.bank.importFile({ bankAccountId: bank.id, text: DBBL }, actor);
    equal([st.added, st.matched], [3, 1]);
    const lines = await acc.bank.lines({ bankAccountId: bank.id });
    const settled = lines.find((l) => l.reference === "BKS-20261203-01")!;
    equal([settled.status, settled.entryId !== null], ["matched", true]);

    // The wallet's report for December lists the settlement with its fee.
    const rep = await acc.bank.reconciliation(wallet.id, "2026-12-01", "2026-12-31");
    equal(rep.settlements.map((s) => [s.reference, s.grossMinor, s.feeMinor, s.netMinor]), [
      ["BKS-20261203-01", 127500, 2450, 125050],
    ]);
    equal(rep.ledgerClosingMinor, 0);
    const csv = reconciliationCsv(rep).split("\r\n");
    equal(csv.slice(3, 5), [
      "ledger_closing,2026-12-31,0.00,,",
      "settlement,2026-12-03,1275.00,BKS-20261203-01,fee 24.50 net 1250.50",
    ]);
  });
});

Deno.test("settlement: a bad report is refused whole; a closed month refuses the posting", async () => {
  await withTestDb(async ({ sql }) => {
    const acc = ledgerOn(sql);
    const wallet = (await acc.bank.listAccounts()).find((a) => a.code === "1161")!;
    const nagad = `Date,Batch No,Total Amount,Charge,Settled Amount
01-12-2026,NG-1,500.00,7.50,492.50
02-12-2026,NG-2,500.00,7.50,490.00
`;
    await rejects(
      acc.bank.importFile({ bankAccountId: wallet.id, text: nagad }, actor),
      (e: unknown) => e instanceof BankImportError && e.problems[0].line === 3,
    );
    const [{ n }] = await sql`select count(*)::int as n from acc_entries`;
    equal(n, 0, "nothing posted");
    // November closed: a settlement dated in it is refused, nothing half written.
    const [nov] = (await acc.listPeriods()).flatMap((y) => y.periods).filter((p) =>
      p.startsOn === "2026-11-01"
    );
    await acc.closePeriod(nov.id, actor);
    /** A Nagad settlement file of one batch: ৳100 less ৳1.50 charge, on `date`. */
    const settledOn = (date: string, batch: string) =>
      acc.bank.importFile({
        bankAccountId: wallet.id,
        text:
          `Date,Batch No,Total Amount,Charge,Settled Amount\n${date},${batch},100.00,1.50,98.50\n`,
      }, actor);
    await rejects(
      settledOn("30-11-2026", "NG-9"),
      (e: unknown) => (e as { code?: string }).code === "period_closed",
    );
    const [{ s }] = await sql`select count(*)::int as s from acc_settlements`;
    equal(s, 0);
    // A wallet with no bank to settle to says so.
    await sql`update acc_bank_accounts set settles_to = null where id = ${wallet.id}`;
    await rejects(
      settledOn("01-12-2026", "NG-3"),
      (e: unknown) => e instanceof BankError && e.reason === "wallet_import",
    );
    ok(true);
  });
});
