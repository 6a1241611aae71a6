import type { PageProps } from "@/framework/mod.ts";
import { PostForm } from "@/components/ui.tsx";
import { zodFields } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import { formatTaka } from "@/services/i18n/mod.ts";
import { dhakaDate, type DiscountCode, discountInputSchema } from "@/services/shop/mod.ts";
import { adminButton, adminInput, ShopAdminHeader } from "@/components/ShopAdmin.tsx";
import { type AdminCtx, change, staffScreen, stamp } from "./(_lib)/admin.ts";

interface Data {
  rows: DiscountCode[];
  editing: DiscountCode | null;
  values: Record<string, string>;
  errors: Record<string, string>;
  csrf: string;
  saved: boolean;
}

const KEYS = [
  "code",
  "description",
  "kind",
  "value",
  "maxDiscount",
  "minOrder",
  "startsAt",
  "endsAt",
  "maxUses",
];

function toValues(c: DiscountCode | null): Record<string, string> {
  if (!c) return { kind: "percent", active: "on", oncePerCustomer: "on" };
  const d = (x: Date | null) => (x ? dhakaDate(x) : "");
  return {
    code: c.code,
    description: c.description,
    kind: c.kind,
    value: c.kind === "percent" ? String(c.value / 100) : (c.value / 100).toFixed(2),
    maxDiscount: c.maxDiscountMinor ? (c.maxDiscountMinor / 100).toFixed(2) : "",
    minOrder: c.minOrderMinor ? (c.minOrderMinor / 100).toFixed(2) : "",
    startsAt: d(c.startsAt),
    endsAt: d(c.endsAt),
    maxUses: c.maxUses ? String(c.maxUses) : "",
    active: c.active ? "on" : "",
    oncePerCustomer: c.oncePerCustomer ? "on" : "",
  };
}

async function render(
  ctx: AdminCtx,
  over: { values?: Record<string, string>; errors?: Record<string, string> } = {},
  status = 200,
) {
  const shop = ctx.state.deps.shop;
  const id = Number(ctx.url.searchParams.get("edit")) || null;
  const editing = id ? await shop.discountCode(id) : null;
  ctx.state.title = "Discount codes — Smart Dairy admin";
  return {
    status,
    data: {
      rows: await shop.discountCodes(),
      editing,
      values: over.values ?? toValues(editing),
      errors: over.errors ?? {},
      csrf: await ctx.csrfToken(),
      saved: ctx.url.searchParams.has("saved"),
    },
  };
}

export const handler = staffScreen<Data>(
  "catalog.manage",
  (ctx) => render(ctx),
  async (ctx, user) => {
    const f = ctx.form!;
    const values: Record<string, string> = {};
    for (const k of [...KEYS, "active", "oncePerCustomer"]) values[k] = f.get(k)?.toString() ?? "";
    const parsed = discountInputSchema.safeParse({
      ...values,
      active: values.active === "on",
      oncePerCustomer: values.oncePerCustomer === "on",
    });
    if (!parsed.success) {
      const errors: Record<string, string> = {};
      for (const [k, m] of Object.entries(zodFields(parsed.error))) errors[k] = m[0];
      return await render(ctx, { values, errors }, 422);
    }
    const id = Number(ctx.url.searchParams.get("edit")) || null;
    const refused = await change(() =>
      ctx.state.deps.shop.saveDiscountCode(id, parsed.data, user.id)
    );
    if (refused !== null) return await render(ctx, { values, errors: { code: refused } }, 422);
    return ctx.redirect("/admin/shop/discounts?saved=1");
  },
);

export default function Discounts({ data, url }: PageProps<Data, State>) {
  const v = data.values;
  const e = data.errors;
  const input = (k: string, label: string, type = "text") => (
    <label class="flex flex-col">
      {label}
      <input
        name={k}
        type={type}
        value={v[k] ?? ""}
        class={`${adminInput} ${e[k] ? "border-red-600" : ""}`}
      />
      {e[k] && <span class="text-red-700" role="alert">{e[k]}</span>}
    </label>
  );
  return (
    <>
      <ShopAdminHeader title="Discount codes" path={url.pathname} screen={data} />
      <table class="w-full bg-white border text-sm text-left mb-4">
        <thead class="bg-gray-100">
          <tr>
            <th class="p-2">Code</th>
            <th class="p-2">Discount</th>
            <th class="p-2">Minimum</th>
            <th class="p-2">Valid</th>
            <th class="p-2">Used</th>
            <th class="p-2">Active</th>
          </tr>
        </thead>
        <tbody>
          {data.rows.map((c) => (
            <tr class="border-t">
              <td class="p-2">
                <a class="text-brand-700 underline" href={`?edit=${c.id}`}>{c.code}</a>
              </td>
              <td class="p-2">
                {c.kind === "percent" ? `${c.value / 100}%` : formatTaka(c.value, "en")}
              </td>
              <td class="p-2">{formatTaka(c.minOrderMinor, "en")}</td>
              <td class="p-2">{stamp(c.startsAt) || "—"} → {stamp(c.endsAt) || "—"}</td>
              <td class="p-2">{c.uses}{c.maxUses ? ` / ${c.maxUses}` : ""}</td>
              <td class="p-2">{c.active ? "yes" : "no"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <PostForm csrf={data.csrf} class="bg-white border rounded p-4 text-sm" novalidate>
        <h2 class="font-semibold mb-2">
          {data.editing ? `Edit ${data.editing.code}` : "New code"}
        </h2>
        <div class="grid gap-3 sm:grid-cols-3">
          {input("code", "Code")}
          {input("description", "Description")}
          <label class="flex flex-col">
            Kind
            <select name="kind" class={adminInput}>
              <option value="percent" selected={v.kind === "percent"}>Percent off</option>
              <option value="fixed" selected={v.kind === "fixed"}>Taka off</option>
            </select>
          </label>
          {input("value", "Value (% or ৳)")}
          {input("maxDiscount", "Largest discount ৳ (optional)")}
          {input("minOrder", "Minimum order ৳")}
          {input("startsAt", "Starts", "date")}
          {input("endsAt", "Ends", "date")}
          {input("maxUses", "Most uses in total (optional)")}
        </div>
        <div class="flex gap-6 my-3">
          <label class="flex gap-2 items-center">
            <input type="checkbox" name="active" checked={v.active === "on"} /> Active
          </label>
          <label class="flex gap-2 items-center">
            <input type="checkbox" name="oncePerCustomer" checked={v.oncePerCustomer === "on"} />
            {" "}
            Once per customer
          </label>
        </div>
        <button type="submit" class={adminButton}>Save code</button>
      </PostForm>
    </>
  );
}
