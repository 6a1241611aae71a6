/**
 * Sign-in identifiers: Bangladesh mobile numbers and email addresses, normalised so that the
 * same person always maps to the same stored value (+8801XXXXXXXXX, lowercase email).
 */
import { z } from "@/services/platform/schema.ts";

export type Identifier = { kind: "phone"; value: string } | { kind: "email"; value: string };

/** Mobile operators' prefixes after the leading 0: 013–019 (012 and below are not mobile). */
const OPERATOR = /^1[3-9]\d{8}$/;

export const PHONE_MESSAGE =
  "Enter a Bangladesh mobile number such as 01712-345678 (operators 013 to 019)";
export const EMAIL_MESSAGE = "Enter a valid email address";
export const IDENTIFIER_MESSAGE = "Enter your mobile number (01XXXXXXXXX) or email address";

/**
 * Normalises a Bangladesh mobile number to +8801XXXXXXXXX, accepting 01712345678, 8801712345678,
 * +880 1712-345678, 1712345678, 00880…; returns null for anything else.
 */
export function normalizePhone(input: string): string | null {
  const compact = input.trim().replace(/[\s\-().]/g, "");
  if (!/^\+?\d+$/.test(compact)) return null;
  let digits = compact.replace(/^\+/, "");
  if (compact.startsWith("+") && !digits.startsWith("880")) return null;
  if (digits.startsWith("00880")) digits = digits.slice(5);
  else if (digits.startsWith("880")) digits = digits.slice(3);
  if (digits.startsWith("0")) digits = digits.slice(1);
  return OPERATOR.test(digits) ? `+880${digits}` : null;
}

const emailShape = z.email();

/** Trims and lowercases an email; null when it is not a plausible address. */
export function normalizeEmail(input: string): string | null {
  const value = input.trim().toLowerCase();
  if (value.length > 254) return null;
  return emailShape.safeParse(value).success ? value : null;
}

export class IdentifierError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "IdentifierError";
  }
}

/** A phone number or email as typed; throws IdentifierError with a message fit for the form. */
export function parseIdentifier(input: string): Identifier {
  const trimmed = input.trim();
  if (trimmed === "") throw new IdentifierError(IDENTIFIER_MESSAGE);
  if (trimmed.includes("@")) {
    const email = normalizeEmail(trimmed);
    if (!email) throw new IdentifierError(EMAIL_MESSAGE);
    return { kind: "email", value: email };
  }
  if (/^[+\d\s\-().]+$/.test(trimmed)) {
    const phone = normalizePhone(trimmed);
    if (!phone) throw new IdentifierError(PHONE_MESSAGE);
    return { kind: "phone", value: phone };
  }
  throw new IdentifierError(IDENTIFIER_MESSAGE);
}

/** Non-throwing variant for forms. */
export function tryParseIdentifier(
  input: string,
): { ok: true; identifier: Identifier } | { ok: false; message: string } {
  try {
    return { ok: true, identifier: parseIdentifier(input) };
  } catch (e) {
    if (e instanceof IdentifierError) return { ok: false, message: e.message };
    throw e;
  }
}

/** Zod schemas for forms: they output the normalised value. */
export const phoneSchema = z.string().transform((v, ctx) => {
  const p = normalizePhone(v);
  if (!p) {
    ctx.addIssue({ code: "custom", message: PHONE_MESSAGE });
    return z.NEVER;
  }
  return p;
});
export const emailSchema = z.string().transform((v, ctx) => {
  const e = normalizeEmail(v);
  if (!e) {
    ctx.addIssue({ code: "custom", message: EMAIL_MESSAGE });
    return z.NEVER;
  }
  return e;
});
export const identifierSchema = z.string().transform((v, ctx) => {
  const r = tryParseIdentifier(v);
  if (!r.ok) {
    ctx.addIssue({ code: "custom", message: r.message });
    return z.NEVER;
  }
  return r.identifier;
});

/** For display: +8801712345678 → 01712-345678. */
export function formatPhone(e164: string): string {
  const local = e164.replace(/^\+880/, "0");
  return local.length === 11 ? `${local.slice(0, 5)}-${local.slice(5)}` : e164;
}

/** For lists and messages: +8801712345678 → 017•••••678. */
export function maskPhone(e164: string): string {
  const local = e164.replace(/^\+880/, "0");
  return local.length === 11 ? `${local.slice(0, 3)}•••••${local.slice(8)}` : "•••";
}
