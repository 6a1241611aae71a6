/**
 * Font subsetting with HarfBuzz's hb-subset (the harfbuzz-subset.wasm that harfbuzzjs ships; it
 * imports nothing, so it is instantiated here directly). Glyph ids are kept (RETAIN_GIDS), so the
 * content stream can name the original glyph ids with CIDToGIDMap /Identity, and the layout
 * tables are dropped: the PDF carries glyphs already shaped.
 */
import { createRequire } from "node:module";

interface SubsetExports {
  memory: WebAssembly.Memory;
  malloc(n: number): number;
  free(p: number): void;
  hb_blob_create(data: number, len: number, mode: number, user: number, destroy: number): number;
  hb_blob_destroy(b: number): void;
  hb_blob_get_data(b: number, lenPtr: number): number;
  hb_face_create(blob: number, index: number): number;
  hb_face_destroy(f: number): void;
  hb_face_reference_blob(f: number): number;
  hb_set_add(set: number, v: number): void;
  hb_subset_input_create_or_fail(): number;
  hb_subset_input_destroy(i: number): void;
  hb_subset_input_glyph_set(i: number): number;
  hb_subset_input_set(i: number, which: number): number;
  hb_subset_input_set_flags(i: number, flags: number): void;
  hb_subset_or_fail(face: number, input: number): number;
}

const RETAIN_GIDS = 0x2;
const NO_LAYOUT_CLOSURE = 0x200;
const SETS_DROP_TABLE_TAG = 3;
const HB_MEMORY_MODE_WRITABLE = 2;
const DROP = ["GSUB", "GPOS", "GDEF", "BASE", "JSTF", "MATH", "DSIG", "meta", "STAT", "kern"];

const tag = (s: string) =>
  ((s.charCodeAt(0) << 24) | (s.charCodeAt(1) << 16) | (s.charCodeAt(2) << 8) | s.charCodeAt(3)) >>>
  0;

let wasm: Promise<SubsetExports> | null = null;

function instance(): Promise<SubsetExports> {
  wasm ??= (async () => {
    const path = createRequire(import.meta.url).resolve("harfbuzzjs/dist/harfbuzz-subset.wasm");
    const { instance } = await WebAssembly.instantiate(await Deno.readFile(path), {});
    const ex = instance.exports as unknown as SubsetExports & { _initialize?: () => void };
    ex._initialize?.();
    return ex;
  })();
  return wasm;
}

/** A TrueType font holding only `gids` (and .notdef), glyph ids unchanged. */
export async function subsetFont(font: Uint8Array, gids: Iterable<number>): Promise<Uint8Array> {
  const ex = await instance();
  const ptr = ex.malloc(font.byteLength);
  new Uint8Array(ex.memory.buffer, ptr, font.byteLength).set(font);
  // The blob takes ownership of ptr and frees it when destroyed (destroy = free's table index is
  // not exported, so keep ownership ourselves: mode WRITABLE without destroy, free at the end).
  const blob = ex.hb_blob_create(ptr, font.byteLength, HB_MEMORY_MODE_WRITABLE, 0, 0);
  const face = ex.hb_face_create(blob, 0);
  ex.hb_blob_destroy(blob);
  const input = ex.hb_subset_input_create_or_fail();
  if (!input) throw new Error("hb-subset: cannot create the subset input");
  try {
    const set = ex.hb_subset_input_glyph_set(input);
    ex.hb_set_add(set, 0);
    for (const g of gids) ex.hb_set_add(set, g);
    const drop = ex.hb_subset_input_set(input, SETS_DROP_TABLE_TAG);
    for (const t of DROP) ex.hb_set_add(drop, tag(t));
    ex.hb_subset_input_set_flags(input, RETAIN_GIDS | NO_LAYOUT_CLOSURE);
    const sub = ex.hb_subset_or_fail(face, input);
    if (!sub) throw new Error("hb-subset failed");
    const outBlob = ex.hb_face_reference_blob(sub);
    const lenPtr = ex.malloc(4);
    const data = ex.hb_blob_get_data(outBlob, lenPtr);
    const len = new Uint32Array(ex.memory.buffer, lenPtr, 1)[0];
    const out = new Uint8Array(ex.memory.buffer, data, len).slice();
    ex.free(lenPtr);
    ex.hb_blob_destroy(outBlob);
    ex.hb_face_destroy(sub);
    if (len === 0) throw new Error("hb-subset returned an empty font");
    return out;
  } finally {
    ex.hb_subset_input_destroy(input);
    ex.hb_face_destroy(face);
    ex.free(ptr);
  }
}
