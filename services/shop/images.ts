/**
 * Product pictures drawn as small SVGs from a style (bottle, pouch, cup, tub, block, jar) and a
 * colour, so the shop needs no photo files and every picture weighs well under 1 KB. The URL
 * names everything that shapes the picture, so it can be cached forever.
 */
import { IMAGE_STYLES, type ImageStyle } from "./catalog.ts";

export const IMAGE_WIDTHS = [160, 320, 640] as const;

export function isImageStyle(s: string): s is ImageStyle {
  return (IMAGE_STYLES as readonly string[]).includes(s);
}

/** Mixes a colour with white: `amount` 0 = colour, 1 = white. */
function tint(hex: string, amount: number): string {
  const n = parseInt(hex.slice(1), 16);
  const mix = (c: number) => Math.round(c + (255 - c) * amount);
  const r = mix(n >> 16), g = mix((n >> 8) & 255), b = mix(n & 255);
  return `#${((1 << 24) | (r << 16) | (g << 8) | b).toString(16).slice(1)}`;
}

const SHAPES: Record<ImageStyle, (c: string) => string> = {
  bottle: (c) =>
    `<rect x="84" y="22" width="32" height="22" rx="4" fill="${c}"/>` +
    `<path d="M86 44h28v18c0 8 22 16 22 34v84a12 12 0 0 1-12 12H76a12 12 0 0 1-12-12V96c0-18 22-26 22-34z" fill="#fff" stroke="${
      tint(c, 0.5)
    }" stroke-width="3"/>` +
    `<rect x="64" y="112" width="72" height="40" fill="${c}"/>`,
  pouch: (c) =>
    `<path d="M58 40h84l8 140a10 10 0 0 1-10 10H60a10 10 0 0 1-10-10z" fill="#fff" stroke="${
      tint(c, 0.5)
    }" stroke-width="3"/>` +
    `<rect x="58" y="40" width="84" height="26" fill="${c}"/>` +
    `<circle cx="100" cy="122" r="22" fill="${tint(c, 0.35)}"/>`,
  cup: (c) =>
    `<ellipse cx="100" cy="62" rx="56" ry="12" fill="${c}"/>` +
    `<path d="M44 64h112l-14 112a10 10 0 0 1-10 8H68a10 10 0 0 1-10-8z" fill="#fff" stroke="${
      tint(c, 0.5)
    }" stroke-width="3"/>` +
    `<rect x="52" y="104" width="96" height="34" fill="${tint(c, 0.3)}"/>`,
  tub: (c) =>
    `<rect x="34" y="60" width="132" height="18" rx="6" fill="${c}"/>` +
    `<path d="M40 78h120l-8 96a10 10 0 0 1-10 8H58a10 10 0 0 1-10-8z" fill="#fff" stroke="${
      tint(c, 0.5)
    }" stroke-width="3"/>` +
    `<rect x="46" y="112" width="108" height="30" fill="${tint(c, 0.3)}"/>`,
  block: (c) =>
    `<path d="M36 92l48-28h80l-48 28z" fill="${tint(c, 0.2)}"/>` +
    `<path d="M116 92l48-28v64l-48 28z" fill="${tint(c, 0.45)}"/>` +
    `<rect x="36" y="92" width="80" height="64" fill="#fff" stroke="${
      tint(c, 0.5)
    }" stroke-width="3"/>` +
    `<rect x="36" y="112" width="80" height="22" fill="${c}"/>`,
  jar: (c) =>
    `<rect x="62" y="34" width="76" height="22" rx="5" fill="${c}"/>` +
    `<rect x="52" y="56" width="96" height="128" rx="18" fill="#fff" stroke="${
      tint(c, 0.5)
    }" stroke-width="3"/>` +
    `<rect x="52" y="98" width="96" height="44" fill="${tint(c, 0.3)}"/>`,
};

/** The SVG for a style and colour at a width (height equals width). */
export function productSvg(style: ImageStyle, color: string, width: number): string {
  const c = /^#[0-9a-f]{6}$/.test(color) ? color : "#1d5fbf";
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${width}" ` +
    `viewBox="0 0 200 200" role="img"><rect width="200" height="200" fill="${tint(c, 0.88)}"/>` +
    `${SHAPES[style](c)}</svg>`;
}

/** The image URL for a product style/colour at a width. */
export function productImageUrl(style: ImageStyle, color: string, width: number): string {
  return `/shop/img/${style}/${color.replace("#", "")}/${width}.svg`;
}

/** srcset with every width, for <img srcset sizes>. */
export function productSrcset(style: ImageStyle, color: string): string {
  return IMAGE_WIDTHS.map((w) => `${productImageUrl(style, color, w)} ${w}w`).join(", ");
}
