import { HttpError, type PageProps } from "@/framework/mod.ts";
import { requireFreshSecondFactor } from "@/plugins/session.ts";
import type { State } from "@/state.ts";
import { formatTaka, messages } from "@/services/i18n/mod.ts";
import type { Payment, RefundRow } from "@/services/payments/mod.ts";
import { takaSchema, text } from "@/services/shop/mod.ts";
import {
  adminButton,
  adminButtonQuiet,
  adminInput,
  RowAction,
  ShopAdminHeader,
} from "@/components/ShopAdmin.tsx";
import { type AdminCtx, noticeScreen, refusal, staffScreen, stamp } from "../(_lib)/admin.ts";

interface Data {
  payment: Payment;
  orderNumber: string | null;
  events: { kind: string; data: unknown; at: Date }[];
  refunds: RefundRow[];
  csrf: string;
  notice: string | null;
  error: string | null;
}

const NO_API = new Set(["cod", "bank_transfer", "nagad"]);

async function render(ctx: AdminCtx, error: string | null, status = 200) {
  const detail = await ctx.state.deps.payments.detail(ctx.params.id);
  if (!detail) throw new HttpError(404);
  return await noticeScreen(ctx, `Payment ${detail.payment.merchantRef}`, detail, error, status);
}

export const handler = staffScreen<Data>(
  "sales.manage",
  (ctx) => render(ctx, null),
  async (ctx, user) => {
    const f = ctx.form!;
    const payments = ctx.state.deps.payments;
    const id = ctx.params.id;
    // Refunds move money: a second factor at most 5 minutes old (step-up).
    if (f.get("action") === "refund" || f.get("action") === "refund-paid") {
      await requireFreshSecondFactor(ctx);
    }
    try {
      switch (f.get("action")) {
        case "refund": {
          const amount = takaSchema.safeParse(f.get("amount")?.toString() ?? "");
          const reason = text(300).safeParse(f.get("reason")?.toString() ?? "").data ?? "";
          if (!amount.success || amount.data <= 0) {
            return await render(ctx, "Enter the amount to refund in taka.", 422);
          }
          if (reason.length < 3) {
            return await render(ctx, "Give a reason (3 to 300 characters, on one line).", 422);
          }
          const r = await payments.refund({
            paymentId: id,
            amountMinor: amount.data,
            reason,
            actorId: user.id,
            paidBackManually: f.get("manual") === "on",
          });
          return ctx.redirect(
            `/admin/shop/payments/${id}?done=${
              encodeURIComponent(`Refund ${r.status}${r.reason ? `: ${r.reason}` : ""}`)
            }`,
          );
        }
        case "refund-paid": {
          await payments.refundPaidBack(String(f.get("refundId")), user.id);
          return ctx.redirect(
            `/admin/shop/payments/${id}?done=Refund%20recorded%20as%20paid%20back`,
          );
        }
        case "accept": {
          const outcome = await payments.acceptHeld(id, user.id);
          return ctx.redirect(
            `/admin/shop/payments/${id}?done=${
              encodeURIComponent(`Provider re-checked: ${outcome}`)
            }`,
          );
        }
      }
    } catch (e) {
      const text = refusal(e);
      if (text === null) throw e;
      return await render(ctx, text, 409);
    }
    return await render(ctx, "Unknown action", 400);
  },
);

export default function PaymentPage({ data, url }: PageProps<Data, State>) {
  const t = messages("en").shop;
  const p = data.payment;
  const left = p.amountMinor - p.refundedMinor;
  const csrf = <input type="hidden" name="_csrf" value={data.csrf} />;
  return (
    <>
      <ShopAdminHeader
        title={`Payment ${p.merchantRef}`}
        path="/admin/shop/payments"
        screen={data}
      />
      <dl class="grid grid-cols-2 sm:grid-cols-4 gap-2 bg-white border rounded p-4 text-sm mb-4">
        <dt class="text-gray-600">Method</dt>
        <dd>{t.checkout.methods[p.method]}</dd>
        <dt class="text-gray-600">Status</dt>
        <dd data-testid="payment-status">{p.status}</dd>
        <dt class="text-gray-600">Amount</dt>
        <dd>{formatTaka(p.amountMinor, "en")}</dd>
        <dt class="text-gray-600">Refunded</dt>
        <dd>{formatTaka(p.refundedMinor, "en")}</dd>
        <dt class="text-gray-600">Order</dt>
        <dd>
          {data.orderNumber
            ? (
              <a class="underline" href={`/admin/shop/orders/${data.orderNumber}`}>
                {data.orderNumber}
              </a>
            )
            : "balance top-up"}
        </dd>
        <dt class="text-gray-600">Provider reference</dt>
        <dd class="font-mono text-xs break-all">{p.providerRef ?? "—"}</dd>
        <dt class="text-gray-600">Transaction</dt>
        <dd class="font-mono text-xs break-all">{p.trxId ?? "—"}</dd>
        <dt class="text-gray-600">Note</dt>
        <dd>{p.failureReason ?? ""}</dd>
      </dl>
      <div class="grid gap-4 md:grid-cols-2">
        {(p.status === "succeeded" || p.status === "held") && left > 0 && (
          <form method="post" class="bg-white border rounded p-4 text-sm">
            {csrf}
            <input type="hidden" name="action" value="refund" />
            <h2 class="font-semibold mb-2">Refund</h2>
            <div class="flex flex-wrap gap-2 items-end">
              <label class="flex flex-col">
                Amount ৳<input
                  name="amount"
                  value={(left / 100).toFixed(2)}
                  class={`${adminInput} w-28`}
                />
              </label>
              <label class="flex flex-col flex-1">
                Reason<input name="reason" required minLength={3} class={adminInput} />
              </label>
            </div>
            {NO_API.has(p.method) && (
              <label class="flex gap-2 items-center mt-2">
                <input type="checkbox" name="manual" />{" "}
                I have paid this back myself (cash, bank or Nagad merchant panel)
              </label>
            )}
            <button type="submit" class={`${adminButton} mt-2`} data-testid="refund">
              Refund {NO_API.has(p.method) ? "" : `through ${t.checkout.methods[p.method]}`}
            </button>
          </form>
        )}
        {p.status === "held" && (
          <form method="post" class="bg-white border rounded p-4 text-sm">
            {csrf}
            <input type="hidden" name="action" value="accept" />
            <h2 class="font-semibold mb-2">Held payment</h2>
            <p class="mb-2">
              Held because:{" "}
              {p.failureReason}. Accepting asks the provider again and confirms the order if
              everything matches.
            </p>
            <button type="submit" class={adminButtonQuiet}>Re-check and accept</button>
          </form>
        )}
      </div>
      <section class="bg-white border rounded p-4 mt-4 text-sm">
        <h2 class="font-semibold mb-2">Refunds</h2>
        {data.refunds.length === 0 ? <p class="text-gray-600">None.</p> : (
          <ul>
            {data.refunds.map((r) => (
              <li class="border-t py-1 flex flex-wrap gap-3 items-center">
                <span>{stamp(r.createdAt)}</span>
                <span>{formatTaka(r.amountMinor, "en")}</span>
                <span>{r.status}</span>
                <span>{r.reason}</span>
                {r.providerRefundRef && <span class="font-mono text-xs">{r.providerRefundRef}
                </span>}
                {r.failureReason && <span class="text-red-700">{r.failureReason}</span>}
                {r.status === "requested" && (
                  <RowAction
                    csrf={data.csrf}
                    action="refund-paid"
                    row={["refundId", r.id]}
                    button="Mark paid back"
                  />
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section class="bg-white border rounded p-4 mt-4 text-sm">
        <h2 class="font-semibold mb-2">Trail</h2>
        <ul class="font-mono text-xs">
          {data.events.map((e) => (
            <li class="border-t py-1 break-all">{stamp(e.at)} {e.kind} {JSON.stringify(e.data)}</li>
          ))}
        </ul>
      </section>
      <p class="hidden">{url.pathname}</p>
    </>
  );
}
