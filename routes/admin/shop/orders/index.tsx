import type { Handlers, PageProps } from "@/framework/mod.ts";
import { requirePermission } from "@/plugins/session.ts";
import type { State } from "@/state.ts";
import { formatTaka, messages } from "@/services/i18n/mod.ts";
import { isDate, ORDER_STATUSES, type OrderSummary } from "@/services/shop/mod.ts";
import { ShopStatusBadge } from "@/components/ShopStatusBadge.tsx";
import {
  adminButton,
  adminInput,
  AdminTable,
  ShopAdminHeader,
  ShopPager,
} from "@/components/ShopAdmin.tsx";
import { stamp } from "../(_lib)/admin.ts";
import { pageHref } from "@/components/AdminFilters.tsx";
import { oneOf, pageParam } from "@/routes/admin/(_admin)/list_query.ts";

const PAGE = 50;

interface Data {
  rows: (OrderSummary & { itemCount: number })[];
  total: number;
  f: { status: string; date: string; q: string; page: number };
}

export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    requirePermission(ctx, "sales.manage");
    const p = ctx.url.searchParams;
    const status = oneOf(ORDER_STATUSES, p.get("status"));
    const date = isDate(p.get("date") ?? "") ? p.get("date")! : undefined;
    const q = (p.get("q") ?? "").trim().slice(0, 30);
    const page = pageParam(p, 1000);
    const { rows, total } = await ctx.state.deps.shop.adminOrders({
      status,
      date,
      q: q || undefined,
      limit: PAGE,
      offset: (page - 1) * PAGE,
    });
    ctx.state.title = "Shop orders — Smart Dairy admin";
    return { data: { rows, total, f: { status: status ?? "", date: date ?? "", q, page } } };
  },
};

export default function AdminOrders({ data, url }: PageProps<Data, State>) {
  const t = messages("en").shop;
  const f = data.f;
  const pages = Math.max(1, Math.ceil(data.total / PAGE));
  return (
    <>
      <ShopAdminHeader title="Shop orders" path={url.pathname} />
      <form method="get" class="flex flex-wrap gap-2 items-end mb-4 text-sm">
        <label class="flex flex-col">
          Order number
          <input name="q" value={f.q} placeholder="SD-2026-000123" class={adminInput} />
        </label>
        <label class="flex flex-col">
          Status
          <select name="status" class={adminInput}>
            <option value="">Any</option>
            {ORDER_STATUSES.map((s) => (
              <option value={s} selected={f.status === s}>{t.orders.statuses[s]}</option>
            ))}
          </select>
        </label>
        <label class="flex flex-col">
          Delivery date
          <input type="date" name="date" value={f.date} class={adminInput} />
        </label>
        <button type="submit" class={adminButton}>Show</button>
      </form>
      <p class="text-sm text-gray-600 mb-2">{data.total} orders</p>
      <AdminTable
        heads={["Order", "Status", "Placed", "Delivery", "Area", "Pay", ["Total", "right"]]}
        testId="admin-orders"
        empty="No orders match. Orders appear here as customers place them."
      >
        {data.rows.map((o) => (
          <tr class="border-t">
            <td class="p-2">
              <a class="text-brand-700 underline" href={`/admin/shop/orders/${o.number}`}>
                {o.number}
              </a>
            </td>
            <td class="p-2">
              <ShopStatusBadge status={o.status} label={t.orders.statuses[o.status]} />
            </td>
            <td class="p-2 whitespace-nowrap">{stamp(o.placedAt)}</td>
            <td class="p-2 whitespace-nowrap">{o.deliveryDate} {o.slotCode}</td>
            <td class="p-2">{o.zoneNameEn}</td>
            <td class="p-2">{t.checkout.methods[o.paymentMethod]}</td>
            <td class="p-2 text-right">{formatTaka(o.totalMinor, "en")}</td>
          </tr>
        ))}
      </AdminTable>
      <ShopPager page={f.page} pages={pages} href={(n) => pageHref(url, n)} />
    </>
  );
}
