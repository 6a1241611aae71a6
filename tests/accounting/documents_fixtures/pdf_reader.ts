/** Just enough of a PDF reader for the tests: objects, Flate streams, ToUnicode maps, ActualText. */
import { inflateSync } from "node:zlib";

export interface PdfObject {
  id: number;
  dict: string;
  stream?: Uint8Array;
}

/** Bytes as a string of char codes 0–255 (TextDecoder's "latin1" is windows-1252, which remaps 0x80–0x9F). */
export function binary(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
  return s;
}

export function readPdf(bytes: Uint8Array): { objects: Map<number, PdfObject>; text: string } {
  const text = binary(bytes);
  const objects = new Map<number, PdfObject>();
  for (const m of text.matchAll(/(\d+) 0 obj\n([\s\S]*?)\nendobj\n/g)) {
    const id = Number(m[1]);
    const body = m[2];
    const si = body.indexOf(">>\nstream\n");
    if (si < 0) {
      objects.set(id, { id, dict: body });
      continue;
    }
    const dict = body.slice(0, si + 2);
    const raw = body.slice(si + 10, body.lastIndexOf("\nendstream"));
    const data = Uint8Array.from(raw, (c) => c.charCodeAt(0));
    const stream = dict.includes("/FlateDecode") ? new Uint8Array(inflateSync(data)) : data;
    objects.set(id, { id, dict, stream });
  }
  return { objects, text };
}

export const ref = (dict: string, key: string): number | null => {
  const m = new RegExp(`/${key} (\\d+) 0 R`).exec(dict);
  return m ? Number(m[1]) : null;
};

export function utf16FromHex(hex: string): string {
  const h = hex.replace(/^FEFF/i, "");
  let s = "";
  for (let i = 0; i < h.length; i += 4) s += String.fromCharCode(parseInt(h.slice(i, i + 4), 16));
  return s;
}

/** The ToUnicode CMap's bfchar entries: glyph id → text. */
export function parseToUnicode(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  for (const block of cmap.matchAll(/beginbfchar\n([\s\S]*?)\nendbfchar/g)) {
    for (const m of block[1].matchAll(/<([0-9A-F]{4})> <([0-9A-F]+)>/g)) {
      map.set(parseInt(m[1], 16), utf16FromHex(m[2]));
    }
  }
  return map;
}

/** Each text span of a content stream: its ActualText and the glyph ids it draws, in order. */
export function spans(content: string): { actual: string; font: string; gids: number[] }[] {
  const out: { actual: string; font: string; gids: number[] }[] = [];
  for (
    const m of content.matchAll(
      /\/ActualText <([0-9A-F]+)> >> BDC BT \/(\w+) [\d.]+ Tf\n([\s\S]*?)\nET EMC/g,
    )
  ) {
    const gids = [...m[3].matchAll(/<([0-9A-F]{4})>/g)].map((g) => parseInt(g[1], 16));
    out.push({ actual: utf16FromHex(m[1]), font: m[2], gids });
  }
  return out;
}

/** sfnt table directory of a TrueType font. */
export function sfntTables(b: Uint8Array): Map<string, { offset: number; length: number }> {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const m = new Map<string, { offset: number; length: number }>();
  for (let i = 0; i < v.getUint16(4); i++) {
    const o = 12 + i * 16;
    m.set(binary(b.subarray(o, o + 4)), {
      offset: v.getUint32(o + 8),
      length: v.getUint32(o + 12),
    });
  }
  return m;
}

/** Byte length of each glyph's outline in the glyf table (0 = empty glyph). */
export function glyphLengths(b: Uint8Array): number[] {
  const t = sfntTables(b);
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const longLoca = v.getInt16(t.get("head")!.offset + 50) === 1;
  const loca = t.get("loca")!;
  const n = loca.length / (longLoca ? 4 : 2) - 1;
  const at = (i: number) =>
    longLoca ? v.getUint32(loca.offset + i * 4) : v.getUint16(loca.offset + i * 2) * 2;
  return Array.from({ length: n }, (_, i) => at(i + 1) - at(i));
}
