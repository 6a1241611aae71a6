/**
 * The sales documents as PDF: both copies (original for the buyer, duplicate for the seller),
 * A4 landscape, drawn from the same document model as the HTML. Long invoices continue on further
 * pages with the table header repeated.
 */
import { toBanglaDigits } from "@/services/i18n/digits.ts";
import type { DocCell, DocColumn, DocField, SalesDocument } from "../mushak.ts";
import type { FontKey } from "./fonts.ts";
import { assemblePdf, type DocumentFonts, loadDocumentFonts } from "./pages.ts";
import { fmtNum, showText } from "./writer.ts";

const W = 841.89, H = 595.28, M = 28;
const INNER = W - 2 * M;

interface Page {
  ops: string[];
}

class Canvas {
  pages: Page[] = [];
  page!: Page;
  constructor(readonly fonts: DocumentFonts) {}

  newPage() {
    this.page = { ops: [] };
    this.pages.push(this.page);
  }

  width(text: string, key: FontKey, size: number): number {
    const f = this.fonts[key].font;
    return f.shape(text).advance * size / f.upem;
  }

  /** Text with its baseline at `top` (measured from the top of the page). */
  text(text: string, x: number, top: number, size: number, key: FontKey = "regular", gray = 0) {
    if (!text) return;
    const use = this.fonts[key];
    const run = use.font.shape(text);
    this.page.ops.push(gray ? `${fmtNum(gray)} g` : "0 g");
    this.page.ops.push(showText(use, run, x, H - top, size));
  }

  textAligned(
    text: string,
    x: number,
    w: number,
    top: number,
    size: number,
    align: DocColumn["align"],
    key: FontKey = "regular",
    gray = 0,
  ) {
    const tw = this.width(text, key, size);
    const dx = align === "right" ? w - tw : align === "center" ? (w - tw) / 2 : 0;
    this.text(text, x + dx, top, size, key, gray);
  }

  rect(x: number, top: number, w: number, h: number, fillGray?: number) {
    const y = H - top - h;
    if (fillGray !== undefined) {
      this.page.ops.push(
        `${fmtNum(fillGray)} g ${fmtNum(x)} ${fmtNum(y)} ${fmtNum(w)} ${fmtNum(h)} re f 0 g`,
      );
    }
    this.page.ops.push(`0.5 w 0 G ${fmtNum(x)} ${fmtNum(y)} ${fmtNum(w)} ${fmtNum(h)} re S`);
  }

  line(x1: number, top: number, x2: number) {
    this.page.ops.push(
      `0.5 w 0 G ${fmtNum(x1)} ${fmtNum(H - top)} m ${fmtNum(x2)} ${fmtNum(H - top)} l S`,
    );
  }

  /** Breaks text into lines no wider than `w` (at spaces; a longer word stays whole). */
  wrap(text: string, w: number, size: number, key: FontKey = "regular"): string[] {
    const words = text.split(/ +/);
    const lines: string[] = [];
    let cur = "";
    for (const word of words) {
      const next = cur ? `${cur} ${word}` : word;
      if (cur && this.width(next, key, size) > w) {
        lines.push(cur);
        cur = word;
      } else cur = next;
    }
    if (cur) lines.push(cur);
    return lines.length ? lines : [""];
  }

  /** The largest size ≤ `size` at which `text` fits in `w` on one line. */
  fitSize(text: string, w: number, size: number, key: FontKey = "regular"): number {
    const tw = this.width(text, key, size);
    return tw <= w ? size : Math.max(4, size * w / tw);
  }
}

const LH = 1.35; // line height factor
const PAD = 2.5;

function drawHeader(c: Canvas, doc: SalesDocument, copyLabel: string): number {
  c.newPage();
  // form code and copy label, top right
  const codeW = c.width(doc.formCode, "bold", 11);
  c.text(doc.formCode, W - M - codeW, M + 10, 11, "bold");
  const labW = c.width(copyLabel, "regular", 8);
  c.rect(W - M - labW - 6, M + 15, labW + 6, 13);
  c.text(copyLabel, W - M - labW - 3, M + 25, 8);
  let top = M + 9;
  for (const h of doc.heading) {
    c.textAligned(h, M, INNER, top, 8.5, "center");
    top += 11.5;
  }
  top += 6;
  c.textAligned(doc.title, M, INNER, top, 14, "center", "bold");
  return top + 10;
}

function drawFields(c: Canvas, fields: DocField[], x: number, w: number, top: number): number {
  for (const f of fields) {
    c.text(f.label, x, top + 7, 7, "bold", 0.25);
    top += 7 * LH;
    for (const line of c.wrap(f.value || " ", w, 8.5)) {
      c.text(line, x, top + 8.5, 8.5);
      top += 8.5 * LH;
    }
    top += 2;
  }
  return top;
}

interface Layout {
  xs: number[];
  ws: number[];
}

function columnsLayout(doc: SalesDocument): Layout {
  const sum = doc.columns.reduce((s, col) => s + col.width, 0);
  const ws = doc.columns.map((col) => col.width / sum * INNER);
  const xs: number[] = [];
  ws.reduce((x, w) => (xs.push(x), x + w), M);
  return { xs, ws };
}

function drawTableHeader(c: Canvas, doc: SalesDocument, lay: Layout, top: number): number {
  const size = 6.8;
  const wrapped = doc.columns.map((col, i) => c.wrap(col.label, lay.ws[i] - 2 * PAD, size, "bold"));
  const h = Math.max(...wrapped.map((l) => l.length)) * size * LH + 2 * PAD;
  doc.columns.forEach((_col, i) => {
    c.rect(lay.xs[i], top, lay.ws[i], h, 0.93);
    wrapped[i].forEach((line, j) => {
      c.textAligned(
        line,
        lay.xs[i] + PAD,
        lay.ws[i] - 2 * PAD,
        top + PAD + (j + 0.8) * size * LH,
        size,
        "center",
        "bold",
      );
    });
  });
  return top + h;
}

interface RowLayout {
  cells: { lines: string[]; size: number; sub: string[] }[];
  height: number;
}

function rowLayout(
  c: Canvas,
  doc: SalesDocument,
  lay: Layout,
  cells: (DocCell | undefined)[],
  key: FontKey,
): RowLayout {
  const size = 7.5, subSize = 6.5;
  const out = doc.columns.map((col, i) => {
    const cell = cells[i];
    const w = lay.ws[i] - 2 * PAD;
    if (!cell || !cell.text) return { lines: [], size, sub: [] };
    if (col.align === "left") {
      return {
        lines: c.wrap(cell.text, w, size, key),
        size,
        sub: cell.sub ? c.wrap(cell.sub, w, subSize) : [],
      };
    }
    return { lines: [cell.text], size: c.fitSize(cell.text, w, size, key), sub: [] };
  });
  const height = Math.max(
    ...out.map((o) => o.lines.length * size * LH + o.sub.length * subSize * LH),
  ) + 2 * PAD;
  return { cells: out, height };
}

function drawRow(
  c: Canvas,
  doc: SalesDocument,
  lay: Layout,
  row: RowLayout,
  top: number,
  key: FontKey,
) {
  doc.columns.forEach((col, i) => {
    c.rect(lay.xs[i], top, lay.ws[i], row.height);
    const cell = row.cells[i];
    let y = top + PAD;
    for (const line of cell.lines) {
      y += 7.5 * LH;
      c.textAligned(line, lay.xs[i] + PAD, lay.ws[i] - 2 * PAD, y - 2.2, cell.size, col.align, key);
    }
    for (const line of cell.sub) {
      y += 6.5 * LH;
      c.textAligned(
        line,
        lay.xs[i] + PAD,
        lay.ws[i] - 2 * PAD,
        y - 2,
        6.5,
        col.align,
        "regular",
        0.3,
      );
    }
  });
}

function drawCopy(c: Canvas, doc: SalesDocument, copyLabel: string) {
  const first = c.pages.length;
  let top = drawHeader(c, doc, copyLabel);
  const colW = (INNER - 2 * 14) / 3;
  const bottoms = [doc.seller, doc.buyer, doc.meta].map((fields, i) =>
    drawFields(c, fields, M + i * (colW + 14), colW, top)
  );
  top = Math.max(...bottoms) + 4;
  if (doc.adjustment.length) {
    // the original invoice and the reason, in a framed band across the page (Mushak 6.7)
    const ws = [INNER * 0.22, INNER * 0.18, INNER * 0.6];
    const start = top;
    let x = M, bottom = top;
    doc.adjustment.forEach((f, i) => {
      bottom = Math.max(bottom, drawFields(c, [f], x + 4, ws[i] - 8, start + 3));
      x += ws[i];
    });
    c.rect(M, start, INNER, bottom - start + 1);
    top = bottom + 6;
  }
  const lay = columnsLayout(doc);
  top = drawTableHeader(c, doc, lay, top);
  const bottomLimit = H - M - 12;
  for (const row of doc.rows) {
    const rl = rowLayout(c, doc, lay, doc.columns.map((col) => row[col.key]), "regular");
    if (top + rl.height > bottomLimit) {
      top = drawHeader(c, doc, copyLabel);
      top = drawTableHeader(c, doc, lay, top);
    }
    drawRow(c, doc, lay, rl, top, "regular");
    top += rl.height;
  }
  // totals row: the label spans the first five columns
  const totalsCells: (DocCell | undefined)[] = doc.columns.map((col, i) =>
    i === 0 ? undefined : doc.totals[col.key] ? { text: doc.totals[col.key]! } : undefined
  );
  const trl = rowLayout(c, doc, lay, totalsCells, "bold");
  const notesH = doc.notes.length * 7 * LH * 2 + 70;
  if (top + trl.height + notesH > H - M) {
    top = drawHeader(c, doc, copyLabel);
    top = drawTableHeader(c, doc, lay, top);
  }
  const spanW = lay.ws.slice(0, 5).reduce((s, w) => s + w, 0);
  c.rect(M, top, spanW, trl.height);
  c.text(doc.totalsLabel, M + PAD, top + PAD + 7.5 * LH - 2.2, 7.5, "bold");
  doc.columns.forEach((col, i) => {
    if (i < 5) return;
    c.rect(lay.xs[i], top, lay.ws[i], trl.height);
    const cell = trl.cells[i];
    if (cell.lines[0]) {
      c.textAligned(
        cell.lines[0],
        lay.xs[i] + PAD,
        lay.ws[i] - 2 * PAD,
        top + PAD + 7.5 * LH - 2.2,
        cell.size,
        col.align,
        "bold",
      );
    }
  });
  top += trl.height + 10;
  for (const note of doc.notes) {
    for (const line of c.wrap(`• ${note}`, INNER, 7)) {
      c.text(line, M, top, 7, "regular", 0.2);
      top += 7 * LH;
    }
  }
  top += 24;
  // signature block: name (wide), designation, signature and seal
  const widths = [INNER * 0.45, INNER * 0.25, INNER * 0.25];
  let x = M;
  doc.signature.forEach((f, i) => {
    c.text(f.value, x, top, 8.5);
    c.line(x, top + 4, x + widths[i] - 12);
    c.text(f.label, x, top + 13, 7, "bold", 0.25);
    x += widths[i] + INNER * 0.025;
  });
  // "DHK-2627-000042 · 1/2" in the top left corner of each page of this copy
  const count = c.pages.length - first;
  for (let i = 0; i < count; i++) {
    c.page = c.pages[first + i];
    const n = `${i + 1}/${count}`;
    c.text(
      `${doc.number} · ${doc.lang === "bn" ? toBanglaDigits(n) : n}`,
      M,
      M + 10,
      7,
      "regular",
      0.35,
    );
  }
}

export interface PdfOptions {
  /** Document information dictionary: creation date (the injected clock's now). */
  createdAt?: Date;
}

/** Both copies of a Mushak 6.3 or 6.7 as one PDF file. */
export async function salesDocumentPdf(
  doc: SalesDocument,
  opts: PdfOptions = {},
): Promise<Uint8Array> {
  const c = new Canvas(await loadDocumentFonts());
  for (const copy of doc.copies) drawCopy(c, doc, copy.label);
  return assemblePdf(c.fonts, c.pages.map((p) => p.ops), {
    width: W,
    height: H,
    lang: doc.lang,
    title: `${doc.formCode} ${doc.title} ${doc.number}`,
    createdAt: opts.createdAt,
  });
}
