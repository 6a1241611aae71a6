/**
 * A plain document as PDF (A4 portrait): a title, a few heading lines, a table and closing lines,
 * drawn with the sales documents' PDF writer and Noto Sans Bengali shaped by harfbuzz (Bangla
 * prints correctly). Other contexts print their own papers with it (B2B delivery notes).
 */
import { A4, loadDocumentFonts, PortraitSheet } from "./pages.ts";

const { width: W, height: H, margin: M } = A4;

export interface TableDoc {
  lang: "en" | "bn";
  seller: string;
  title: string;
  /** Lines under the title (addresses, numbers, dates). */
  heading: string[];
  /** Column labels; `right` aligns a column's figures right; widths are shares of the line. */
  columns: { label: string; share: number; right?: boolean }[];
  rows: string[][];
  /** Lines after the table (totals, signatures); "*" first makes a line bold. */
  footer: string[];
}

export async function tablePdf(doc: TableDoc, opts: { createdAt?: Date } = {}) {
  const sheet = new PortraitSheet(await loadDocumentFonts());
  let top = 0;
  const total = doc.columns.reduce((t, c) => t + c.share, 0);
  const xs: number[] = [];
  let x = M;
  for (const c of doc.columns) {
    xs.push(x);
    x += (W - 2 * M) * c.share / total;
  }
  const cell = (s: string, i: number, y: number, size: number, key: "regular" | "bold") => {
    const w = (W - 2 * M) * doc.columns[i].share / total - 6;
    const str = sheet.fit(s, w, size, key);
    if (doc.columns[i].right) sheet.right(str, xs[i] + w + 3, y, size, key);
    else sheet.text(str, xs[i], y, size, key);
  };
  const header = () => {
    doc.columns.forEach((c, i) => cell(c.label, i, top, 8.5, "bold"));
    sheet.rule(top + 4);
    top += 16;
  };
  const newPage = () => {
    sheet.newPage();
    top = M + 14;
    sheet.text(doc.seller, M, top, 10, "bold");
    sheet.right(doc.title, W - M, top, 13, "bold");
    top += 22;
  };
  newPage();
  for (const h of doc.heading) {
    sheet.text(h, M, top, 9.5);
    top += 13;
  }
  top += 8;
  header();
  for (const r of doc.rows) {
    if (top > H - M - 40) {
      newPage();
      header();
    }
    r.forEach((s, i) => cell(s, i, top, 9, "regular"));
    top += 14;
  }
  sheet.rule(top - 8);
  top += 8;
  for (const f of doc.footer) {
    if (top > H - M - 20) newPage();
    // A line starting with "*" is bold (the star is not printed).
    if (f.startsWith("*")) sheet.text(f.slice(1), M, top, 9.5, "bold");
    else sheet.text(f, M, top, 9.5);
    top += 14;
  }
  return sheet.finish(doc.lang, doc.title, opts.createdAt);
}
