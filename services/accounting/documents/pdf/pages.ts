/**
 * What every PDF paper shares: the two fonts (Noto Sans Bengali regular as F1, bold as F2), a
 * portrait A4 sheet with the few drawing moves the plain papers use (tables, statements), and the
 * assembly of drawn pages into a finished file.
 */
import { type FontKey, loadFont } from "./fonts.ts";
import { fmtNum, FontUse, PdfWriter, showText, utf16Hex } from "./writer.ts";

export type DocumentFonts = Record<FontKey, FontUse>;

/** The regular and the bold font, fresh for one document (each records the glyphs it drew). */
export async function loadDocumentFonts(): Promise<DocumentFonts> {
  const [regular, bold] = await Promise.all([loadFont("regular"), loadFont("bold")]);
  return { regular: new FontUse(regular, "F1"), bold: new FontUse(bold, "F2") };
}

/** Drawn pages (content operators each) as a finished PDF; bold is embedded only when drawn. */
export async function assemblePdf(
  fonts: DocumentFonts,
  pages: string[][],
  doc: { width: number; height: number; lang: string; title: string; createdAt?: Date },
): Promise<Uint8Array> {
  const pdf = new PdfWriter();
  const catalog = pdf.alloc();
  const pagesId = pdf.alloc();
  const f1 = await pdf.embedFont(fonts.regular, 1);
  const f2 = fonts.bold.used.size ? await pdf.embedFont(fonts.bold, 2) : null;
  const resources = `<< /Font << /F1 ${f1} 0 R${f2 ? ` /F2 ${f2} 0 R` : ""} >> >>`;
  const ids = pages.map((p) => {
    const content = pdf.stream("", p.join("\n"));
    return pdf.add(
      `<< /Type /Page /Parent ${pagesId} 0 R /MediaBox [0 0 ${doc.width} ${doc.height}] /Resources ${resources} /Contents ${content} 0 R >>`,
    );
  });
  pdf.set(
    pagesId,
    `<< /Type /Pages /Kids [${ids.map((id) => `${id} 0 R`).join(" ")}] /Count ${ids.length} >>`,
  );
  pdf.set(catalog, `<< /Type /Catalog /Pages ${pagesId} 0 R /Lang (${doc.lang}) >>`);
  const created = doc.createdAt
    ? ` /CreationDate (D:${doc.createdAt.toISOString().replace(/[-:T]/g, "").slice(0, 14)}Z)`
    : "";
  const info = pdf.add(`<< /Title ${utf16Hex(doc.title)} /Producer (Smart Dairy)${created} >>`);
  return pdf.finish(catalog, info);
}

/** A4 portrait, in points, and the margin the plain papers keep. */
export const A4 = { width: 595.28, height: 841.89, margin: 36 };

/** A portrait A4 sheet drawn top-down: `y` is a baseline measured from the top of the page. */
export class PortraitSheet {
  readonly pages: string[][] = [];
  private ops: string[] = [];
  constructor(readonly fonts: DocumentFonts) {}

  /** Starts a page; what is drawn next goes on it. */
  newPage() {
    this.ops = [];
    this.pages.push(this.ops);
  }

  width(s: string, key: FontKey, size: number): number {
    const f = this.fonts[key].font;
    return f.shape(s).advance * size / f.upem;
  }

  text(s: string, x: number, y: number, size: number, key: FontKey = "regular") {
    if (s) {
      this.ops.push(
        showText(this.fonts[key], this.fonts[key].font.shape(s), x, A4.height - y, size),
      );
    }
  }

  /** Text whose right edge stands at `xr`. */
  right(s: string, xr: number, y: number, size: number, key: FontKey = "regular") {
    this.text(s, xr - this.width(s, key, size), y, size, key);
  }

  /** The text cut short with "…" until it is no wider than `w`. */
  fit(s: string, w: number, size: number, key: FontKey = "regular"): string {
    let out = s;
    while (out.length > 1 && this.width(out, key, size) > w) out = out.slice(0, -2) + "…";
    return out;
  }

  /** A thin rule across the page between the margins. */
  rule(y: number) {
    const { width, height, margin } = A4;
    this.ops.push(
      `0.5 w ${margin} ${fmtNum(height - y)} m ${width - margin} ${fmtNum(height - y)} l S`,
    );
  }

  finish(lang: string, title: string, createdAt?: Date): Promise<Uint8Array> {
    return assemblePdf(this.fonts, this.pages, {
      width: A4.width,
      height: A4.height,
      lang,
      title,
      createdAt,
    });
  }
}
