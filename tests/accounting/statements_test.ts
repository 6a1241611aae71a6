/**
 * Customer statements (PDF, and email through notify's outbox) and dunning reminders by SMS and
 * email in the customer's language, at most once per the customer's interval (issue 13 §4).
 */
import { deepStrictEqual as equal, match, ok, rejects } from "node:assert/strict";
import type { Sql } from "@/services/platform/db.ts";
import { withTestDb } from "@/tests/helpers/db.ts";
import { type Accounting, ValidationError } from "@/services/accounting/mod.ts";
import { formatTaka } from "@/services/i18n/mod.ts";
import { dhakaInstant } from "@/services/platform/dhaka.ts";
import { actor, ledgerOn, received } from "./_helpers.ts";

const doi = (quantity: number) => ({
  description: { en: "Mishti doi 500 g", bn: "মিষ্টি দই ৫০০ গ্রাম" },
  unit: { en: "pcs", bn: "টি" },
  quantity,
  unitPriceMinor: 10_000,
  vatRateBp: 1500,
});

async function invoice(sql: Sql, acc: Accounting, ref: string, qty: number, lang: "en" | "bn") {
  return await sql.begin((tx) =>
    acc.issueInvoiceOnAccount(tx, {
      customer: {
        ref,
        name: lang === "bn" ? "Rahman Sweets" : "Hotel Sonargaon",
        nameBn: lang === "bn" ? "রহমান মিষ্টান্ন ভান্ডার" : undefined,
        address: "Karwan Bazar, Dhaka",
        lang,
      },
      lines: [doi(qty)],
      terms: "7",
      sourceRef: crypto.randomUUID(),
    })
  );
}

async function pdfText(bytes: Uint8Array): Promise<string> {
  const path = await Deno.makeTempFile({ suffix: ".pdf" });
  try {
    await Deno.writeFile(path, bytes);
    const out = await new Deno.Command("pdftotext", { args: ["-layout", path, "-"] }).output();
    equal(out.code, 0);
    return new TextDecoder().decode(out.stdout);
  } finally {
    await Deno.remove(path);
  }
}

function hasPdftotext(): boolean {
  try {
    new Deno.Command("pdftotext", { args: ["-v"], stdout: "null", stderr: "null" }).outputSync();
    return true;
  } catch {
    return false;
  }
}

Deno.test({
  name: "a customer statement's PDF names the invoices, the payments and the balance (en and bn)",
  ignore: !hasPdftotext(),
  fn: async () => {
    await withTestDb(async (db) => {
      const sql = db.sql;
      const early = ledgerOn(sql, dhakaInstant("2026-11-02", "11:00"));
      const acc = ledgerOn(sql);
      const a = await invoice(sql, early, "b2b:3", 10, "en"); // ৳1,150.00 on 2 Nov
      const b = await invoice(sql, acc, "b2b:3", 4, "en"); // ৳460.00 on 7 Dec
      await received(acc, sql, "b2b:3", 100_000, "2026-12-03");
      const items = await acc.openItems({ side: "receivable", party: "b2b:3" });
      await acc.allocate({
        side: "receivable",
        chargeId: items.find((i) => i.documentNumber === a.number)!.id,
        settleId: items.find((i) => i.amountMinor < 0)!.id,
        amountMinor: 100_000,
      }, actor);
      const st = await acc.statement({
        side: "receivable",
        party: "b2b:3",
        from: "2026-12-01",
        to: "2026-12-07",
      });
      equal(st.openingMinor, 115_000);
      equal(st.lines.map((l) => [l.reference, l.chargeMinor, l.settleMinor]), [
        ["test.receipt " + st.lines[0].reference.split(" ")[1], 0, 100_000],
        [b.number, 46_000, 0],
      ]);
      equal(st.closingMinor, 115_000 - 100_000 + 46_000);
      equal(st.open.map((i) => [i.documentNumber, i.openMinor]), [[a.number, 15_000], [
        b.number,
        46_000,
      ]]);
      /** The text of the first week of December's statement PDF for a customer. */
      const statementText = async (party: string, lang?: "bn") =>
        pdfText(
          await acc.statementPdf({
            side: "receivable",
            party,
            from: "2026-12-01",
            to: "2026-12-07",
            lang,
          }),
        );
      const text = await statementText("b2b:3");
      for (
        const want of [
          a.number,
          b.number,
          "Hotel Sonargaon",
          formatTaka(61_000, "en"),
          "Closing balance",
        ]
      ) {
        ok(text.includes(want), `statement PDF has ${want}:\n${text}`);
      }
      // In Bangla, for a Bangla-speaking customer: the Bangla name and words, Bangla digits.
      const c = await invoice(sql, acc, "b2b:4", 2, "bn");
      const bn = await statementText("b2b:4", "bn");
      for (const want of [c.number, "রহমান মিষ্টান্ন ভান্ডার", "সমাপনী স্থিতি", formatTaka(23_000, "bn")]) {
        ok(bn.includes(want), `Bangla statement PDF has ${want}:\n${bn}`);
      }
    });
  },
});

Deno.test("a statement is emailed through the outbox; a party without an address is told so", async () => {
  await withTestDb(async (db) => {
    const sql = db.sql;
    const acc = ledgerOn(sql);
    const a = await invoice(sql, acc, "b2b:3", 10, "en");
    await rejects(
      acc.emailStatement({
        side: "receivable",
        party: "b2b:3",
        from: "2026-12-01",
        to: "2026-12-07",
      }),
      (e) => e instanceof ValidationError && "email" in e.fieldErrors,
    );
    await acc.saveParty({
      ref: "b2b:3",
      side: "receivable",
      name: "Hotel Sonargaon",
      email: "accounts@sonargaon.example",
    });
    const r = await acc.emailStatement({
      side: "receivable",
      party: "b2b:3",
      from: "2026-12-01",
      to: "2026-12-07",
    });
    equal(r.to, "accounts@sonargaon.example");
    const [m] = await sql`select channel, recipient, subject, body, locale from outbox_messages`;
    equal([m.channel, m.recipient, m.locale], ["email", "accounts@sonargaon.example", "en"]);
    match(m.subject, /Customer statement/);
    ok(m.body.includes(a.number));
    ok(m.body.includes(formatTaka(115_000, "en")));
  });
});

Deno.test("dunning reminds overdue customers once per their interval, in their language", async () => {
  await withTestDb(async (db) => {
    const sql = db.sql;
    const nov = ledgerOn(sql, dhakaInstant("2026-11-01", "11:00"));
    const en = await invoice(sql, nov, "b2b:1", 10, "en"); // due 8 Nov
    const bnInv = await invoice(sql, nov, "b2b:2", 3, "bn");
    await invoice(sql, nov, "b2b:3", 1, "en"); // overdue but no contact: skipped
    await invoice(sql, ledgerOn(sql), "b2b:4", 1, "en"); // not yet due
    await sql.begin((tx) =>
      Promise.all([
        nov.saveParty({
          ref: "b2b:1",
          side: "receivable",
          name: "Hotel Sonargaon",
          email: "accounts@sonargaon.example",
          phone: "+8801711000001",
          dunningIntervalDays: 7,
        }, tx),
        nov.saveParty({
          ref: "b2b:2",
          side: "receivable",
          name: "Rahman Sweets",
          nameBn: "রহমান মিষ্টান্ন ভান্ডার",
          phone: "+8801711000002",
          lang: "bn",
          dunningIntervalDays: 14,
        }, tx),
        nov.saveParty({
          ref: "b2b:4",
          side: "receivable",
          name: "Not yet due",
          phone: "+8801711000004",
        }, tx),
      ])
    );
    const run = (date: string) => ledgerOn(sql, dhakaInstant(date, "09:00")).runDunning();
    const first = await run("2026-12-07");
    equal(first.map((r) => [r.party, r.channels, r.lang]).sort(), [
      ["b2b:1", ["sms", "email"], "en"],
      ["b2b:2", ["sms"], "bn"],
    ]);
    const msgs =
      await sql`select channel, recipient, body, locale from outbox_messages order by recipient, channel`;
    equal(msgs.length, 3);
    const sms2 = msgs.find((m) => m.recipient === "+8801711000002")!;
    equal(sms2.locale, "bn");
    match(sms2.body, /রহমান মিষ্টান্ন ভান্ডার/);
    ok(sms2.body.includes(bnInv.number));
    ok(sms2.body.includes(formatTaka(34_500, "bn")));
    const email1 = msgs.find((m) => m.channel === "email")!;
    match(email1.body, /Dear Hotel Sonargaon/);
    ok(email1.body.includes(en.number));
    // Again the same day, and 5 days later: nothing new.
    equal(await run("2026-12-07"), []);
    equal(await run("2026-12-12"), []);
    // A week later: the 7-day customer again, the 14-day one not yet.
    equal((await run("2026-12-14")).map((r) => r.party), ["b2b:1"]);
    // Two weeks on: the 14-day customer too, and b2b:4's invoice (due 14 Dec) is now overdue.
    equal((await run("2026-12-21")).map((r) => r.party).sort(), ["b2b:1", "b2b:2", "b2b:4"]);
    // Paid up: no more reminders.
    const acc = ledgerOn(sql, dhakaInstant("2026-12-28", "09:00"));
    await received(acc, sql, "b2b:1", 115_000, "2026-12-28");
    const items = await acc.openItems({ side: "receivable", party: "b2b:1" });
    await acc.allocate({
      side: "receivable",
      chargeId: items.find((i) => i.amountMinor > 0)!.id,
      settleId: items.find((i) => i.amountMinor < 0)!.id,
      amountMinor: 115_000,
    }, actor);
    // b2b:1 paid: not reminded; b2b:4's week is up; b2b:2's fortnight is not.
    equal((await acc.runDunning()).map((r) => r.party), ["b2b:4"]);
    equal((await acc.dunningLog("b2b:1")).length, 3);
  });
});
