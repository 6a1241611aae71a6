/**
 * Reads back a QR code a page drew as inline SVG (components/QrCode.tsx: one path of `M x y h w v1
 * h-w z` runs) with a real QR decoder, the way a phone's camera would.
 */
import jsQRModule from "jsqr";

// jsqr is CommonJS with `exports.default`: the callable is one level down under Deno's interop.
const jsQR = ((jsQRModule as unknown as { default?: unknown }).default ?? jsQRModule) as (
  data: Uint8ClampedArray,
  width: number,
  height: number,
) => { data: string } | null;

export function readQrFromHtml(html: string): string | null {
  const svg = html.match(/<svg[^>]*data-qr[^>]*>[\s\S]*?<\/svg>/)?.[0];
  if (!svg) return null;
  const n = Number(svg.match(/viewBox="0 0 (\d+) \d+"/)![1]);
  const d = svg.match(/<path d="([^"]+)"/)![1];
  const dark = Array.from({ length: n }, () => new Array<boolean>(n).fill(false));
  for (const m of d.matchAll(/M(\d+) (\d+)h(\d+)/g)) {
    const [x, y, w] = [Number(m[1]), Number(m[2]), Number(m[3])];
    for (let i = 0; i < w; i++) dark[y][x + i] = true;
  }
  const scale = 4;
  const side = n * scale;
  const rgba = new Uint8ClampedArray(side * side * 4);
  for (let py = 0; py < side; py++) {
    for (let px = 0; px < side; px++) {
      const v = dark[Math.floor(py / scale)][Math.floor(px / scale)] ? 0 : 255;
      rgba.set([v, v, v, 255], (py * side + px) * 4);
    }
  }
  return jsQR(rgba, side, side)?.data ?? null;
}
