import type { Handlers, PageProps } from "@/framework/mod.ts";
import { requirePermission } from "@/plugins/session.ts";
import type { State } from "@/state.ts";
import { formatTaka, messages } from "@/services/i18n/mod.ts";
import { PAYMENT_METHODS, type PaymentRow, type RefundRow } from "@/services/payments/mod.ts";
import { adminButton, adminInput, AdminTable, ShopAdminHeader } from "@/components/ShopAdmin.tsx";
import { stamp } from "../(_lib)/admin.ts";
import { oneOf, pageParam } from "@/routes/admin/(_admin)/list_query.ts";

const STATUSES = ["initiated", "pending", "succeeded", "failed", "cancelled", "expired", "held"];
const PAGE = 50;

interface Data {
  rows: PaymentRow[];
  total: number;
  waiting: RefundRow[];
  f: { status: string; method: string; page: number };
}

export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    requirePermission(ctx, "sales.manage");
    const payments = ctx.state.deps.payments;
    const p = ctx.url.searchParams;
    const status = STATUSES.includes(p.get("status") ?? "") ? p.get("status")! : "";
    const method = oneOf(PAYMENT_METHODS, p.get("method")) ?? "";
    const page = pageParam(p, 1000);
    const { rows, total } = await payments.list({
      status: status || undefined,
      method: method || undefined,
      limit: PAGE,
      offset: (page - 1) * PAGE,
    });
    ctx.state.title = "Payments — Smart Dairy admin";
    return {
      data: {
        rows,
        total,
        waiting: await payments.refunds({ status: "requested" }),
        f: { status, method, page },
      },
    };
  },
};

export default function Payments({ data, url }: PageProps<Data, State>) {
  const t = messages("en").shop;
  return (
    <>
      <ShopAdminHeader title="Payments" path={url.pathname} />
      {data.waiting.length > 0 && (
        <section class="bg-amber-50 border border-amber-300 rounded p-4 mb-4 text-sm">
          <h2 class="font-semibold mb-2">Refunds to pay back by hand ({data.waiting.length})</h2>
          <ul>
            {data.waiting.map((r) => (
              <li class="border-t py-1">
                <a class="text-brand-700 underline" href={`/admin/shop/payments/${r.paymentId}`}>
                  {r.orderNumber ?? r.paymentId}
                </a>{" "}
                {t.checkout.methods[r.method]} · {formatTaka(r.amountMinor, "en")} · {r.reason}
              </li>
            ))}
          </ul>
        </section>
      )}
      <form method="get" class="flex flex-wrap gap-2 items-end mb-4 text-sm">
        <label class="flex flex-col">
          Status
          <select name="status" class={adminInput}>
            <option value="">Any</option>
            {STATUSES.map((s) => <option selected={s === data.f.status}>{s}</option>)}
          </select>
        </label>
        <label class="flex flex-col">
          Method
          <select name="method" class={adminInput}>
            <option value="">Any</option>
            {PAYMENT_METHODS.map((m) => (
              <option value={m} selected={m === data.f.method}>{t.checkout.methods[m]}</option>
            ))}
          </select>
        </label>
        <button type="submit" class={adminButton}>Show</button>
      </form>
      <AdminTable
        heads={[
          "Reference",
          "Order",
          "Method",
          "Status",
          ["Amount", "right"],
          ["Refunded", "right"],
          "Provider id",
          "Created",
        ]}
        empty="No payments match."
      >
        {data.rows.map((p) => (
          <tr class="border-t">
            <td class="p-2">
              <a class="text-brand-700 underline" href={`/admin/shop/payments/${p.id}`}>
                {p.merchantRef}
              </a>
            </td>
            <td class="p-2">
              {p.orderNumber
                ? (
                  <a class="underline" href={`/admin/shop/orders/${p.orderNumber}`}>
                    {p.orderNumber}
                  </a>
                )
                : "top-up"}
            </td>
            <td class="p-2">{t.checkout.methods[p.method]}</td>
            <td class={`p-2 ${p.status === "held" ? "text-red-700 font-semibold" : ""}`}>
              {p.status}
            </td>
            <td class="p-2 text-right">{formatTaka(p.amountMinor, "en")}</td>
            <td class="p-2 text-right">
              {p.refundedMinor ? formatTaka(p.refundedMinor, "en") : ""}
            </td>
            <td class="p-2 font-mono text-xs">{p.trxId ?? ""}</td>
            <td class="p-2 whitespace-nowrap">{stamp(p.createdAt)}</td>
          </tr>
        ))}
      </AdminTable>
      <p class="text-sm text-gray-600 mt-2">{data.total} payments</p>
    </>
  );
}
