import { type Handlers, HttpError } from "@/framework/mod.ts";
import { callbackFields } from "../(_lib)/fields.ts";

const RESULTS = new Set(["success", "fail", "cancel"]);

/**
 * The customer's browser posts SSLCommerz's result here (success_url, fail_url, cancel_url), and
 * so can anyone: the post decides nothing. A success's val_id is checked with the validation API
 * and counts only when SSLCommerz says it belongs to this tran_id (else the tran_id is queried);
 * a fail or cancel only prompts a transaction query by tran_id, and whatever SSLCommerz answers
 * is applied. The customer lands on their order showing its current state.
 */
async function handle(ctx: Parameters<NonNullable<Handlers["POST"]>>[0]) {
  if (!RESULTS.has(ctx.params.result)) throw new HttpError(404);
  const form = ctx.req.method === "POST" ? await ctx.req.formData().catch(() => null) : null;
  const fields = callbackFields(ctx.url.searchParams, form);
  const to = await ctx.state.deps.payments.callback(
    "sslcommerz",
    ctx.params.result === "success" ? fields : { tran_id: fields.tran_id ?? "" },
  );
  return ctx.redirect(to);
}

export const handler: Handlers = { POST: handle, GET: handle };
