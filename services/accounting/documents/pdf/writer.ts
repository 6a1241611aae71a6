/**
 * A small PDF 1.7 writer: numbered objects, Flate streams, a cross-reference table, and Type 0
 * fonts (CIDFontType2, Identity-H, CIDToGIDMap /Identity) embedding a TrueType subset with a
 * ToUnicode map. Text is drawn from glyphs already shaped (see fonts.ts), each piece of text
 * wrapped in an /ActualText span so that copying and extraction give the original Unicode.
 */
import { deflateSync } from "node:zlib";
import type { LoadedFont, ShapedRun } from "./fonts.ts";
import { subsetFont } from "./subset.ts";

const enc = new TextEncoder();

export const fmtNum = (n: number) => {
  const r = Math.round(n * 1000) / 1000;
  return Object.is(r, -0) ? "0" : String(r);
};

/** A PDF string as UTF-16BE hex with BOM: <FEFF…>. */
export function utf16Hex(s: string): string {
  let out = "FEFF";
  for (let i = 0; i < s.length; i++) {
    out += s.charCodeAt(i).toString(16).padStart(4, "0").toUpperCase();
  }
  return `<${out}>`;
}

const hex4 = (n: number) => n.toString(16).padStart(4, "0").toUpperCase();

/** A font as used in one document: which glyphs were drawn and what text each stands for. */
export class FontUse {
  readonly used = new Set<number>();
  readonly unicode = new Map<number, string>();
  constructor(readonly font: LoadedFont, readonly resourceName: string) {}

  /** Width of a glyph in PDF glyph space (thousandths of the font size). */
  width(gid: number): number {
    return Math.round(this.font.advanceOf(gid) * 1000 / this.font.upem);
  }

  record(run: ShapedRun) {
    const g = run.glyphs;
    for (let i = 0; i < g.length; i++) {
      this.used.add(g[i].gid);
      if (this.unicode.has(g[i].gid)) continue;
      // the text of the glyph's cluster goes to the cluster's first glyph; the others stay unmapped
      const firstOfCluster = !g.slice(0, i).some((o) => o.cluster === g[i].cluster);
      if (!firstOfCluster) continue;
      const ends = g.map((o) => o.cluster).filter((c) => c > g[i].cluster);
      const end = ends.length ? Math.min(...ends) : run.text.length;
      const text = run.text.slice(g[i].cluster, end);
      if (text) this.unicode.set(g[i].gid, text);
    }
  }
}

export class PdfWriter {
  private bodies: (Uint8Array | null)[] = [];

  alloc(): number {
    this.bodies.push(null);
    return this.bodies.length;
  }

  set(id: number, body: string | Uint8Array) {
    this.bodies[id - 1] = typeof body === "string" ? enc.encode(body) : body;
  }

  add(body: string | Uint8Array): number {
    const id = this.alloc();
    this.set(id, body);
    return id;
  }

  /** A stream object; compressed with Flate unless `raw`. */
  stream(dict: string, data: Uint8Array | string, raw = false): number {
    const bytes = typeof data === "string" ? enc.encode(data) : data;
    const body = raw ? bytes : new Uint8Array(deflateSync(bytes));
    const head = enc.encode(
      `<< ${dict} /Length ${body.length}${raw ? "" : " /Filter /FlateDecode"} >>\nstream\n`,
    );
    const tail = enc.encode("\nendstream");
    const all = new Uint8Array(head.length + body.length + tail.length);
    all.set(head);
    all.set(body, head.length);
    all.set(tail, head.length + body.length);
    return this.add(all);
  }

  /** Embeds a used font (subset) and returns the Type 0 font's object id. */
  async embedFont(use: FontUse, tagSeed: number): Promise<number> {
    const f = use.font;
    const subset = await subsetFont(f.bytes, use.used);
    // subset tag: six capital letters, different per font in the document
    const tagLetters = Array.from(
      { length: 6 },
      (_, i) => String.fromCharCode(65 + ((tagSeed * 7 + i * 3) % 26)),
    ).join("");
    const name = `${tagLetters}+${f.psName}`;
    const s = 1000 / f.upem;
    const file = this.stream(`/Length1 ${subset.length}`, subset);
    const descriptor = this.add(
      `<< /Type /FontDescriptor /FontName /${name} /Flags 4 /FontBBox [${
        f.bbox.map((v) => Math.round(v * s)).join(" ")
      }]` +
        ` /ItalicAngle ${fmtNum(f.italicAngle)} /Ascent ${Math.round(f.ascender * s)} /Descent ${
          Math.round(f.descender * s)
        }` +
        ` /CapHeight ${Math.round(f.capHeight * s)} /StemV ${
          f.key === "bold" ? 120 : 80
        } /FontFile2 ${file} 0 R >>`,
    );
    const gids = [...use.used].sort((a, b) => a - b);
    const w = gids.map((g) => `${g} [${use.width(g)}]`).join(" ");
    const cid = this.add(
      `<< /Type /Font /Subtype /CIDFontType2 /BaseFont /${name}` +
        ` /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >>` +
        ` /FontDescriptor ${descriptor} 0 R /DW 0 /W [${w}] /CIDToGIDMap /Identity >>`,
    );
    const toUnicode = this.stream("", toUnicodeCMap(use.unicode));
    return this.add(
      `<< /Type /Font /Subtype /Type0 /BaseFont /${name} /Encoding /Identity-H` +
        ` /DescendantFonts [${cid} 0 R] /ToUnicode ${toUnicode} 0 R >>`,
    );
  }

  /** The file, with `root` as the catalog and `info` as the document information. */
  finish(root: number, info: number): Uint8Array {
    const parts: Uint8Array[] = [enc.encode("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")];
    let offset = parts[0].length;
    const offsets: number[] = [];
    this.bodies.forEach((body, i) => {
      if (!body) throw new Error(`PDF object ${i + 1} was allocated but never written`);
      offsets.push(offset);
      const head = enc.encode(`${i + 1} 0 obj\n`);
      const tail = enc.encode("\nendobj\n");
      parts.push(head, body, tail);
      offset += head.length + body.length + tail.length;
    });
    const xref = [`xref\n0 ${this.bodies.length + 1}\n0000000000 65535 f \n`]
      .concat(offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`)).join("");
    parts.push(enc.encode(
      `${xref}trailer\n<< /Size ${
        this.bodies.length + 1
      } /Root ${root} 0 R /Info ${info} 0 R >>\nstartxref\n${offset}\n%%EOF\n`,
    ));
    const total = parts.reduce((s, p) => s + p.length, 0);
    const out = new Uint8Array(total);
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}

function toUnicodeCMap(map: Map<number, string>): string {
  const entries = [...map.entries()].sort((a, b) => a[0] - b[0]);
  const chunks: string[] = [];
  for (let i = 0; i < entries.length; i += 100) {
    const part = entries.slice(i, i + 100);
    chunks.push(
      `${part.length} beginbfchar\n` +
        part.map(([g, t]) => `<${hex4(g)}> ${utf16Hex(t).replace("<FEFF", "<")}`).join("\n") +
        "\nendbfchar",
    );
  }
  return [
    "/CIDInit /ProcSet findresource begin",
    "12 dict begin",
    "begincmap",
    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
    "/CMapName /Adobe-Identity-UCS def",
    "/CMapType 2 def",
    "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange",
    ...chunks,
    "endcmap",
    "CMapName currentdict /CMap defineresource pop",
    "end",
    "end",
  ].join("\n");
}

/** Content-stream operators for shaped text at (x, y) (PDF points, y up). */
export function showText(use: FontUse, run: ShapedRun, x: number, y: number, size: number): string {
  use.record(run);
  const f = use.font;
  const sc = size / f.upem;
  const ops: string[] = [
    `/Span << /ActualText ${utf16Hex(run.text)} >> BDC BT /${use.resourceName} ${fmtNum(size)} Tf`,
  ];
  let pen = x;
  let seg: { x: number; y: number; parts: string[] } | null = null;
  const flush = () => {
    if (seg && seg.parts.length) {
      ops.push(`1 0 0 1 ${fmtNum(seg.x)} ${fmtNum(seg.y)} Tm [${seg.parts.join(" ")}] TJ`);
    }
    seg = null;
  };
  for (const g of run.glyphs) {
    if (g.xOffset !== 0 || g.yOffset !== 0) {
      flush();
      ops.push(
        `1 0 0 1 ${fmtNum(pen + g.xOffset * sc)} ${fmtNum(y + g.yOffset * sc)} Tm <${
          hex4(g.gid)
        }> Tj`,
      );
    } else {
      seg ??= { x: pen, y, parts: [] };
      seg.parts.push(`<${hex4(g.gid)}>`);
      const adj = use.width(g.gid) - g.xAdvance * 1000 / f.upem;
      if (Math.abs(adj) > 0.01) seg.parts.push(fmtNum(adj));
    }
    pen += g.xAdvance * sc;
  }
  flush();
  ops.push("ET EMC");
  return ops.join("\n");
}
