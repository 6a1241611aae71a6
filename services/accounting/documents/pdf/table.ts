/**
 * A plain document as PDF (A4 portrait): a title, a few heading lines, a table and closing lines,
 * drawn with the sales documents' PDF writer and Noto Sans Bengali shaped by harfbuzz (Bangla
 * prints correctly). Other contexts print their own papers with it (B2B delivery notes).
 */
import { type FontKey, loadFont } from "./fonts.ts";
import { fmtNum, FontUse, PdfWriter, showText, utf16Hex } from "./writer.ts";

const W = 595.28, H = 841.89, M = 36;

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
  const [regular, bold] = await Promise.all([loadFont("regular"), loadFont("bold")]);
  const fonts: Record<FontKey, FontUse> = {
    regular: new FontUse(regular, "F1"),
    bold: new FontUse(bold, "F2"),
  };
  const pages: string[][] = [];
  let ops: string[] = [];
  let top = 0;
  const width = (s: string, key: FontKey, size: number) =>
    fonts[key].font.shape(s).advance * size / fonts[key].font.upem;
  const text = (s: string, x: number, y: number, size: number, key: FontKey = "regular") => {
    if (s) ops.push(showText(fonts[key], fonts[key].font.shape(s), x, H - y, size));
  };
  const fit = (s: string, w: number, size: number, key: FontKey) => {
    let out = s;
    while (out.length > 1 && width(out, key, size) > w) out = out.slice(0, -2) + "…";
    return out;
  };
  const total = doc.columns.reduce((t, c) => t + c.share, 0);
  const xs: number[] = [];
  let x = M;
  for (const c of doc.columns) {
    xs.push(x);
    x += (W - 2 * M) * c.share / total;
  }
  const cell = (s: string, i: number, y: number, size: number, key: FontKey) => {
    const w = (W - 2 * M) * doc.columns[i].share / total - 6;
    const str = fit(s, w, size, key);
    if (doc.columns[i].right) text(str, xs[i] + w + 3 - width(str, key, size), y, size, key);
    else text(str, xs[i], y, size, key);
  };
  const rule = (y: number) =>
    ops.push(`0.5 w ${M} ${fmtNum(H - y)} m ${W - M} ${fmtNum(H - y)} l S`);
  const header = () => {
    doc.columns.forEach((c, i) => cell(c.label, i, top, 8.5, "bold"));
    rule(top + 4);
    top += 16;
  };
  const newPage = () => {
    ops = [];
    pages.push(ops);
    top = M + 14;
    text(doc.seller, M, top, 10, "bold");
    const tw = width(doc.title, "bold", 13);
    text(doc.title, W - M - tw, top, 13, "bold");
    top += 22;
  };
  newPage();
  for (const h of doc.heading) {
    text(h, M, top, 9.5);
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
  rule(top - 8);
  top += 8;
  for (const f of doc.footer) {
    if (top > H - M - 20) newPage();
    // A line starting with "*" is bold (the star is not printed).
    if (f.startsWith("*")) text(f.slice(1), M, top, 9.5, "bold");
    else text(f, M, top, 9.5);
    top += 14;
  }

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
  pdf.set(catalog, `<< /Type /Catalog /Pages ${pagesId} 0 R /Lang (${doc.lang}) >>`);
  const created = opts.createdAt
    ? ` /CreationDate (D:${opts.createdAt.toISOString().replace(/[-:T]/g, "").slice(0, 14)}Z)`
    : "";
  const info = pdf.add(`<< /Title ${utf16Hex(doc.title)} /Producer (Smart Dairy)${created} >>`);
  return pdf.finish(catalog, info);
}
