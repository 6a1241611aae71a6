import type { Handlers, PageProps } from "@/framework/mod.ts";
import { PostForm } from "@/components/ui.tsx";
import { requirePermission } from "@/plugins/session.ts";
import type { State } from "@/state.ts";
import type { SubscriptionRow } from "@/services/shop/mod.ts";
import { adminButton, AdminTable, ShopAdminHeader } from "@/components/ShopAdmin.tsx";
import {} from "./(_lib)/admin.ts";

interface Data {
  rows: SubscriptionRow[];
  csrf: string;
  notice: string | null;
}

export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    requirePermission(ctx, "sales.manage");
    ctx.state.title = "Subscriptions — Smart Dairy admin";
    return {
      data: {
        rows: await ctx.state.deps.shop.subscriptionsOf(null, 500),
        csrf: await ctx.csrfToken(),
        notice: ctx.url.searchParams.get("done"),
      },
    };
  },
  async POST(ctx) {
    requirePermission(ctx, "sales.manage");
    const r = await ctx.state.deps.shop.runSubscriptions();
    return ctx.redirect(
      `/admin/shop/subscriptions?done=${
        encodeURIComponent(`${r.ordered} orders created, ${r.failed} not delivered`)
      }`,
    );
  },
};

export default function Subs({ data, url }: PageProps<Data, State>) {
  return (
    <>
      <ShopAdminHeader title="Daily-milk subscriptions" path={url.pathname} screen={data} />
      <PostForm csrf={data.csrf} class="mb-4">
        <button type="submit" class={adminButton}>Create due orders now</button>
        <span class="text-sm text-gray-600 ml-2">
          The worker does this every minute after each cut-off.
        </span>
      </PostForm>
      <AdminTable
        heads={["Customer", "Status", "Since", "Billing", ["Units a week", "right"]]}
        empty="No subscriptions yet. Customers start one from a product page."
      >
        {data.rows.map((s) => (
          <tr class="border-t">
            <td class="p-2">{s.customer}</td>
            <td class="p-2">{s.status}</td>
            <td class="p-2">{s.startDate}</td>
            <td class="p-2">
              {s.billing === "prepaid" ? "prepaid balance" : "cash per delivery"}
            </td>
            <td class="p-2 text-right">{s.weeklyUnits}</td>
          </tr>
        ))}
      </AdminTable>
    </>
  );
}
