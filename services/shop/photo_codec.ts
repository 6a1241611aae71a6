/**
 * Reading and making product photos, in WebAssembly (the @jsquash codecs: MozJPEG, libwebp,
 * libavif, the PNG and resize codecs of Squoosh — no native addon). Pure functions on bytes; the
 * heavy ones run in a Worker thread (photo_worker.ts, see runCodec) so that encoding never blocks
 * the web server's event loop.
 *
 * A photo becomes square sizes (centre crop, EXIF orientation applied: phones store portrait
 * shots sideways with an orientation tag) in AVIF, WebP and JPEG at each width of PHOTO_WIDTHS no
 * larger than the photo itself.
 */
import { decode as decodeJpeg, encode as encodeJpeg } from "@jsquash/jpeg";
import { decode as decodePng } from "@jsquash/png";
import { decode as decodeWebp, encode as encodeWebp } from "@jsquash/webp";
import { decode as decodeAvif, encode as encodeAvif } from "@jsquash/avif";
import resize from "@jsquash/resize";

export const PHOTO_WIDTHS = [160, 320, 640, 960] as const;
export const PHOTO_FORMATS = ["avif", "webp", "jpeg"] as const;
export type PhotoFormat = typeof PHOTO_FORMATS[number];
/** The smallest photo side accepted (the smallest size must not be upscaled). */
export const MIN_SIDE = PHOTO_WIDTHS[0];
/** The most pixels decoded (a 50-megapixel phone photo; beyond: refused, not a memory bomb). */
export const MAX_PIXELS = 50_000_000;

export type SourceType = "image/jpeg" | "image/png" | "image/webp" | "image/avif" | "image/heic";

/** Why a file is refused, as a code the shop's messages explain. */
export type PhotoProblem =
  | "photo_not_image"
  | "photo_heic"
  | "photo_truncated"
  | "photo_unreadable"
  | "photo_too_small"
  | "photo_too_many_pixels";

export class PhotoCodecError extends Error {
  constructor(readonly problem: PhotoProblem, detail = "") {
    super(detail || problem);
    this.name = "PhotoCodecError";
  }
}

/** The type a file's first bytes announce (not its name or the browser's say-so). */
export function sniff(b: Uint8Array): SourceType | null {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "image/jpeg";
  if (b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) {
    return "image/png";
  }
  const ascii = (from: number, to: number) => String.fromCharCode(...b.subarray(from, to));
  if (b.length >= 12 && ascii(0, 4) === "RIFF" && ascii(8, 12) === "WEBP") return "image/webp";
  if (b.length >= 12 && ascii(4, 8) === "ftyp") {
    const brand = ascii(8, 12);
    if (brand === "avif" || brand === "avis") return "image/avif";
    if (["heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1"].includes(brand)) {
      return "image/heic";
    }
  }
  return null;
}

/**
 * Whether the file holds its own end (a cut-off upload decodes to a grey half-picture otherwise):
 * JPEG's end-of-image marker (phones may append a trailer after it), PNG's IEND chunk, WebP's
 * RIFF length.
 */
export function looksComplete(b: Uint8Array, type: SourceType): boolean {
  if (type === "image/jpeg") {
    for (let i = b.length - 2; i >= 2; i--) {
      if (b[i] === 0xff && b[i + 1] === 0xd9) return true;
    }
    return false;
  }
  if (type === "image/png") {
    const tail = String.fromCharCode(...b.subarray(Math.max(0, b.length - 12)));
    return tail.includes("IEND");
  }
  if (type === "image/webp") {
    const size = new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(4, true);
    return b.length >= size + 8;
  }
  return true;
}

/** The EXIF orientation (1–8) of a JPEG, 1 when it has none. */
export function jpegOrientation(b: Uint8Array): number {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let i = 2;
  while (i + 4 <= b.length && b[i] === 0xff) {
    const marker = b[i + 1];
    const len = dv.getUint16(i + 2);
    if (marker === 0xda || marker === 0xd9) break; // image data: no EXIF past here
    if (marker === 0xe1 && String.fromCharCode(...b.subarray(i + 4, i + 8)) === "Exif") {
      const t = i + 10; // TIFF header
      if (t + 8 > b.length) break;
      const le = dv.getUint16(t) === 0x4949;
      const u16 = (o: number) => dv.getUint16(o, le);
      const ifd = t + dv.getUint32(t + 4, le);
      if (ifd + 2 > b.length) break;
      const n = u16(ifd);
      for (let k = 0; k < n; k++) {
        const e = ifd + 2 + k * 12;
        if (e + 10 > b.length) break;
        if (u16(e) === 0x0112) {
          const o = u16(e + 8);
          return o >= 1 && o <= 8 ? o : 1;
        }
      }
      break;
    }
    i += 2 + len;
  }
  return 1;
}

/** The pixel size a header announces, read before decoding (refuses pixel bombs early). */
function headerSize(b: Uint8Array, type: SourceType): { w: number; h: number } | null {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (type === "image/png" && b.length >= 24) return { w: dv.getUint32(16), h: dv.getUint32(20) };
  if (type === "image/jpeg") {
    let i = 2;
    while (i + 9 < b.length && b[i] === 0xff) {
      const m = b[i + 1];
      if (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc) {
        return { h: dv.getUint16(i + 5), w: dv.getUint16(i + 7) };
      }
      i += 2 + dv.getUint16(i + 2);
    }
  }
  return null;
}

/** Decodes a photo to pixels (refusing what is not a whole, readable, large-enough image). */
export async function decodePhoto(
  b: Uint8Array,
): Promise<{ image: ImageData; type: SourceType; orientation: number }> {
  const type = sniff(b);
  if (!type) throw new PhotoCodecError("photo_not_image");
  if (type === "image/heic") throw new PhotoCodecError("photo_heic");
  if (!looksComplete(b, type)) throw new PhotoCodecError("photo_truncated");
  const size = headerSize(b, type);
  if (size && size.w * size.h > MAX_PIXELS) throw new PhotoCodecError("photo_too_many_pixels");
  const buf = b.slice().buffer as ArrayBuffer;
  let image: ImageData | null;
  try {
    image = type === "image/jpeg"
      ? await decodeJpeg(buf, { preserveOrientation: false } as never)
      : type === "image/png"
      ? await decodePng(buf)
      : type === "image/webp"
      ? await decodeWebp(buf)
      : await decodeAvif(buf);
  } catch (e) {
    throw new PhotoCodecError("photo_unreadable", e instanceof Error ? e.message : String(e));
  }
  if (!image || !image.width || !image.height) throw new PhotoCodecError("photo_unreadable");
  if (image.width * image.height > MAX_PIXELS) throw new PhotoCodecError("photo_too_many_pixels");
  if (Math.min(image.width, image.height) < MIN_SIDE) {
    throw new PhotoCodecError("photo_too_small");
  }
  const orientation = type === "image/jpeg" ? jpegOrientation(b) : 1;
  return { image, type, orientation };
}

/** The centre square of an image as it should be displayed (EXIF orientation applied). */
export function squareUpright(img: ImageData, orientation: number): ImageData {
  const W = img.width, H = img.height;
  const side = Math.min(W, H);
  const swap = orientation >= 5;
  const dispW = swap ? H : W, dispH = swap ? W : H;
  const u0 = Math.floor((dispW - side) / 2), v0 = Math.floor((dispH - side) / 2);
  const src = new Uint32Array(img.data.buffer, img.data.byteOffset, W * H);
  const out = new Uint32Array(side * side);
  for (let v = 0; v < side; v++) {
    for (let u = 0; u < side; u++) {
      const du = u + u0, dv = v + v0;
      let x: number, y: number;
      switch (orientation) {
        case 2:
          x = W - 1 - du;
          y = dv;
          break;
        case 3:
          x = W - 1 - du;
          y = H - 1 - dv;
          break;
        case 4:
          x = du;
          y = H - 1 - dv;
          break;
        case 5:
          x = dv;
          y = du;
          break;
        case 6:
          x = dv;
          y = H - 1 - du;
          break;
        case 7:
          x = W - 1 - dv;
          y = H - 1 - du;
          break;
        case 8:
          x = W - 1 - dv;
          y = du;
          break;
        default:
          x = du;
          y = dv;
      }
      out[v * side + u] = src[y * W + x] | 0xff000000; // opaque: no alpha in the sizes
    }
  }
  return new ImageData(new Uint8ClampedArray(out.buffer), side, side);
}

export interface EncodedSize {
  format: PhotoFormat;
  width: number;
  height: number;
  bytes: Uint8Array;
}

/** The widths made for a square of `side` pixels (never upscaled). */
export function widthsFor(side: number): number[] {
  return PHOTO_WIDTHS.filter((w) => w <= side);
}

/**
 * Every size of a photo: decoded, made upright and square, then scaled down step by step (each
 * width from the one above it, which costs far less than from the original each time) and
 * encoded in the three formats. `timings` gets milliseconds per step.
 */
export async function makeSizes(
  b: Uint8Array,
  timings: Record<string, number> = {},
): Promise<{ sizes: EncodedSize[]; width: number; height: number; type: SourceType }> {
  let t = performance.now();
  const lap = (k: string) => {
    const now = performance.now();
    timings[k] = Math.round((timings[k] ?? 0) + now - t);
    t = now;
  };
  const { image, type, orientation } = await decodePhoto(b);
  lap("decode");
  let square = squareUpright(image, orientation);
  lap("crop");
  const widths = widthsFor(square.width).reverse();
  const sizes: EncodedSize[] = [];
  for (const w of widths) {
    if (square.width !== w) {
      square = await resize(square, { width: w, height: w, method: "lanczos3" });
    }
    lap("resize");
    sizes.push({
      format: "avif",
      width: w,
      height: w,
      bytes: u8(await encodeAvif(square, { quality: 55, speed: 8 })),
    });
    lap("avif");
    sizes.push({
      format: "webp",
      width: w,
      height: w,
      bytes: u8(await encodeWebp(square, { quality: 78 })),
    });
    lap("webp");
    sizes.push({
      format: "jpeg",
      width: w,
      height: w,
      bytes: u8(await encodeJpeg(square, { quality: 80, progressive: true })),
    });
    lap("jpeg");
  }
  return { sizes, width: image.width, height: image.height, type };
}

function u8(b: ArrayBuffer): Uint8Array {
  return new Uint8Array(b);
}

export const CONTENT_TYPES: Record<PhotoFormat, string> = {
  avif: "image/avif",
  webp: "image/webp",
  jpeg: "image/jpeg",
};
export const EXTENSIONS: Record<PhotoFormat, string> = { avif: "avif", webp: "webp", jpeg: "jpg" };

// ---- running the codec in a Worker thread ----------------------------------------------------

export type CodecRequest = { op: "probe"; bytes: Uint8Array } | { op: "sizes"; bytes: Uint8Array };
export type CodecReply =
  | { ok: true; op: "probe"; width: number; height: number; type: SourceType }
  | {
    ok: true;
    op: "sizes";
    width: number;
    height: number;
    type: SourceType;
    sizes: EncodedSize[];
    timings: Record<string, number>;
  }
  | { ok: false; problem: PhotoProblem | null; message: string };

/**
 * Runs one codec request in a fresh Worker thread (ended afterwards, so no thread lingers between
 * uploads and tests see no leak). Codec refusals come back as PhotoCodecError.
 */
export function runCodec<R extends CodecRequest>(
  req: R,
): Promise<Extract<CodecReply, { ok: true; op: R["op"] }>> {
  const worker = new Worker(new URL("./photo_worker.ts", import.meta.url), { type: "module" });
  return new Promise<Extract<CodecReply, { ok: true; op: R["op"] }>>((resolve, reject) => {
    worker.onmessage = (e: MessageEvent<CodecReply>) => {
      const r = e.data;
      if (r.ok) resolve(r as Extract<CodecReply, { ok: true; op: R["op"] }>);
      else if (r.problem) reject(new PhotoCodecError(r.problem, r.message));
      else reject(new Error(`photo codec: ${r.message}`));
    };
    worker.onerror = (e) => {
      e.preventDefault();
      reject(new Error(`photo codec: ${e.message}`));
    };
    worker.postMessage(req);
  }).finally(() => worker.terminate());
}
