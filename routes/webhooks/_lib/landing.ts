/**
 * Where a customer lands after a provider sends them back: their order (or the balance page for
 * a top-up) with the outcome in the query string, which the page turns into a message. The
 * outcome comes from our own records after the provider's API was asked, never from the callback.
 */
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

/** Query or form fields as a plain object (strings only, bounded). */
export function fieldsOf(params: URLSearchParams | FormData | null): Record<string, string> {
  const out: Record<string, string> = {};
  if (!params) return out;
  let n = 0;
  params.forEach((v, k) => {
    if (n++ < 80 && typeof v === "string" && k.length <= 60) out[k] = v.slice(0, 500);
  });
  return out;
}
