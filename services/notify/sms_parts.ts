/**
 * How many SMS parts a text takes. Texts made only of the GSM 03.38 default alphabet are sent as
 * GSM-7: 160 characters in one part, 153 per part when concatenated (the user data header takes
 * 7); the extension characters ^ { } \ [ ] ~ | € and form feed cost two (an escape first) and a
 * part never ends between the escape and its character. Anything else (Bangla, emoji) goes as
 * UCS-2: 70 UTF-16 units in one part, 67 per part, and a surrogate pair is never split.
 */
const GSM_BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
  "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM_EXTENDED = "^{}\\[]~|€\f";
const BASIC = new Set(GSM_BASIC);
const EXTENDED = new Set(GSM_EXTENDED);

export interface SmsParts {
  encoding: "GSM-7" | "UCS-2";
  /** Septets (GSM-7) or UTF-16 code units (UCS-2) the text takes. */
  units: number;
  parts: number;
  /** Units per part for this text (160/153 or 70/67). */
  perPart: number;
}

export function isGsm7(text: string): boolean {
  for (const ch of text) if (!BASIC.has(ch) && !EXTENDED.has(ch)) return false;
  return true;
}

export function smsParts(text: string): SmsParts {
  if (isGsm7(text)) {
    const costs = [...text].map((ch) => (EXTENDED.has(ch) ? 2 : 1));
    const units = costs.reduce((a, b) => a + b, 0);
    if (units <= 160) return { encoding: "GSM-7", units, parts: 1, perPart: 160 };
    return { encoding: "GSM-7", units, parts: pack(costs, 153), perPart: 153 };
  }
  // UCS-2 counts UTF-16 code units; a character outside the BMP is a pair kept in one part.
  const costs = [...text].map((ch) => ch.length);
  const units = costs.reduce((a, b) => a + b, 0);
  if (units <= 70) return { encoding: "UCS-2", units, parts: 1, perPart: 70 };
  return { encoding: "UCS-2", units, parts: pack(costs, 67), perPart: 67 };
}

/** Parts needed when no character (escape + char, surrogate pair) may straddle two parts. */
function pack(costs: number[], size: number): number {
  let parts = 1;
  let used = 0;
  for (const c of costs) {
    if (used + c > size) {
      parts++;
      used = 0;
    }
    used += c;
  }
  return parts;
}
