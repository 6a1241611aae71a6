/**
 * The fields of a provider callback, checked before they reach the payments context.
 */
import { HttpError } from "@/framework/mod.ts";

/** Fields that name a payment or its outcome: printable ASCII without spaces, ≤ 200 each (Nagad's payment_ref_id runs to ~90). */
const REF_FIELDS = new Set([
  "paymentID",
  "payment_ref_id",
  "order_id",
  "tran_id",
  "val_id",
  "bank_tran_id",
  "status",
  "merchant",
  "sessionkey",
]);
const REF_VALUE = /^[\x21-\x7e]{0,200}$/;
const MAX_FIELDS = 100;
const MAX_VALUE = 2000;

/**
 * Query or form fields of a provider callback as a plain object of strings. Anything no provider
 * sends answers 400 before it reaches the database: a NUL or other control character, more than
 * 100 fields, a value over 2,000 characters, or a reference field (paymentID, tran_id, val_id…)
 * that is not printable ASCII of at most 200 characters.
 */
export function callbackFields(
  ...sources: (URLSearchParams | FormData | null)[]
): Record<string, string> {
  const out: Record<string, string> = {};
  let n = 0;
  for (const params of sources) {
    if (!params) continue;
    for (const [k, v] of params.entries()) {
      if (++n > MAX_FIELDS) throw new HttpError(400, "Too many fields");
      if (typeof v !== "string") throw new HttpError(400, "Unexpected file");
      if (k.length > 100 || !/^[\x21-\x7e]+$/.test(k)) throw new HttpError(400, "Bad field name");
      // deno-lint-ignore no-control-regex
      if (v.length > MAX_VALUE || /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(v)) {
        throw new HttpError(400, `Bad value for ${k}`);
      }
      if (REF_FIELDS.has(k) && !REF_VALUE.test(v)) throw new HttpError(400, `Bad value for ${k}`);
      out[k] = v;
    }
  }
  return out;
}
