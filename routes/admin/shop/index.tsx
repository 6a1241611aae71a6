import type { Handlers, PageProps } from "@/framework/mod.ts";
import { requirePermission } from "@/plugins/session.ts";
import type { State } from "@/state.ts";
import { formatTaka, messages } from "@/services/i18n/mod.ts";
import { ShopAdminHeader } from "@/components/ShopAdmin.tsx";

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
    ctx.state.title = "Shop — Smart Dairy admin";
    return { data: await ctx.state.deps.shop.dashboard() };
  },
};

export default function ShopAdmin({ data, url }: PageProps<Data, State>) {
  const t = messages("en").shop;
  return (
    <>
      <ShopAdminHeader title="Shop" path={url.pathname} />
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
