/**
 * A customer's or supplier's statement as PDF (A4 portrait), drawn with the sales documents' PDF
 * writer and Noto Sans Bengali (shaped by harfbuzz), so Bangla names and texts print correctly.
 */
import { formatTaka } from "@/services/i18n/mod.ts";
import { toBanglaDigits } from "@/services/i18n/digits.ts";
import { type FontKey, loadFont } from "./documents/pdf/fonts.ts";
import { fmtNum, FontUse, PdfWriter, showText, utf16Hex } from "./documents/pdf/writer.ts";
import { arapTexts } from "./arap_messages.ts";
import type { Statement } from "./receivables.ts";

const W = 595.28, H = 841.89, M = 36;

export async function statementPdf(s: Statement, opts: { createdAt?: Date; seller?: string } = {}) {
  const [regular, bold] = await Promise.all([loadFont("regular"), loadFont("bold")]);
  const fonts: Record<FontKey, FontUse> = {
    regular: new FontUse(regular, "F1"),
    bold: new FontUse(bold, "F2"),
  };
  const t = arapTexts[s.lang];
  const money = (m: number) => formatTaka(m, s.lang);
  /** Dates and day counts in the statement's digits. */
  const d = (str: string) => (s.lang === "bn" ? toBanglaDigits(str) : str);
  const pages: string[][] = [];
  let ops: string[] = [];
  let top = 0;
  const width = (text: string, key: FontKey, size: number) =>
    fonts[key].font.shape(text).advance * size / fonts[key].font.upem;
  const text = (str: string, x: number, y: number, size: number, key: FontKey = "regular") => {
    if (!str) return;
    ops.push(showText(fonts[key], fonts[key].font.shape(str), x, H - y, size));
  };
  const right = (str: string, xr: number, y: number, size: number, key: FontKey = "regular") =>
    text(str, xr - width(str, key, size), y, size, key);
  const rule = (y: number) =>
    ops.push(`0.5 w ${M} ${fmtNum(H - y)} m ${W - M} ${fmtNum(H - y)} l S`);
  const newPage = () => {
    ops = [];
    pages.push(ops);
    top = M + 14;
    text(opts.seller ?? "Smart Dairy Ltd.", M, top, 10, "bold");
    right(t.statementTitle(s.side), W - M, top, 12, "bold");
    top += 20;
  };
  // date | reference | details | charged | paid or credited | balance (right edges of the amounts)
  const cols = [M, M + 62, M + 170, W - M - 180, W - M - 90, W - M];
  const header = () => {
    text(t.date, cols[0], top, 8, "bold");
    text(t.reference, cols[1], top, 8, "bold");
    text(t.memo, cols[2], top, 8, "bold");
    right(t.charge, cols[3], top, 8, "bold");
    right(t.settled, cols[4], top, 8, "bold");
    right(t.balance, cols[5], top, 8, "bold");
    rule(top + 4);
    top += 16;
  };
  const fit = (str: string, w: number, size: number) => {
    let out = str;
    while (out.length > 1 && width(out, "regular", size) > w) out = out.slice(0, -2) + "…";
    return out;
  };
  newPage();
  text(s.name, M, top, 11, "bold");
  top += 15;
  text(`${t.period}: ${d(s.from)} – ${d(s.to)}`, M, top, 9);
  top += 20;
  header();
  text(t.opening, cols[2], top, 8.5);
  right(money(s.openingMinor), cols[5], top, 8.5);
  top += 14;
  for (const l of s.lines) {
    if (top > H - M - 60) {
      newPage();
      header();
    }
    text(d(l.date), cols[0], top, 8.5);
    text(fit(l.reference, cols[2] - cols[1] - 6, 8.5), cols[1], top, 8.5);
    text(fit(l.memo, cols[3] - cols[2] - 70, 8), cols[2], top, 8);
    if (l.chargeMinor) right(money(l.chargeMinor), cols[3], top, 8.5);
    if (l.settleMinor) right(money(l.settleMinor), cols[4], top, 8.5);
    right(money(l.balanceMinor), cols[5], top, 8.5);
    top += 13;
  }
  rule(top - 8);
  top += 4;
  text(t.closing, cols[2], top, 9.5, "bold");
  right(money(s.closingMinor), cols[5], top, 9.5, "bold");
  top += 26;
  if (top > H - M - 120) newPage();
  text(t.openItems, M, top, 10, "bold");
  top += 14;
  for (const i of s.open) {
    if (top > H - M - 60) newPage();
    text(i.documentNumber ?? `${i.source} ${i.sourceRef}`, M, top, 8.5);
    text(`${t.due} ${d(i.dueDate)}`, M + 170, top, 8.5);
    if (i.openMinor > 0 && i.daysOverdue > 0) {
      text(d(t.daysOverdue(i.daysOverdue)), M + 300, top, 8.5);
    }
    right(money(i.openMinor), W - M, top, 8.5);
    top += 13;
  }
  top += 12;
  const b = [...Object.entries(s.ageing)] as [keyof typeof t.buckets, number][];
  const bw = (W - 2 * M) / (b.length + 1);
  b.forEach(([k, v], n) => {
    text(t.buckets[k], M + n * bw, top, 8, "bold");
    text(money(v), M + n * bw, top + 12, 8.5);
  });
  text(t.credit, M + b.length * bw, top, 8, "bold");
  text(money(s.creditMinor), M + b.length * bw, top + 12, 8.5);
  top += 36;
  text(t.signOff, M, top, 8);

  const pdf = new PdfWriter();
  const catalog = pdf.alloc();
  const pagesId = pdf.alloc();
  const f1 = await pdf.embedFont(fonts.regular, 1);
  const f2 = fonts.bold.used.size ? await pdf.embedFont(fonts.bold, 2) : null;
  const resources = `<< /Font << /F1 ${f1} 0 R${f2 ? ` /F2 ${f2} 0 R` : ""} >> >>`;
  const ids = pages.map((p) => {
    const content = pdf.stream("", p.join("\n"));
    return pdf.add(
      `<< /Type /Page /Parent ${pagesId} 0 R /MediaBox [0 0 ${W} ${H}] /Resources ${resources} /Contents ${content} 0 R >>`,
    );
  });
  pdf.set(
    pagesId,
    `<< /Type /Pages /Kids [${ids.map((id) => `${id} 0 R`).join(" ")}] /Count ${ids.length} >>`,
  );
  pdf.set(catalog, `<< /Type /Catalog /Pages ${pagesId} 0 R /Lang (${s.lang}) >>`);
  const created = opts.createdAt
    ? ` /CreationDate (D:${opts.createdAt.toISOString().replace(/[-:T]/g, "").slice(0, 14)}Z)`
    : "";
  const info = pdf.add(
    `<< /Title ${
      utf16Hex(`${t.statementTitle(s.side)} ${s.name}`)
    } /Producer (Smart Dairy)${created} >>`,
  );
  return pdf.finish(catalog, info);
}
