/**
 * Draws the app icons (a white milk drop on brand blue) as PNG files in static/icons/.
 * Run once with `deno run -A scripts/make_icons.ts`; the PNGs are committed.
 */
import { deflateSync } from "node:zlib";

const BLUE = [0x17, 0x4c, 0x99];

function crc32(buf: Uint8Array): number {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, data.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(data, 8);
  dv.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** Inside test of the drop: a circle at the bottom joined to a point at the top. */
function inDrop(x: number, y: number, pad: number): boolean {
  const s = 1 - 2 * pad;
  const u = (x - pad) / s, v = (y - pad) / s; // 0..1 inside the padded box
  const cx = 0.5, cy = 0.62, r = 0.26;
  if ((u - cx) ** 2 + (v - cy) ** 2 <= r * r) return true;
  if (v < 0.1 || v > cy) return false;
  const half = r * ((v - 0.1) / (cy - 0.1)) ** 0.8;
  return Math.abs(u - cx) <= half;
}

function icon(size: number, pad: number, rounded: boolean): Uint8Array {
  const raw = new Uint8Array(size * (size * 4 + 1));
  const radius = rounded ? size * 0.18 : 0;
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const o = y * (size * 4 + 1) + 1 + x * 4;
      // Rounded square background (transparent corners).
      const dx = Math.max(radius - x, 0, x - (size - 1 - radius));
      const dy = Math.max(radius - y, 0, y - (size - 1 - radius));
      const inside = dx * dx + dy * dy <= radius * radius;
      const white = inDrop((x + 0.5) / size, (y + 0.5) / size, pad);
      const [r, g, b] = white ? [255, 255, 255] : BLUE;
      raw.set([r, g, b, inside ? 255 : 0], o);
    }
  }
  const ihdr = new Uint8Array(13);
  const dv = new DataView(ihdr.buffer);
  dv.setUint32(0, size);
  dv.setUint32(4, size);
  ihdr.set([8, 6, 0, 0, 0], 8);
  const parts = [
    new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk("IHDR", ihdr),
    chunk("IDAT", new Uint8Array(deflateSync(raw, { level: 9 }))),
    chunk("IEND", new Uint8Array()),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) out.set(p, (off += p.length) - p.length);
  return out;
}

const dir = new URL("../static/icons/", import.meta.url);
await Deno.writeFile(new URL("icon-192.png", dir), icon(192, 0.12, true));
await Deno.writeFile(new URL("icon-512.png", dir), icon(512, 0.12, true));
await Deno.writeFile(new URL("icon-maskable-512.png", dir), icon(512, 0.22, false));
console.log("icons written to static/icons/");
