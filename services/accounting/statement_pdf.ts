/**
 * A customer's or supplier's statement as PDF (A4 portrait), drawn with the sales documents' PDF
 * writer and Noto Sans Bengali (shaped by harfbuzz), so Bangla names and texts print correctly.
 */
import { formatTaka } from "@/services/i18n/mod.ts";
import { toBanglaDigits } from "@/services/i18n/digits.ts";
import { A4, loadDocumentFonts, PortraitSheet } from "./documents/pdf/pages.ts";
import { arapTexts } from "./arap_messages.ts";
import type { Statement } from "./receivables.ts";

const { width: W, height: H, margin: M } = A4;

export async function statementPdf(s: Statement, opts: { createdAt?: Date; seller?: string } = {}) {
  const sheet = new PortraitSheet(await loadDocumentFonts());
  const t = arapTexts[s.lang];
  const money = (m: number) => formatTaka(m, s.lang);
  /** Dates and day counts in the statement's digits. */
  const d = (str: string) => (s.lang === "bn" ? toBanglaDigits(str) : str);
  let top = 0;
  const newPage = () => {
    sheet.newPage();
    top = M + 14;
    sheet.text(opts.seller ?? "Smart Dairy Ltd.", M, top, 10, "bold");
    sheet.right(t.statementTitle(s.side), W - M, top, 12, "bold");
    top += 20;
  };
  // date | reference | details | charged | paid or credited | balance (right edges of the amounts)
  const cols = [M, M + 62, M + 170, W - M - 180, W - M - 90, W - M];
  const header = () => {
    sheet.text(t.date, cols[0], top, 8, "bold");
    sheet.text(t.reference, cols[1], top, 8, "bold");
    sheet.text(t.memo, cols[2], top, 8, "bold");
    sheet.right(t.charge, cols[3], top, 8, "bold");
    sheet.right(t.settled, cols[4], top, 8, "bold");
    sheet.right(t.balance, cols[5], top, 8, "bold");
    sheet.rule(top + 4);
    top += 16;
  };
  newPage();
  sheet.text(s.name, M, top, 11, "bold");
  top += 15;
  sheet.text(`${t.period}: ${d(s.from)} – ${d(s.to)}`, M, top, 9);
  top += 20;
  header();
  sheet.text(t.opening, cols[2], top, 8.5);
  sheet.right(money(s.openingMinor), cols[5], top, 8.5);
  top += 14;
  for (const l of s.lines) {
    if (top > H - M - 60) {
      newPage();
      header();
    }
    sheet.text(d(l.date), cols[0], top, 8.5);
    sheet.text(sheet.fit(l.reference, cols[2] - cols[1] - 6, 8.5), cols[1], top, 8.5);
    sheet.text(sheet.fit(l.memo, cols[3] - cols[2] - 70, 8), cols[2], top, 8);
    if (l.chargeMinor) sheet.right(money(l.chargeMinor), cols[3], top, 8.5);
    if (l.settleMinor) sheet.right(money(l.settleMinor), cols[4], top, 8.5);
    sheet.right(money(l.balanceMinor), cols[5], top, 8.5);
    top += 13;
  }
  sheet.rule(top - 8);
  top += 4;
  sheet.text(t.closing, cols[2], top, 9.5, "bold");
  sheet.right(money(s.closingMinor), cols[5], top, 9.5, "bold");
  top += 26;
  if (top > H - M - 120) newPage();
  sheet.text(t.openItems, M, top, 10, "bold");
  top += 14;
  for (const i of s.open) {
    if (top > H - M - 60) newPage();
    sheet.text(i.documentNumber ?? `${i.source} ${i.sourceRef}`, M, top, 8.5);
    sheet.text(`${t.due} ${d(i.dueDate)}`, M + 170, top, 8.5);
    if (i.openMinor > 0 && i.daysOverdue > 0) {
      sheet.text(d(t.daysOverdue(i.daysOverdue)), M + 300, top, 8.5);
    }
    sheet.right(money(i.openMinor), W - M, top, 8.5);
    top += 13;
  }
  top += 12;
  const b = [...Object.entries(s.ageing)] as [keyof typeof t.buckets, number][];
  const bw = (W - 2 * M) / (b.length + 1);
  b.forEach(([k, v], n) => {
    sheet.text(t.buckets[k], M + n * bw, top, 8, "bold");
    sheet.text(money(v), M + n * bw, top + 12, 8.5);
  });
  sheet.text(t.credit, M + b.length * bw, top, 8, "bold");
  sheet.text(money(s.creditMinor), M + b.length * bw, top + 12, 8.5);
  top += 36;
  sheet.text(t.signOff, M, top, 8);

  return sheet.finish(s.lang, `${t.statementTitle(s.side)} ${s.name}`, opts.createdAt);
}
