import type { Handlers, PageProps } from "@/framework/mod.ts";
import { requirePermission } from "@/plugins/session.ts";
import type { State } from "@/state.ts";
import { formatTaka } from "@/services/i18n/mod.ts";
import { toMinor } from "@/services/platform/db.ts";
import { addDays, dhakaDate } from "@/services/shop/time.ts";
import { shopMessages } from "@/services/shop/messages.ts";
import { AdminTabs, SHOP_TABS } from "@/components/ShopAdmin.tsx";

interface Data {
  byStatus: { status: string; n: number }[];
  today: string;
  tomorrow: string;
  deliveries: { date: string; n: number }[];
  revenue7dMinor: number;
  openIssues: number;
  lowStock: { sku: string; name: string; stock: number }[];
}

export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    requirePermission(ctx, "sales.manage");
    const sql = ctx.state.deps.db!.sql;
    const today = dhakaDate(new Date());
    const tomorrow = addDays(today, 1);
    const byStatus = await sql`
      select status, count(*)::int as n from shop_orders
      where placed_at > now() - interval '30 days' group by status order by status`;
    const deliveries = await sql`
      select delivery_date::text as date, count(*)::int as n from shop_orders
      where delivery_date in (${today}, ${tomorrow}) and status in ('confirmed', 'packed', 'out_for_delivery')
      group by delivery_date order by delivery_date`;
    const [rev] = await sql`
      select coalesce(sum(amount_minor - refunded_minor), 0) as v from shop_payments
      where status = 'succeeded' and completed_at > now() - interval '7 days'`;
    const [issues] = await sql`
      select count(*)::int as n from shop_reconciliation_issues where status = 'open'`;
    const low = await sql`
      select v.sku, p.name_en, v.stock_available from shop_variants v
      join shop_products p on p.id = v.product_id
      where v.active and p.active and v.stock_available < 20 and p.slug not like 'gen-%'
      order by v.stock_available, v.sku limit 10`;
    ctx.state.title = "Shop — Smart Dairy admin";
    return {
      data: {
        byStatus: byStatus.map((r) => ({ status: r.status, n: r.n })),
        today,
        tomorrow,
        deliveries: deliveries.map((r) => ({ date: r.date, n: r.n })),
        revenue7dMinor: toMinor(rev.v),
        openIssues: issues.n,
        lowStock: low.map((r) => ({ sku: r.sku, name: r.name_en, stock: r.stock_available })),
      },
    };
  },
};

export default function ShopAdmin({ data, url }: PageProps<Data, State>) {
  const t = shopMessages("en");
  return (
    <>
      <h1 class="text-2xl font-bold mb-3">Shop</h1>
      <AdminTabs path={url.pathname} tabs={SHOP_TABS} />
      <div class="grid gap-4 sm:grid-cols-2 lg:grid-cols-4 mb-6">
        <section class="bg-white border rounded p-4">
          <h2 class="text-sm text-gray-600">Paid in the last 7 days</h2>
          <p class="text-2xl font-semibold">{formatTaka(data.revenue7dMinor, "en")}</p>
        </section>
        {[data.today, data.tomorrow].map((d, i) => (
          <section class="bg-white border rounded p-4">
            <h2 class="text-sm text-gray-600">To deliver {i === 0 ? "today" : "tomorrow"}</h2>
            <p class="text-2xl font-semibold">
              {data.deliveries.find((x) => x.date === d)?.n ?? 0}
            </p>
            <a class="text-sm text-brand-700 underline" href={`/admin/shop/picking?date=${d}`}>
              Picking sheet
            </a>
          </section>
        ))}
        <section class="bg-white border rounded p-4">
          <h2 class="text-sm text-gray-600">Open reconciliation findings</h2>
          <p class={`text-2xl font-semibold ${data.openIssues ? "text-red-700" : ""}`}>
            {data.openIssues}
          </p>
          <a class="text-sm text-brand-700 underline" href="/admin/shop/reconciliation">Review</a>
        </section>
      </div>
      <div class="grid gap-4 md:grid-cols-2">
        <section class="bg-white border rounded p-4">
          <h2 class="font-semibold mb-2">Orders of the last 30 days</h2>
          <ul class="text-sm">
            {data.byStatus.map((s) => (
              <li class="flex justify-between border-t py-1">
                <a class="text-brand-700 underline" href={`/admin/shop/orders?status=${s.status}`}>
                  {t.orders.statuses[s.status as keyof typeof t.orders.statuses] ?? s.status}
                </a>
                <span>{s.n}</span>
              </li>
            ))}
          </ul>
        </section>
        <section class="bg-white border rounded p-4">
          <h2 class="font-semibold mb-2">Low stock</h2>
          {data.lowStock.length === 0
            ? <p class="text-sm text-gray-600">Nothing below 20 units.</p>
            : (
              <ul class="text-sm">
                {data.lowStock.map((v) => (
                  <li class="flex justify-between border-t py-1">
                    <span>
                      {v.name} <span class="text-gray-500">{v.sku}</span>
                    </span>
                    <span class={v.stock === 0 ? "text-red-700 font-semibold" : ""}>{v.stock}</span>
                  </li>
                ))}
              </ul>
            )}
        </section>
      </div>
    </>
  );
}
