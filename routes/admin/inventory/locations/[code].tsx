import type { PageProps } from "@/framework/mod.ts";
import { HttpError } from "@/framework/mod.ts";
import type { StaffLocation } from "@/services/inventory/mod.ts";
import {
  InventoryLocationForm,
  locationInput,
  locationValues,
} from "@/components/InventoryLocationForm.tsx";
import { formOf, StockTitle } from "@/components/InventoryUi.tsx";
import { linkClass } from "@/components/ui.tsx";
import type { State } from "@/state.ts";
import { type PageBase, stockPage, title } from "@/routes/admin/inventory/(_inv)/inv.ts";

interface Data {
  location: StaffLocation;
}

/** One location: its settings to edit and a link to the lots it holds. */
export const handler = stockPage<Data>(async (ctx) => {
  const location = await ctx.state.deps.inventory.staffLocation(ctx.params.code ?? "");
  if (!location) throw new HttpError(404, ctx.state.t.stock.errors.notFound);
  title(ctx, ctx.state.t.stock.locations.editTitle(location.code));
  return { location };
}, {
  async save(ctx, v, actor) {
    await ctx.state.deps.inventory.saveLocation(ctx.params.code ?? "", locationInput(v), actor);
    return "/admin/inventory/locations?done=saved";
  },
});

export default function EditLocation({ data, state, url }: PageProps<Data & PageBase, State>) {
  const m = state.t.stock;
  const l = data.location;
  const form = formOf(data, locationValues(l));
  return (
    <>
      <StockTitle m={m} path={url.pathname} title={m.locations.editTitle(l.code)} />
      <p class="mb-4">
        <a href={`/admin/inventory/stock?view=lots&location=${l.code}`} class={linkClass}>
          {m.locations.lots}: {l.lots}
        </a>
      </p>
      <InventoryLocationForm
        m={m}
        csrf={data.csrf}
        form={form}
        code={l.code}
      />
    </>
  );
}
