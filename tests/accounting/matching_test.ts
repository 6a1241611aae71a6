/**
 * Matching statement lines (issue 13 §5 and §2 "bank transfers matched"), wired as contexts.ts
 * wires them: a customer's transfer naming the order with the exact amount is applied through
 * the payments context (the order is paid, Dr bank / Cr receivable posted once); a settlement's
 * credit matches its entry; two equal amounts wait in the review queue until the accountant
 * picks one; a bank charge is posted to an account; then the reconciliation has no difference.
 */
import { deepStrictEqual as equal, ok, rejects } from "node:assert/strict";
import { BankError } from "@/services/accounting/mod.ts";
import { poishaToTaka } from "@/services/accounting/mod.ts";
import { reconciliationCsv } from "@/services/accounting/mod.ts";
import { withShop } from "../shop/_helpers.ts";
import { startedOrder } from "../payments/_fakes.ts";
import { BKASH_SETTLEMENT } from "./_bank_fixtures.ts";
import { balanceOf, post } from "./_helpers.ts";

const actor = { id: null, name: "Nasrin (accounts)" };

Deno.test("matching: transfers, settlements, the review queue and a charge; reconciled to zero", async () => {
  await withShop(async (s) => {
    const acc = s.deps.accounting;
    const bank = (await acc.bank.listAccounts()).find((a) => a.code === "1151")!;
    const wallet = (await acc.bank.listAccounts()).find((a) => a.code === "1160")!;

    // A customer's order waiting for a bank transfer, another one that pays only part.
    const { placed } = await startedOrder(s, "bank_transfer");
    const other = await startedOrder(s, "bank_transfer");
    // bKash money the provider settles (payments posted it into the wallet).
    await s.sql.begin((tx) =>
      acc.ledger.payment(tx, {
        paymentId: crypto.randomUUID(),
        method: "bkash",
        purpose: "order",
        amountMinor: 127500,
        orderNumber: "SD-2026-000900",
      })
    );
    await acc.bank.importFile({ bankAccountId: wallet.id, text: BKASH_SETTLEMENT }, actor);
    // Two interest credits of the same amount in the books (typed by hand in the GENERAL journal).
    for (const d of ["2026-12-04", "2026-12-05"]) {
      await post(acc, s.sql, {
        source: "test.interest",
        sourceRef: d,
        journal: "GENERAL",
        date: d,
        memo: "Interest on current account",
        lines: [
          { account: "1151", debitMinor: 30000 },
          { account: "4900", creditMinor: 30000 },
        ],
      });
    }

    const spaced = placed.number.replaceAll("-", " ").toLowerCase();
    const statement = `Txn Date,Description,Cheque/Ref No,Withdrawal,Deposit,Balance
01/12/2026,Transfer from R. Begum,${spaced},,${poishaToTaka(placed.totalMinor)},
01/12/2026,Part payment,${other.placed.number},,100.00,
02/12/2026,SMS banking charge,CHG-9912,50.00,,
03/12/2026,bKash settlement,BKS-20261203-01,,"1,250.50",
05/12/2026,Interest,INT,,300.00,
05/12/2026,Interest,INT,,300.00,
`;
    const r = await acc.bank.importFile({ bankAccountId: bank.id, text: statement }, actor);
    equal([r.lines, r.added, r.matched, r.review], [6, 6, 2, 4]);

    // The customer's transfer was applied by payments: the order is paid, posted once.
    const [o] = await s
      .sql`select status, paid_minor::int as paid from shop_orders where id = ${placed.id}`;
    equal([o.status, o.paid], ["confirmed", placed.totalMinor]);
    const [pe] = await s.sql`
      select count(*)::int as n from acc_entries e join shop_payments p on p.id::text = e.source_ref
       where e.source = 'payments.payment' and p.order_id = ${placed.id}`;
    equal(pe.n, 1);
    const [o2] = await s.sql`select status from shop_orders where id = ${other.placed.id}`;
    equal(o2.status, "pending_payment", "a part payment waits for a person");

    // The queue: the part payment (no candidate), the charge, two interest lines (two each).
    const queue = await acc.bank.queue(bank.id);
    equal(queue.map((l) => l.reference), [other.placed.number, "CHG-9912", "INT", "INT"]);
    equal((await acc.bank.candidates(queue[0].id)).length, 0);
    const interest = await acc.bank.candidates(queue[2].id);
    equal(interest.map((c) => [c.kind, c.date, c.refHit]), [
      ["ledger", "2026-12-05", false],
      ["ledger", "2026-12-04", false],
    ]);

    // The accountant picks one; the rules then match the other line on their own.
    await acc.bank.match(queue[2].id, interest[0].key, actor);
    await rejects(
      acc.bank.match(queue[3].id, interest[0].key, actor),
      (e: unknown) => e instanceof BankError && e.reason === "candidate_gone",
    );
    equal((await acc.bank.rematch(bank.id, actor)).matched, 1);
    // The charge goes to bank charges through the ledger.
    const charge = await acc.bank.postLine(queue[1].id, { account: "5210" }, actor);
    equal(charge.status, "posted");
    equal(await balanceOf(s.sql, "5210"), 5000);
    await rejects(
      acc.bank.postLine(queue[1].id, { account: "5210" }, actor),
      (e: unknown) => e instanceof BankError && e.reason === "line_done",
    );

    // December's reconciliation: only the part payment is left, on the statement side.
    const to = acc.today() > "2026-12-31" ? acc.today() : "2026-12-31";
    let rec = await acc.bank.reconciliation(bank.id, "2026-12-01", to);
    equal(rec.unmatchedStatement.map((i) => i.amountMinor), [10000]);
    equal(rec.unmatchedLedger, []);
    equal(rec.differenceMinor, 10000);
    equal(rec.unexplainedMinor, 0);
    ok(
      reconciliationCsv(rec).includes(
        `unmatched_statement,2026-12-01,100.00,${other.placed.number}`,
      ),
    );

    // Refunded by the bank (a reversing line on the next statement) and posted as such: a
    // statement line with no partner is posted to an account; then everything is reconciled.
    await acc.bank.postLine(
      rec.unmatchedStatement[0].id,
      { account: "2200", memo: "to refund" },
      actor,
    );
    rec = await acc.bank.reconciliation(bank.id, "2026-12-01", to);
    equal([rec.differenceMinor, rec.unmatchedStatement.length, rec.unmatchedLedger.length], [
      0,
      0,
      0,
    ]);
    equal(rec.statementClosingMinor, await balanceOf(s.sql, "1151"));
    equal((await acc.bank.queue(bank.id)).length, 0);
  });
});

Deno.test("matching: a wrong match is undone and the ledger line is a candidate again", async () => {
  await withShop(async (s) => {
    const acc = s.deps.accounting;
    const bank = (await acc.bank.listAccounts()).find((a) => a.code === "1151")!;
    await post(acc, s.sql, {
      source: "test.deposit",
      sourceRef: "D-1",
      journal: "CASH",
      date: "2026-12-04",
      memo: "Cash deposited",
      lines: [{ account: "1151", debitMinor: 20000 }, { account: "1110", creditMinor: 20000 }],
    });
    await acc.bank.saveAccount(bank.id, {
      code: "1151",
      bankName: "Dutch-Bangla Bank",
      format: { preset: "generic" },
    });
    const r = await acc.bank.importFile({
      bankAccountId: bank.id,
      text: "date,amount,reference,description\n2026-12-04,200.00,DEP,Cash deposit\n",
    }, actor);
    equal(r.matched, 1, "the one ledger line of that amount and date");
    const [line] = await acc.bank.lines({ bankAccountId: bank.id });
    await acc.bank.unmatch(line.id);
    equal((await acc.bank.candidates(line.id)).length, 1);
    // A line outside the date window finds nothing.
    await acc.bank.importFile({
      bankAccountId: bank.id,
      text: "date,amount,reference,description\n2026-12-20,200.00,DEP2,Cash deposit\n",
    }, actor);
    const late = (await acc.bank.queue(bank.id)).find((l) => l.reference === "DEP2")!;
    equal((await acc.bank.candidates(late.id)).length, 0);
  });
});
