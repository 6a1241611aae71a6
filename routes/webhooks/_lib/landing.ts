/**
 * Where a customer lands after a provider sends them back: their order (or the balance page for
 * a top-up) with the outcome in the query string, which the page turns into a message. The
 * outcome comes from our own records after the provider's API was asked, never from the callback.
 * The page shows the payment's state; it never reveals more than the order number, which the
 * (unguessable) provider reference already stands for.
 */
import { HttpError } from "@/framework/mod.ts";
import type { Sql } from "@/services/platform/db.ts";
import type { CallbackResult } from "@/services/payments/payments.ts";

export async function landing(sql: Sql, r: CallbackResult): Promise<string> {
  const p = r.payment;
  if (!p) return "/shop/orders";
  const pay = p.status === "succeeded"
    ? "ok"
    : p.status === "cancelled"
    ? "cancelled"
    : p.status === "failed" || p.status === "expired"
    ? "failed"
    : "pending";
  if (p.purpose === "topup") return `/shop/balance?topup=${pay}`;
  const [o] = await sql`select number from shop_orders where id = ${p.orderId}`;
  return o ? `/shop/orders/${o.number}?pay=${pay}` : "/shop/orders";
}

export function see(location: string): Response {
  return new Response(null, { status: 303, headers: { location } });
}

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
