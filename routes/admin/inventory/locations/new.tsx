import type { PageProps } from "@/framework/mod.ts";
import { InventoryLocationForm, locationInput } from "@/components/InventoryLocationForm.tsx";
import { formOf, StockTitle } from "@/components/InventoryUi.tsx";
import type { State } from "@/state.ts";
import { type PageBase, stockPage, title } from "@/routes/admin/inventory/(_inv)/inv.ts";

/** A new location. */
export const handler = stockPage<Record<never, never>>(async (ctx) => {
  title(ctx, ctx.state.t.stock.locations.newTitle);
  return await Promise.resolve({});
}, {
  async save(ctx, v, actor) {
    await ctx.state.deps.inventory.saveLocation(null, locationInput(v), actor);
    return "/admin/inventory/locations?done=saved";
  },
});

export default function NewLocation({ data, state, url }: PageProps<PageBase, State>) {
  const m = state.t.stock;
  const form = formOf(data, { active: "on", tempClass: "chilled" });
  return (
    <>
      <StockTitle m={m} path={url.pathname} title={m.locations.newTitle} />
      <InventoryLocationForm m={m} csrf={data.csrf} form={form} />
    </>
  );
}
