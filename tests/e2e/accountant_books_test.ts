/**
 * The accountant's month end in a real browser (issue 13, "Done when"): sign in with the second
 * factor, import last month's bank statement (a CSV file chosen in the file picker), match its
 * lines in the review queue, see the reconciliation agree, close the month (the second factor
 * asked again: the step-up), and read the trial balance.
 * Set E2E_SCREENSHOTS=/some/dir to keep a screenshot of every step.
 */
import { deepEqual, equal, match } from "node:assert/strict";
import { Buffer } from "node:buffer";
import "../identity/_fixtures.ts"; // cheap argon2 for the accounts made here
import { makeUser, PASSWORD } from "../identity/_fixtures.ts";
import { minutes, movableClock, sessionStart } from "../identity/_web.ts";
import { totpCode } from "@/services/identity/totp.ts";
import { addDays } from "@/services/platform/dhaka.ts";
import { browserTest, shot, withPage } from "../helpers/browser.ts";
import { testClock, withTestApp } from "../helpers/app.ts";

/** The next whole hour: after the account's creation, like the identity step-up tests. */
const START = sessionStart();

Deno.test({
  name: "browser: the accountant imports a statement, matches it, closes the month, reads the TB",
  ...browserTest,
  async fn() {
    await withTestApp(async (t) => {
      const clock = movableClock(t, START);
      await makeUser(t.db.sql, t.deps.keyring, {
        email: "nasrin@example.com",
        displayName: "Nasrin Akter",
        roles: ["accountant"],
      });
      const accounting = t.deps.accounting;
      // Last month: two interest credits of ৳300 already in the books (two candidates each).
      const today = accounting.today();
      const monthStart = addDays(`${today.slice(0, 7)}-01`, -1).slice(0, 7) + "-01";
      const month = monthStart.slice(0, 7);
      const monthEnd = addDays(`${today.slice(0, 7)}-01`, -1);
      const d1 = addDays(monthStart, 4);
      const d2 = addDays(monthStart, 5);
      for (const d of [d1, d2]) {
        await t.db.sql.begin((tx) =>
          accounting.poster.post(tx, {
            source: "test.interest",
            sourceRef: d,
            journal: "GENERAL",
            date: d,
            memo: `Interest ${d}`,
            lines: [{ account: "1151", debitMinor: 30000 }, {
              account: "4900",
              creditMinor: 30000,
            }],
          })
        );
      }
      const dmy = (iso: string) => iso.split("-").reverse().join("/");
      const statement = `Txn Date,Description,Cheque/Ref No,Withdrawal,Deposit,Balance
${dmy(d1)},Interest,INT-A,,300.00,300.00
${dmy(d2)},Interest,INT-B,,300.00,600.00
`;
      const dbbl = (await accounting.bank.listAccounts()).find((a) => a.code === "1151")!;

      await withPage(t.app.fetch, { width: 1280, height: 900 }, async (page, base, errors) => {
        // Sign in: the accountant's role needs the second factor, set up on first sign-in.
        await page.goto(`${base}/admin/accounting/bank`);
        await page.waitForURL(/\/signin\?next=/);
        await page.fill("#identifier", "nasrin@example.com");
        await page.fill("#password", PASSWORD);
        await page.click("button[type=submit]");
        await page.waitForURL(/\/account\/two-factor\?next=/);
        await page.click("button[value=start]");
        const secret = (await page.textContent("[data-totp-secret]"))!.replace(/\s+/g, "");
        await page.fill("#code", totpCode(secret, new Date(clock.now())));
        await page.click("button[value=confirm]");
        await page.waitForSelector("[data-recovery-code]");
        await shot(page, "40-accountant-recovery-codes");
        await page.click("text=Continue");
        await page.waitForURL(`${base}/admin/accounting/bank`);

        // Import the statement file.
        await page.selectOption("#account", String(dbbl.id));
        await page.setInputFiles("#file", {
          name: `dbbl-${month}.csv`,
          mimeType: "text/csv",
          buffer: Buffer.from(statement, "utf8"),
        });
        await shot(page, "41-bank-import");
        await page.click("[data-testid=bank-import] button[type=submit]");
        await page.waitForURL(/done=statement/);
        match(
          await page.textContent("[role=status]") ?? "",
          /2 lines read: 2 new, 0 already imported, 0 matched, 2 to review/,
        );

        // The review queue: each line has two candidates; the accountant matches them.
        await page.click(`a[href="/admin/accounting/bank/review?account=${dbbl.id}"]`);
        await page.waitForURL(/\/admin\/accounting\/bank\/review/);
        equal(await page.locator("tr[data-line]").count(), 2);
        await shot(page, "42-bank-review");
        for (let i = 0; i < 2; i++) {
          await page.locator("tr[data-line] [data-match-form] button[value=match]").first()
            .click();
          await page.waitForURL(/done=matched/);
          match(await page.textContent("[role=status]") ?? "", /Line \d+ matched/);
        }
        match(await page.textContent("main") ?? "", /Nothing to review/);

        // The reconciliation of the month agrees.
        await page.goto(
          `${base}/admin/accounting/bank/reconciliation?account=${dbbl.id}&from=${monthStart}&to=${monthEnd}`,
        );
        match(await page.textContent("[data-all-clear]") ?? "", /Statement and ledger agree/);
        match(await page.textContent("[data-figure=difference]") ?? "", /৳0\.00/);
        match(await page.textContent("[data-figure=statementClosing]") ?? "", /৳600\.00/);
        await shot(page, "43-bank-reconciliation");

        // Close the month: the second factor is more than 5 minutes old, so it is asked again.
        clock.advance(minutes(6));
        await page.goto(`${base}/admin/accounting/periods`);
        await page.click(`tr[data-period="${month}"] button[value=close]`);
        await page.waitForURL(/\/account\/step-up\?next=/);
        await shot(page, "44-step-up");
        await page.fill("#code", totpCode(secret, new Date(clock.now())));
        await page.click("button[type=submit]");
        await page.waitForURL(`${base}/admin/accounting/periods`);
        await page.click(`tr[data-period="${month}"] button[value=close]`);
        await page.waitForURL(/done=closed/);
        equal(
          await page.getAttribute(`tr[data-period="${month}"]`, "data-status"),
          "closed",
        );
        match(await page.textContent("[role=status]") ?? "", new RegExp(`Period ${month} closed`));
        await shot(page, "45-period-closed");

        // The trial balance of the month.
        await page.goto(
          `${base}/admin/accounting/reports/trial-balance?from=${monthStart}&to=${monthEnd}`,
        );
        equal(await page.getAttribute("[data-balanced]", "data-balanced"), "yes");
        match(await page.textContent("tr[data-account='1151']") ?? "", /600\.00/);
        match(await page.textContent("tr[data-account='4900']") ?? "", /600\.00/);
        await shot(page, "46-trial-balance");
        deepEqual(errors, []);
      });
      // The books' day is the sessions' day: one clock for both.
    }, { clock: testClock(new Date(START)) });
  },
});
