/**
 * Zod with safe strings: everything of `zod`, except that `string()` refuses NUL and the other
 * control characters (tab, line feed and carriage return are allowed: multi-line text) and values
 * longer than MAX_TEXT. Import `z` from `@/services/platform/schema.ts`, never from "zod", so
 * that every form, query and JSON schema gets these guards without repeating them.
 */
import * as zod from "zod";

export * from "zod";

/** The longest text any single field may carry unless its schema allows less. */
export const MAX_TEXT = 20_000;

// C0 controls except \t \n \r, DEL, and lone UTF-16 surrogates (not valid UTF-8: the database
// and KV cannot store them).
// deno-lint-ignore no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether a string may be stored as text: no control characters, no broken UTF-16. */
export function isCleanText(s: string): boolean {
  return !CONTROL.test(s) && !LONE_SURROGATE.test(s);
}

/** `z.string()` that refuses control characters and over-long values (messages for the form). */
export function string(params?: Parameters<typeof zod.string>[0]): zod.ZodString {
  return zod.string(params)
    .refine((s) => s.length <= MAX_TEXT, {
      message: `At most ${MAX_TEXT} characters`,
      abort: true,
    })
    .refine(isCleanText, {
      message: "Remove the control characters from this text",
      abort: true,
    });
}
