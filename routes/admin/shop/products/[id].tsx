import { HttpError, type PageProps, zodFields } from "@/framework/mod.ts";
import { PostForm } from "@/components/ui.tsx";
import type { State } from "@/state.ts";
import {
  type Category,
  dhakaDate,
  IMAGE_STYLES,
  pathId,
  type Product,
  productImageUrl,
  productInputSchema,
  stockReceiptSchema,
  STORAGE,
  type TaxClass,
  UNITS,
} from "@/services/shop/mod.ts";
import { adminButton, adminInput, AdminNotice, ShopAdminHeader } from "@/components/ShopAdmin.tsx";
import { type AdminCtx, refusal, staffScreen } from "../(_lib)/admin.ts";

interface Data {
  id: number | null;
  product: Product | null;
  categories: Category[];
  taxes: TaxClass[];
  values: Record<string, string>;
  variantRows: Record<string, string>[];
  errors: Record<string, string>;
  csrf: string;
  notice: string | null;
  /** Where packs may be received (inventory's sellable locations), and today for the form. */
  locations: { code: string; nameEn: string }[];
  today: string;
}

const BLANK_ROWS = 2;

function valuesOf(
  p: Product | null,
): { values: Record<string, string>; rows: Record<string, string>[] } {
  const values: Record<string, string> = p
    ? {
      slug: p.slug,
      categoryId: String(p.categoryId),
      nameEn: p.nameEn,
      nameBn: p.nameBn,
      descriptionEn: p.descriptionEn,
      descriptionBn: p.descriptionBn,
      shelfLifeDays: String(p.shelfLifeDays),
      storage: p.storage,
      taxClass: p.taxClass,
      imageStyle: p.imageStyle,
      imageColor: p.imageColor,
      subscribable: p.subscribable ? "on" : "",
      active: p.active ? "on" : "",
    }
    : {
      storage: "chilled",
      imageStyle: "bottle",
      imageColor: "#1d5fbf",
      active: "on",
      taxClass: "exempt",
      shelfLifeDays: "3",
    };
  const rows = (p?.variants ?? []).map((v) => ({
    id: String(v.id),
    sku: v.sku,
    packQty: v.packQty,
    unit: v.unit,
    price: (v.priceMinor / 100).toFixed(2),
    sortOrder: String(v.sortOrder),
    active: v.active ? "on" : "",
    stock: String(v.stockAvailable),
  }));
  return { values, rows };
}

async function render(ctx: AdminCtx, over: Partial<Data> = {}, status = 200) {
  const shop = ctx.state.deps.shop;
  const id = ctx.params.id === "new" ? null : pathId(ctx.params.id);
  if (id !== null && !Number.isInteger(id)) throw new HttpError(404);
  const product = id ? await shop.productById(id) : null;
  if (id && !product) throw new HttpError(404);
  const { values, rows } = valuesOf(product);
  ctx.state.title = `${product ? product.nameEn : "New product"} — Smart Dairy admin`;
  const variantRows = over.variantRows ?? rows;
  return {
    status,
    data: {
      id,
      product,
      categories: await shop.categories(false),
      taxes: await shop.taxClasses(),
      values: over.values ?? values,
      variantRows: [
        ...variantRows,
        ...Array.from({ length: BLANK_ROWS }, () => ({ active: "on", unit: "ml" })),
      ],
      errors: over.errors ?? {},
      csrf: await ctx.csrfToken(),
      notice: over.notice ??
        (ctx.url.searchParams.has("received")
          ? `Received into lot ${ctx.url.searchParams.get("received")}.`
          : ctx.url.searchParams.has("saved")
          ? "Saved."
          : null),
      locations: product ? await shop.stockLocations() : [],
      today: dhakaDate(shop.now()),
    } satisfies Data,
  };
}

function readForm(form: FormData) {
  const get = (k: string) => form.get(k)?.toString() ?? "";
  const values: Record<string, string> = {};
  for (
    const k of [
      "slug",
      "categoryId",
      "nameEn",
      "nameBn",
      "descriptionEn",
      "descriptionBn",
      "shelfLifeDays",
      "storage",
      "taxClass",
      "imageStyle",
      "imageColor",
      "subscribable",
      "active",
    ]
  ) values[k] = get(k);
  const rows: Record<string, string>[] = [];
  for (let i = 0; i < 20; i++) {
    if (!form.has(`v${i}.sku`)) break;
    const r: Record<string, string> = {};
    for (
      const k of ["id", "sku", "packQty", "unit", "price", "initialStock", "sortOrder", "active"]
    ) r[k] = get(`v${i}.${k}`);
    rows.push(r);
  }
  // Blank new rows are ignored; kept rows go to validation.
  const used = rows.filter((r) => r.id || r.sku || r.price || r.packQty);
  const input = {
    ...values,
    subscribable: values.subscribable === "on",
    active: values.active === "on",
    variants: used.map((r) => ({
      id: r.id || undefined,
      sku: r.sku,
      packQty: r.packQty,
      unit: r.unit,
      price: r.price,
      initialStock: r.initialStock || 0,
      sortOrder: r.sortOrder || 0,
      active: r.active === "on",
    })),
  };
  return { values, rows: used, input };
}

export const handler = staffScreen<Data>(
  "catalog.manage",
  (ctx) => render(ctx),
  async (ctx, user) => {
    const shop = ctx.state.deps.shop;
    const form = ctx.form!;
    const id = ctx.params.id === "new" ? null : pathId(ctx.params.id);
    if (form.get("action") === "receive" && id) {
      const parsed = stockReceiptSchema.safeParse(Object.fromEntries(form));
      if (!parsed.success) {
        return await render(ctx, {
          notice: null,
          errors: { stock: Object.values(zodFields(parsed.error))[0][0] },
        }, 422);
      }
      let lot;
      try {
        lot = await shop.receiveStock(parsed.data, { id: user.id, name: user.displayName });
      } catch (e) {
        const text = refusal(e);
        if (text === null) throw e;
        return await render(ctx, { errors: { stock: text } }, 422);
      }
      return ctx.redirect(
        `/admin/shop/products/${id}?received=${encodeURIComponent(lot.lotCode)}`,
      );
    }
    const { values, rows, input } = readForm(form);
    const parsed = productInputSchema.safeParse(input);
    if (!parsed.success) {
      const errors: Record<string, string> = {};
      for (const [k, m] of Object.entries(zodFields(parsed.error))) {
        const key = k.replace(/^variants\.(\d+)\.(\w+)$/, "v$1.$2");
        errors[key] ??= m[0];
      }
      return await render(ctx, { values, variantRows: rows, errors }, 422);
    }
    try {
      const saved = await shop.saveProduct(id, parsed.data, user.id);
      return ctx.redirect(`/admin/shop/products/${saved}?saved=1`);
    } catch (e) {
      const text = refusal(e);
      if (text === null) throw e;
      const field = (e as { field?: string }).field ?? "_";
      return await render(ctx, { values, variantRows: rows, errors: { [field]: text } }, 422);
    }
  },
);

export default function ProductForm({ data, url }: PageProps<Data, State>) {
  const v = data.values;
  const e = data.errors;
  const err = (k: string) => e[k] && <p class="text-sm text-red-700" role="alert">{e[k]}</p>;
  const text = (k: string, label: string, opts: { type?: string; required?: boolean } = {}) => (
    <label class="flex flex-col text-sm">
      {label}
      <input
        name={k}
        value={v[k] ?? ""}
        type={opts.type ?? "text"}
        required={opts.required}
        class={`${adminInput} ${e[k] ? "border-red-600" : ""}`}
        aria-invalid={e[k] ? "true" : undefined}
      />
      {err(k)}
    </label>
  );
  return (
    <>
      <ShopAdminHeader
        title={data.product ? data.product.nameEn : "New product"}
        path="/admin/shop/products"
        screen={data}
      />
      {Object.keys(e).length > 0 && (
        <AdminNotice kind="error">
          Please correct the marked fields. {e._ ?? e.variants ?? ""}
        </AdminNotice>
      )}
      <PostForm csrf={data.csrf} class="bg-white border rounded p-4 space-y-4" novalidate>
        <div class="grid gap-3 md:grid-cols-3">
          {text("nameEn", "Name (English)", { required: true })}
          {text("nameBn", "Name (Bangla)", { required: true })}
          {text("slug", "Address (slug)", { required: true })}
          <label class="flex flex-col text-sm">
            Category
            <select name="categoryId" class={adminInput}>
              <option value="">Choose…</option>
              {data.categories.map((c) => (
                <option value={c.id} selected={String(c.id) === v.categoryId}>{c.nameEn}</option>
              ))}
            </select>
            {err("categoryId")}
          </label>
          <label class="flex flex-col text-sm">
            VAT class
            <select name="taxClass" class={adminInput}>
              {data.taxes.map((t) => (
                <option value={t.code} selected={t.code === v.taxClass}>
                  {t.nameEn} ({t.rateBp / 100}%)
                </option>
              ))}
            </select>
            {err("taxClass")}
          </label>
          {text("shelfLifeDays", "Shelf life (days)", { type: "number" })}
          <label class="flex flex-col text-sm">
            Storage
            <select name="storage" class={adminInput}>
              {STORAGE.map((s) => <option selected={s === v.storage}>{s}</option>)}
            </select>
          </label>
          <label class="flex flex-col text-sm">
            Picture
            <select name="imageStyle" class={adminInput}>
              {IMAGE_STYLES.map((s) => <option selected={s === v.imageStyle}>{s}</option>)}
            </select>
          </label>
          <label class="flex flex-col text-sm">
            Colour
            <input name="imageColor" type="color" value={v.imageColor} class="h-9 w-20" />
            {err("imageColor")}
          </label>
        </div>
        {data.product && (
          <img
            src={productImageUrl(data.product.imageStyle, data.product.imageColor, 160)}
            width={80}
            height={80}
            alt=""
            class="rounded border"
          />
        )}
        {data.product && (
          <p class="text-sm">
            <a href={`/admin/shop/products/${data.product.id}/photos`} class="underline">
              Photos (shown instead of the drawing) · ছবি
            </a>
          </p>
        )}
        <div class="grid gap-3 md:grid-cols-2">
          <label class="flex flex-col text-sm">
            Description (English)
            <textarea name="descriptionEn" rows={4} class={adminInput}>{v.descriptionEn}</textarea>
            {err("descriptionEn")}
          </label>
          <label class="flex flex-col text-sm">
            Description (Bangla)
            <textarea name="descriptionBn" rows={4} class={adminInput}>{v.descriptionBn}</textarea>
            {err("descriptionBn")}
          </label>
        </div>
        <div class="flex gap-6 text-sm">
          <label class="flex gap-2 items-center">
            <input type="checkbox" name="active" checked={v.active === "on"} /> On sale
          </label>
          <label class="flex gap-2 items-center">
            <input type="checkbox" name="subscribable" checked={v.subscribable === "on"} />{" "}
            In daily-milk subscriptions
          </label>
        </div>
        <fieldset>
          <legend class="font-semibold mb-1">Packs and prices (VAT included)</legend>
          {err("variants")}
          <div class="overflow-x-auto">
            <table class="text-sm">
              <thead>
                <tr class="text-left">
                  <th>SKU</th>
                  <th>Size</th>
                  <th>Unit</th>
                  <th>Price ৳</th>
                  <th>{data.product ? "Available" : "Opening stock"}</th>
                  <th>Order</th>
                  <th>On sale</th>
                </tr>
              </thead>
              <tbody>
                {data.variantRows.map((r, i) => (
                  <tr>
                    <td>
                      <input type="hidden" name={`v${i}.id`} value={r.id ?? ""} />
                      <input
                        name={`v${i}.sku`}
                        value={r.sku ?? ""}
                        class={`${adminInput} w-32 uppercase`}
                        aria-label="SKU"
                      />
                      {err(`v${i}.sku`)}
                    </td>
                    <td>
                      <input
                        name={`v${i}.packQty`}
                        value={r.packQty ?? ""}
                        class={`${adminInput} w-20`}
                        aria-label="Pack size"
                      />
                      {err(`v${i}.packQty`)}
                    </td>
                    <td>
                      <select name={`v${i}.unit`} class={adminInput} aria-label="Unit">
                        {UNITS.map((u) => <option selected={u === r.unit}>{u}</option>)}
                      </select>
                    </td>
                    <td>
                      <input
                        name={`v${i}.price`}
                        value={r.price ?? ""}
                        class={`${adminInput} w-24`}
                        aria-label="Price"
                      />
                      {err(`v${i}.price`)}
                    </td>
                    <td>
                      {r.id ? <span class="px-2">{r.stock}</span> : (
                        <input
                          name={`v${i}.initialStock`}
                          value={r.initialStock ?? ""}
                          type="number"
                          min="0"
                          class={`${adminInput} w-20`}
                          aria-label="Opening stock"
                        />
                      )}
                    </td>
                    <td>
                      <input
                        name={`v${i}.sortOrder`}
                        value={r.sortOrder ?? "0"}
                        type="number"
                        class={`${adminInput} w-16`}
                        aria-label="Sort order"
                      />
                    </td>
                    <td class="text-center">
                      <input
                        type="checkbox"
                        name={`v${i}.active`}
                        checked={r.active === "on"}
                        aria-label="On sale"
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p class="text-xs text-gray-600">
            Fill an empty row to add a pack. Every price change is recorded in the audit log.
          </p>
        </fieldset>
        <button type="submit" class={adminButton} data-testid="save-product">Save</button>
      </PostForm>
      {data.product && (
        <PostForm
          csrf={data.csrf}
          actionField="receive"
          class="bg-white border rounded p-4 mt-4 flex flex-wrap gap-2 items-end text-sm"
          data-testid="receive-stock"
        >
          <h2 class="font-semibold w-full">Receive stock into a lot</h2>
          <p class="w-full text-xs text-gray-600">
            Stock is kept by lot with its expiry (inventory); the shop sells the earliest expiry
            first. Counts, scrap and transfers are on the{" "}
            <a href="/admin/inventory" class="underline">warehouse screens</a>.
          </p>
          <label class="flex flex-col">
            Pack
            <select name="variantId" class={adminInput}>
              {data.product.variants.map((x) => (
                <option value={x.id}>{x.sku} ({x.stockAvailable} available)</option>
              ))}
            </select>
          </label>
          <label class="flex flex-col">
            Packs<input name="qty" type="number" min="1" required class={`${adminInput} w-24`} />
          </label>
          <label class="flex flex-col">
            Produced on
            <input name="producedOn" type="date" value={data.today} required class={adminInput} />
          </label>
          <label class="flex flex-col">
            Expires on (empty: by shelf life)
            <input name="expiresOn" type="date" class={adminInput} />
          </label>
          <label class="flex flex-col">
            Location
            <select name="locationCode" class={adminInput}>
              {data.locations.map((l) => <option value={l.code}>{l.code} — {l.nameEn}</option>)}
            </select>
          </label>
          <label class="flex flex-col">
            Note<input name="note" maxLength={300} class={adminInput} />
          </label>
          <button type="submit" class={adminButton}>Receive</button>
          {err("stock")}
        </PostForm>
      )}
      <p class="hidden">{url.pathname}</p>
    </>
  );
}
