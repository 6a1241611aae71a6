import type { PageProps } from "@/framework/mod.ts";
import { PostForm } from "@/components/ui.tsx";
import { zodFields } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import { pathId } from "@/services/shop/mod.ts";
import { type Category, categoryInputSchema } from "@/services/shop/mod.ts";
import { adminButton, adminInput, ShopAdminHeader } from "@/components/ShopAdmin.tsx";
import { type AdminCtx, change, formScreen, staffScreen } from "./(_lib)/admin.ts";

interface Data {
  rows: Category[];
  csrf: string;
  error: string | null;
  saved: boolean;
}

async function render(ctx: AdminCtx, error: string | null, status = 200) {
  const rows = await ctx.state.deps.shop.categories(false);
  return await formScreen(ctx, "Categories", { rows }, error, status);
}

export const handler = staffScreen<Data>(
  "catalog.manage",
  (ctx) => render(ctx, null),
  async (ctx, user) => {
    const f = ctx.form!;
    const id = f.get("id") ? pathId(String(f.get("id"))) : null;
    const parsed = categoryInputSchema.safeParse({
      slug: f.get("slug"),
      nameEn: f.get("nameEn"),
      nameBn: f.get("nameBn"),
      sortOrder: f.get("sortOrder") || 0,
      active: f.get("active") === "on",
    });
    if (!parsed.success) {
      const fields = zodFields(parsed.error);
      return await render(
        ctx,
        Object.entries(fields).map(([k, m]) => `${k}: ${m[0]}`).join("; "),
        422,
      );
    }
    const refused = await change(() => ctx.state.deps.shop.saveCategory(id, parsed.data, user.id));
    if (refused !== null) return await render(ctx, refused, 422);
    return ctx.redirect("/admin/shop/categories?saved=1");
  },
);

export default function Categories({ data, url }: PageProps<Data, State>) {
  const row = (c: Partial<Category>) => (
    <PostForm csrf={data.csrf} class="flex flex-wrap gap-2 items-end border-t py-2 text-sm">
      {c.id && <input type="hidden" name="id" value={c.id} />}
      <label class="flex flex-col">
        Slug<input name="slug" value={c.slug ?? ""} required class={adminInput} />
      </label>
      <label class="flex flex-col">
        English<input name="nameEn" value={c.nameEn ?? ""} required class={adminInput} />
      </label>
      <label class="flex flex-col">
        Bangla<input name="nameBn" value={c.nameBn ?? ""} required class={adminInput} />
      </label>
      <label class="flex flex-col">
        Order<input
          name="sortOrder"
          type="number"
          value={c.sortOrder ?? 0}
          class={`${adminInput} w-16`}
        />
      </label>
      <label class="flex gap-1 items-center">
        <input type="checkbox" name="active" checked={c.active ?? true} /> Shown
      </label>
      <button type="submit" class={adminButton}>{c.id ? "Save" : "Add"}</button>
    </PostForm>
  );
  return (
    <>
      <ShopAdminHeader title="Categories" path={url.pathname} screen={data} />
      <section class="bg-white border rounded p-4">
        {data.rows.map(row)}
        <h2 class="font-semibold mt-4">New category</h2>
        {row({})}
      </section>
    </>
  );
}
