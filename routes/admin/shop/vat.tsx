import type { PageProps } from "@/framework/mod.ts";
import { PostForm } from "@/components/ui.tsx";
import type { State } from "@/state.ts";
import { type TaxClass, taxRateSchema } from "@/services/shop/mod.ts";
import { adminButton, adminInput, ShopAdminHeader } from "@/components/ShopAdmin.tsx";
import { type AdminCtx, change, formScreen, staffScreen } from "./(_lib)/admin.ts";

interface Data {
  rows: TaxClass[];
  csrf: string;
  error: string | null;
  saved: boolean;
}

async function render(ctx: AdminCtx, error: string | null, status = 200) {
  const rows = await ctx.state.deps.shop.taxClasses();
  return await formScreen(ctx, "VAT classes", { rows }, error, status);
}

/** VAT rate per class: prices include VAT, so a new rate changes the VAT part of future orders. */
export const handler = staffScreen<Data>(
  "catalog.manage",
  (ctx) => render(ctx, null),
  async (ctx, user) => {
    const parsed = taxRateSchema.safeParse({
      code: ctx.form!.get("code"),
      ratePercent: ctx.form!.get("ratePercent"),
    });
    if (!parsed.success) return await render(ctx, parsed.error.issues[0].message, 422);
    const refused = await change(() =>
      ctx.state.deps.shop.setTaxRate(parsed.data.code, parsed.data.ratePercent, user.id)
    );
    if (refused !== null) return await render(ctx, refused, 422);
    return ctx.redirect("/admin/shop/vat?saved=1");
  },
);

export default function Vat({ data, url }: PageProps<Data, State>) {
  return (
    <>
      <ShopAdminHeader title="VAT classes" path={url.pathname} screen={data} />
      <p class="text-sm text-gray-700 mb-3">
        Shop prices include VAT. Orders keep the rate they were placed with.
      </p>
      <section class="bg-white border rounded p-4">
        {data.rows.map((t) => (
          <PostForm csrf={data.csrf} class="flex flex-wrap gap-2 items-end border-t py-2 text-sm">
            <input type="hidden" name="code" value={t.code} />
            <span class="w-64">
              {t.nameEn} <span class="text-gray-500">({t.code})</span>
            </span>
            <label class="flex flex-col">
              Rate %<input
                name="ratePercent"
                value={String(t.rateBp / 100)}
                class={`${adminInput} w-20`}
              />
            </label>
            <button type="submit" class={adminButton}>Save</button>
          </PostForm>
        ))}
      </section>
    </>
  );
}
