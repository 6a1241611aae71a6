import { type Handlers, HttpError } from "@/framework/mod.ts";
import { handleCallback } from "@/services/payments/payments.ts";
import { paymentContext } from "../../shop/_lib/web.ts";
import { fieldsOf, landing, see } from "../_lib/landing.ts";

const RESULTS = new Set(["success", "fail", "cancel"]);

/**
 * The customer's browser posts SSLCommerz's result here (success_url, fail_url, cancel_url).
 * A success is accepted only after the validation API confirms val_id, tran_id, amount and
 * currency; fail and cancel are checked with a transaction query.
 */
async function handle(ctx: Parameters<NonNullable<Handlers["POST"]>>[0]) {
  if (!RESULTS.has(ctx.params.result)) throw new HttpError(404);
  let fields: Record<string, string> = fieldsOf(ctx.url.searchParams);
  if (ctx.req.method === "POST") {
    const form = await ctx.req.formData().catch(() => null);
    fields = { ...fields, ...fieldsOf(form) };
  }
  const pctx = paymentContext(ctx);
  const r = await handleCallback(pctx, "sslcommerz", fields);
  return see(await landing(pctx.sql, r));
}

export const handler: Handlers = { POST: handle, GET: handle };
