import type { Handlers, PageProps } from "@/framework/mod.ts";
import { requirePermission } from "@/plugins/session.ts";
import type { State } from "@/state.ts";
import { formatTaka } from "@/services/i18n/mod.ts";
import type { AdminProductRow } from "@/services/shop/mod.ts";
import {
  adminButton,
  adminInput,
  AdminTable,
  ShopAdminHeader,
  ShopPager,
} from "@/components/ShopAdmin.tsx";
import { pageParam } from "@/routes/admin/(_admin)/list_query.ts";

const PAGE = 50;

interface Data {
  rows: AdminProductRow[];
  total: number;
  q: string;
  page: number;
}

export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    requirePermission(ctx, "catalog.manage");
    const q = (ctx.url.searchParams.get("q") ?? "").trim().slice(0, 60);
    const page = pageParam(ctx.url.searchParams, 1000);
    const r = await ctx.state.deps.shop.adminProducts({
      search: q,
      limit: PAGE,
      offset: (page - 1) * PAGE,
    });
    ctx.state.title = "Products — Smart Dairy admin";
    return { data: { ...r, q, page } };
  },
};

export default function Products({ data, url }: PageProps<Data, State>) {
  const pages = Math.max(1, Math.ceil(data.total / PAGE));
  return (
    <>
      <ShopAdminHeader title="Products" path={url.pathname} />
      <div class="flex flex-wrap gap-3 items-end mb-4">
        <form method="get" class="flex gap-2 text-sm">
          <input
            name="q"
            value={data.q}
            placeholder="Name, slug or SKU"
            class={adminInput}
            aria-label="Search products"
          />
          <button type="submit" class={adminButton}>Search</button>
        </form>
        <a href="/admin/shop/products/new" class={adminButton} data-testid="new-product">
          New product
        </a>
      </div>
      <AdminTable
        heads={["Product", "Category", "Packs", ["From", "right"], ["Stock", "right"], "Active"]}
      >
        {data.rows.map((p) => (
          <tr class="border-t">
            <td class="p-2">
              <a class="text-brand-700 underline" href={`/admin/shop/products/${p.id}`}>
                {p.nameEn}
              </a>{" "}
              <span class="text-gray-500">{p.slug}</span>
            </td>
            <td class="p-2">{p.categoryNameEn}</td>
            <td class="p-2">{p.variants}</td>
            <td class="p-2 text-right">
              {p.minPriceMinor === null ? "—" : formatTaka(p.minPriceMinor, "en")}
            </td>
            <td class={`p-2 text-right ${p.stock === 0 ? "text-red-700" : ""}`}>{p.stock}</td>
            <td class="p-2">{p.active ? "yes" : "no"}</td>
          </tr>
        ))}
      </AdminTable>
      <ShopPager
        page={data.page}
        pages={pages}
        href={(n) => `?q=${encodeURIComponent(data.q)}&page=${n}`}
      />
    </>
  );
}
