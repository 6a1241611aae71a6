/**
 * Statement import (issue 13 §5): every bank layout and camt.053 read to the same lines; a line
 * imported twice counts once (the same file again, or its camt.053 twin); a bad file is refused
 * whole with every problem by line number, and nothing is stored.
 */
import { deepStrictEqual as equal, ok, rejects } from "node:assert/strict";
import * as f from "@/services/accounting/bank/formats.ts";
import { BankError, BankImportError, ValidationError } from "@/services/accounting/mod.ts";
import { withTestDb } from "@/tests/helpers/db.ts";
import * as x from "./_bank_fixtures.ts";
import { actor, CITY_BANK, ledgerOn } from "./_helpers.ts";

const plain = (
  lines: { valueDate: string; amountMinor: number; reference: string; description: string }[],
) =>
  lines.map(({ valueDate, amountMinor, reference, description }) => ({
    valueDate,
    amountMinor,
    reference,
    description,
  }));

Deno.test("bank formats: the generic, Dutch-Bangla, BRAC and City layouts and camt.053 read alike", () => {
  const layouts = [
    ["generic", x.GENERIC],
    ["dbbl", x.DBBL],
    ["brac", x.BRAC],
    ["city", x.CITY],
  ] as const;
  for (const [name, text] of layouts) {
    const r = f.parseCsvStatement(text, f.CSV_PRESETS[name].format);
    equal(plain(r.lines), x.EXPECTED, name);
  }
  const camt = f.parseCamt053(x.CAMT);
  equal(plain(camt.lines), x.EXPECTED);
  equal(camt.statedClosing, { minor: 176050, on: "2026-12-03" });
  // The bank's running balance column gives the stated closing balance too.
  equal(f.parseCsvStatement(x.DBBL, f.CSV_PRESETS.dbbl.format).statedClosing, {
    minor: 176050,
    on: "2026-12-03",
  });
  // parseStatement tells XML from CSV by itself.
  equal(plain(f.parseStatement(x.CAMT, f.CSV_PRESETS.generic.format).lines), x.EXPECTED);
});

Deno.test("bank formats: amounts and dates as banks print them", () => {
  equal(f.parseSignedTaka("1,250.50"), 125050);
  equal(f.parseSignedTaka("(50.00)"), -5000);
  equal(f.parseSignedTaka("560.00 Cr"), 56000);
  equal(f.parseSignedTaka("560 DR"), -56000);
  equal(f.parseSignedTaka("৳-7.5"), -750);
  equal(f.parseSignedTaka("12.345"), null);
  equal(f.parseSignedTaka("abc"), null);
  equal(f.parseDate("31/12/2026", "DD/MM/YYYY"), "2026-12-31");
  equal(f.parseDate("31/02/2026", "DD/MM/YYYY"), null);
  equal(f.parseDate("05-Dec-26", "DD-MMM-YYYY"), "2026-12-05");
  equal(f.parseDate("12/31/2026", "MM/DD/YYYY"), "2026-12-31");
  equal(f.parseDate("2026-12-31", "DD-MM-YYYY"), null);
});

Deno.test("bank formats: a bad file lists every problem with its line number", () => {
  const bad = `Txn Date,Description,Cheque/Ref No,Withdrawal,Deposit,Balance
01/12/2026,Fine line,REF-1,,560.00,560.00
31/11/2026,Not a day,REF-2,,10.00,570.00
02/12/2026,Both sides,REF-3,5.00,10.00,575.00
03/12/2026,Letters,REF-4,,ten,575.00
04/12/2026,Short
,Opening balance,,,,
`;
  try {
    f.parseCsvStatement(bad, f.CSV_PRESETS.dbbl.format);
    ok(false, "refused");
  } catch (e) {
    ok(e instanceof BankImportError);
    equal(e.status, 422);
    equal(
      e.problems.map((p) => [p.line, p.code]),
      [[3, "date"], [4, "one_amount"], [5, "amount"], [6, "columns"]],
    );
  }
  // A settlement whose gross is not fee + net, and a repeated reference.
  try {
    f.parseSettlementReport(
      `Settlement Date,Settlement ID,Transactions,Gross Amount,Fee,Net Amount
03/12/2026,BKS-1,2,1275.00,24.50,1250.00
04/12/2026,BKS-2,1,100.00,2.00,98.00
05/12/2026,BKS-2,1,100.00,2.00,98.00
`,
      f.SETTLEMENT_PRESETS.bkash.format,
    );
    ok(false, "refused");
  } catch (e) {
    ok(e instanceof BankImportError);
    equal(e.problems.map((p) => [p.line, p.code]), [[2, "sum"], [4, "reference"]]);
  }
  // XML that is not well-formed, and camt.053 in another currency.
  try {
    f.parseCamt053("<Document>\n<BkToCstmrStmt>\n</Document>");
    ok(false, "refused");
  } catch (e) {
    ok(e instanceof BankImportError);
    equal(e.problems[0].code, "xml");
    ok(e.problems[0].line >= 1);
  }
  try {
    f.parseCamt053(
      x.CAMT.replace("<Document", '<!DOCTYPE d [<!ENTITY a "aaaa">]>\n<Document'),
    );
    ok(false, "refused");
  } catch (e) {
    ok(e instanceof BankImportError);
    equal(e.problems.map((p) => [p.line, p.code]), [[2, "xml"]]);
  }
  try {
    f.parseCamt053(x.CAMT.replace('<Amt Ccy="BDT">50.00', '<Amt Ccy="USD">50.00'));
    ok(false, "refused");
  } catch (e) {
    ok(e instanceof BankImportError);
    equal(e.problems.map((p) => [p.line, p.code]), [[31, "currency"]]);
  }
});

Deno.test("bank import: the same file, or its camt.053 twin, counts once", async () => {
  await withTestDb(async ({ sql }) => {
    const acc = ledgerOn(sql);
    const dbbl = (await acc.bank.listAccounts()).find((a) => a.code === "1151")!;
    equal(dbbl.bankName, "Dutch-Bangla Bank");
    const first = await acc.bank.importFile(
      { bankAccountId: dbbl.id, text: x.DBBL, fileName: "dbbl-dec.csv" },
      actor,
    );
    equal([first.kind, first.lines, first.added, first.duplicates], ["csv", 3, 3, 0]);
    const again = await acc.bank.importFile({ bankAccountId: dbbl.id, text: x.DBBL }, actor);
    equal([again.lines, again.added, again.duplicates], [3, 0, 3]);
    const twin = await acc.bank.importFile({ bankAccountId: dbbl.id, text: x.CAMT }, actor);
    equal([twin.kind, twin.added, twin.duplicates], ["camt053", 0, 3]);
    equal((await acc.bank.lines({ bankAccountId: dbbl.id })).length, 3);

    // Two identical charges on one day are two lines; the file again still adds none.
    const twice = `date,amount,reference,description
2026-12-04,-10.00,CHG,SMS charge
2026-12-04,-10.00,CHG,SMS charge
`;
    await acc.bank.saveAccount(dbbl.id, {
      code: "1151",
      bankName: dbbl.bankName,
      format: { preset: "generic" },
    });
    equal((await acc.bank.importFile({ bankAccountId: dbbl.id, text: twice }, actor)).added, 2);
    equal((await acc.bank.importFile({ bankAccountId: dbbl.id, text: twice }, actor)).added, 0);
    equal((await acc.bank.lines({ bankAccountId: dbbl.id })).length, 5);

    // A bad file: refused with its problems, nothing stored.
    await rejects(
      acc.bank.importFile({
        bankAccountId: dbbl.id,
        text: "date,amount,reference\n2026-12-05,12.345,X\n2026-99-01,5,Y\n",
      }, actor),
      (e: unknown) =>
        e instanceof BankImportError &&
        JSON.stringify(e.problems.map((p) => [p.line, p.code])) ===
          JSON.stringify([[2, "amount"], [3, "date"]]),
    );
    equal((await acc.bank.lines({ bankAccountId: dbbl.id })).length, 5);
    const [{ n }] = await sql`select count(*)::int as n from acc_statement_imports`;
    equal(n, 5);
  });
});

Deno.test("bank accounts: a City Bank account with its own columns; wrong settings refused", async () => {
  await withTestDb(async ({ sql }) => {
    const acc = ledgerOn(sql);
    await acc.createAccount(CITY_BANK, actor);
    const id = await acc.bank.saveAccount(null, {
      code: "1153",
      bankName: "City Bank",
      accountNumber: "1102-345678-001",
      format: { preset: "city" },
    });
    const city = await acc.bank.getAccount(id);
    equal([city.code, city.kind, city.format.preset], ["1153", "bank", "city"]);
    const r = await acc.bank.importFile({ bankAccountId: id, text: x.CITY }, actor);
    equal([r.added, r.review], [3, 3]);
    // The accountant's own layout: the amount column missing is refused by field.
    await rejects(
      acc.bank.saveAccount(id, {
        code: "1153",
        bankName: "City Bank",
        format: { delimiter: ";", headerRows: 1, dateFormat: "DD-MM-YYYY", date: 1, debit: 4 },
      }),
      (e: unknown) => e instanceof ValidationError && "format.amount" in e.fieldErrors,
    );
    // A heading is no bank account; nor is a ledger account taken by another.
    await rejects(
      acc.bank.saveAccount(null, { code: "1150", bankName: "Heading" }),
      (e: unknown) => e instanceof BankError && e.reason === "bank_unknown",
    );
    await rejects(
      acc.bank.saveAccount(null, { code: "1151", bankName: "Twice" }),
      (e: unknown) => e instanceof ValidationError && "code" in e.fieldErrors,
    );
  });
});
