/**
 * Demo ledger: opening balances at the start of the fiscal year and a few months of plausible
 * manual entries (cash sales, wallet settlements net of fees, farmers and suppliers paid,
 * salaries, electricity, VAT). Postings from operations come later. Idempotent: every entry has a
 * fixed demo reference, so a second run posts nothing.
 */
import type { Sql } from "@/services/platform/db.ts";
import { dhakaDate } from "@/services/platform/dhaka.ts";
import { fiscalYearOf } from "./periods.ts";
import { postMany } from "./poster.ts";
import type { Posting, PostingLine } from "./types.ts";

const tk = (taka: number) => Math.round(taka * 100);
const dr = (account: string, taka: number, memo = ""): PostingLine => ({
  account,
  debitMinor: tk(taka),
  memo,
});
const cr = (account: string, taka: number, memo = ""): PostingLine => ({
  account,
  creditMinor: tk(taka),
  memo,
});

export async function seedAccounting(
  sql: Sql,
  opts: { now?: Date; log?: (msg: string) => void } = {},
): Promise<{ created: number }> {
  const today = dhakaDate(opts.now ?? new Date());
  const fy = fiscalYearOf(today);
  const postings: Posting[] = [{
    source: "opening",
    sourceRef: fy.code,
    date: fy.startsOn,
    journal: "OPENING",
    memo: `Opening balances ${fy.code}`,
    lines: [
      dr("1110", 85_000),
      dr("1151", 4_250_000),
      dr("1152", 1_100_000),
      dr("1160", 38_500),
      dr("1210", 640_000),
      dr("1340", 510_000),
      dr("1350", 275_000),
      dr("1510", 18_500_000),
      dr("1540", 21_000_000),
      cr("1590", 3_200_000),
      cr("2110", 420_000),
      cr("2120", 380_000),
      cr("2310", 96_000),
      cr("2400", 9_000_000),
      cr("3100", 25_000_000),
      cr("3200", 8_302_500),
    ],
  }];
  // Each month from the year's start to last month (at most five).
  const months: string[] = [];
  for (let d = fy.startsOn; d.slice(0, 7) < today.slice(0, 7) && months.length < 5;) {
    months.push(d.slice(0, 7));
    const [y, m] = d.split("-").map(Number);
    d = `${m === 12 ? y + 1 : y}-${String(m === 12 ? 1 : m + 1).padStart(2, "0")}-01`;
  }
  months.forEach((ym, i) => {
    const f = 1 + i * 0.04;
    const demo = (day: string, journal: Posting["journal"], memo: string, lines: PostingLine[]) =>
      postings.push({
        source: "demo",
        sourceRef: `${ym}-${postings.length}`,
        date: `${ym}-${day}`,
        journal,
        memo,
        lines,
      });
    const net = Math.round(1_450_000 * f);
    demo("10", "SALES", "B2B invoices (month)", [
      dr("1210", net * 1.15),
      cr("4120", net),
      cr("2310", net * 0.15),
    ]);
    const shop = Math.round(620_000 * f);
    demo("15", "SALES", "Shop orders paid by bKash", [
      dr("1160", shop + 12_000),
      cr("4110", shop / 1.15),
      cr("2310", shop - shop / 1.15),
      cr("4200", 12_000),
    ]);
    demo("18", "BANK", "bKash settlement to DBBL, fee 1.5 %", [
      dr("1151", (shop + 12_000) * 0.985),
      dr("5200", (shop + 12_000) * 0.015),
      cr("1160", shop + 12_000),
    ]);
    demo("20", "BANK", "B2B customers paid", [dr("1151", net * 1.1), cr("1210", net * 1.1)]);
    demo("25", "BANK", "Contract farmers paid (milk statements)", [
      dr("2120", 540_000 * f),
      cr("1151", 540_000 * f),
    ]);
    demo("27", "BANK", "Salaries and wages", [dr("5400", 410_000), cr("1151", 410_000)]);
    demo("28", "CASH", "DESCO electricity bill", [dr("5500", 68_500 * f), cr("1110", 68_500 * f)]);
  });
  const exact = postings.map((p) => {
    // Rounded to the poisha: the last line takes the difference so every entry balances.
    const lines = p.lines.map((l) => ({
      ...l,
      debitMinor: l.debitMinor && Math.round(l.debitMinor),
      creditMinor: l.creditMinor && Math.round(l.creditMinor),
    }));
    const diff = lines.reduce((s, l) => s + (l.debitMinor ?? 0) - (l.creditMinor ?? 0), 0);
    const last = lines[lines.length - 1];
    if (last.creditMinor) last.creditMinor += diff;
    else if (last.debitMinor) last.debitMinor -= diff;
    return { ...p, lines, actor: { id: null, name: "Demo" } };
  });
  const posted = await sql.begin((tx) => postMany(tx, exact));
  const created = posted.filter((p) => p.created).length;
  if (created) opts.log?.(`demo ledger: ${created} journal entries`);
  return { created };
}
