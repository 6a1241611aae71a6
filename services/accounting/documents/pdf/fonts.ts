/**
 * The font and the shaper of the PDF documents. Noto Sans Bengali (SIL Open Font License 1.1,
 * from the npm package @expo-google-fonts/noto-sans-bengali, which ships the Google Fonts TTFs:
 * Bengali and Latin in one font) is shaped with HarfBuzz (harfbuzzjs, WebAssembly): the same
 * engine browsers use, so conjuncts, pre-base vowel signs and reph come out as on screen. The
 * PDF then draws the shaped glyph ids, so no PDF viewer has to shape anything.
 */
import { createRequire } from "node:module";

type HB = typeof import("harfbuzzjs");

export type FontKey = "regular" | "bold";

const FILES: Record<FontKey, string> = {
  regular: "@expo-google-fonts/noto-sans-bengali/400Regular/NotoSansBengali_400Regular.ttf",
  bold: "@expo-google-fonts/noto-sans-bengali/700Bold/NotoSansBengali_700Bold.ttf",
};

export interface ShapedGlyph {
  gid: number;
  /** Font units. */
  xAdvance: number;
  xOffset: number;
  yOffset: number;
  /** Index into the text of the first character of the glyph's cluster. */
  cluster: number;
}

export interface ShapedRun {
  text: string;
  glyphs: ShapedGlyph[];
  /** Sum of the advances, font units. */
  advance: number;
}

export interface LoadedFont {
  key: FontKey;
  bytes: Uint8Array;
  upem: number;
  ascender: number;
  descender: number;
  /** PostScript name, e.g. NotoSansBengali-Regular. */
  psName: string;
  bbox: [number, number, number, number];
  italicAngle: number;
  capHeight: number;
  advanceOf(gid: number): number;
  /** The font's nominal glyph for a code point (0 when missing). */
  glyphOf(codePoint: number): number;
  shape(text: string): ShapedRun;
}

/** The TTF's path in node_modules (the package is in deno.json's imports: `deno install` brings it). */
export function fontPath(key: FontKey): string {
  try {
    return createRequire(import.meta.url).resolve(FILES[key]);
  } catch (e) {
    throw new Error(
      `${FILES[key]} is not installed (run \`deno install\`): ${(e as Error).message}`,
    );
  }
}

let hbPromise: Promise<HB> | null = null;
const fonts = new Map<FontKey, Promise<LoadedFont>>();

/** Bengali letters, signs and digits, the Bengali-used danda, ZWNJ and ZWJ. */
const BENGALI = /[\u0980-\u09FF\u0964\u0965\u200C\u200D]/;
/** Characters that take the script of their neighbours (spaces, digits, punctuation). */
const COMMON = /[\s\d.,:;()\[\]\/%\-–—'"+&*#!?]/;

/**
 * Splits text into runs of one script for shaping; common characters (spaces, digits,
 * punctuation) stay with the run before them, and text that starts with them starts a Latin run.
 */
export function scriptRuns(text: string): { text: string; script: "Beng" | "Latn" }[] {
  const runs: { text: string; script: "Beng" | "Latn" }[] = [];
  for (const ch of text) {
    const script = BENGALI.test(ch) ? "Beng" : "Latn";
    const last = runs[runs.length - 1];
    if (last && (last.script === script || COMMON.test(ch))) last.text += ch;
    else if (!last && COMMON.test(ch)) runs.push({ text: ch, script: "Latn" });
    else runs.push({ text: ch, script });
  }
  return runs;
}

function readU16(b: Uint8Array, o: number) {
  return (b[o] << 8) | b[o + 1];
}
function readI16(b: Uint8Array, o: number) {
  const v = readU16(b, o);
  return v >= 0x8000 ? v - 0x10000 : v;
}
function readU32(b: Uint8Array, o: number) {
  return ((b[o] << 24) >>> 0) + ((b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]);
}

/** The sfnt table directory: tag → [offset, length]. */
export function sfntTables(b: Uint8Array): Map<string, [number, number]> {
  const n = readU16(b, 4);
  const m = new Map<string, [number, number]>();
  for (let i = 0; i < n; i++) {
    const o = 12 + i * 16;
    const tag = String.fromCharCode(b[o], b[o + 1], b[o + 2], b[o + 3]);
    m.set(tag, [readU32(b, o + 8), readU32(b, o + 12)]);
  }
  return m;
}

function fontInfo(b: Uint8Array) {
  const t = sfntTables(b);
  const head = t.get("head")![0];
  const bbox: [number, number, number, number] = [
    readI16(b, head + 36),
    readI16(b, head + 38),
    readI16(b, head + 40),
    readI16(b, head + 42),
  ];
  const post = t.get("post")![0];
  const italicAngle = readI16(b, post + 4) + readU16(b, post + 6) / 65536;
  const os2 = t.get("OS/2");
  const capHeight = os2 && readU16(b, os2[0]) >= 2 ? readI16(b, os2[0] + 88) : 700;
  return { bbox, italicAngle, capHeight };
}

async function harfbuzz(): Promise<HB> {
  hbPromise ??= import("harfbuzzjs");
  return await hbPromise;
}

async function load(key: FontKey): Promise<LoadedFont> {
  const hb = await harfbuzz();
  const bytes = await Deno.readFile(fontPath(key));
  const face = new hb.Face(new hb.Blob(bytes));
  const font = new hb.Font(face);
  const ext = font.hExtents();
  const info = fontInfo(bytes);
  const advances = new Map<number, number>();
  const psName = key === "bold" ? "NotoSansBengali-Bold" : "NotoSansBengali-Regular";
  const shapeCache = new Map<string, ShapedRun>();
  // One buffer, reset for each run: harfbuzzjs frees buffers only when the garbage collector
  // finalizes them, and WebAssembly memory never shrinks, so a buffer per run would grow it.
  const buf = new hb.Buffer();
  const shapeOne = (text: string, script: "Beng" | "Latn"): ShapedGlyph[] => {
    buf.reset();
    buf.addText(text);
    buf.setDirection(hb.Direction.LTR);
    buf.setScript(script);
    buf.setLanguage(script === "Beng" ? "bn" : "en");
    hb.shape(font, buf);
    const infos = buf.getGlyphInfos();
    const pos = buf.getGlyphPositions();
    return infos.map((g, i) => ({
      gid: g.codepoint,
      xAdvance: pos[i].xAdvance,
      xOffset: pos[i].xOffset,
      yOffset: pos[i].yOffset,
      cluster: g.cluster,
    }));
  };
  return {
    key,
    bytes,
    upem: face.upem,
    ascender: ext.ascender,
    descender: ext.descender,
    psName,
    ...info,
    advanceOf(gid) {
      let a = advances.get(gid);
      if (a === undefined) advances.set(gid, a = font.glyphHAdvance(gid));
      return a;
    },
    glyphOf(cp) {
      return font.glyph(cp) ?? 0;
    },
    shape(text) {
      const hit = shapeCache.get(text);
      if (hit) return hit;
      const glyphs: ShapedGlyph[] = [];
      let offset = 0;
      for (const run of scriptRuns(text)) {
        // harfbuzz clusters are UTF-16 indices into the run's own text
        for (const g of shapeOne(run.text, run.script)) {
          glyphs.push({ ...g, cluster: g.cluster + offset });
        }
        offset += run.text.length;
      }
      const shaped = { text, glyphs, advance: glyphs.reduce((s, g) => s + g.xAdvance, 0) };
      if (shapeCache.size > 5000) shapeCache.clear();
      shapeCache.set(text, shaped);
      return shaped;
    },
  };
}

/** The font, loaded and cached for the process. */
export function loadFont(key: FontKey): Promise<LoadedFont> {
  let p = fonts.get(key);
  if (!p) fonts.set(key, p = load(key));
  return p;
}
