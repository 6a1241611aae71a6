import type { Context, PageProps } from "@/framework/mod.ts";
import { HttpError } from "@/framework/mod.ts";
import { CheckField, PageTitle, SelectField, TextField } from "@/components/IotUi.tsx";
import { buttonClass, linkClass, PostForm } from "@/components/ui.tsx";
import { pathId } from "@/services/purchase/mod.ts";
import { type PriceListEntry, type Supplier, UNIT_CODES } from "@/services/purchase/mod.ts";
import type { State } from "@/state.ts";
import { actorOf, type FormData, formPage, formValues, saveOr } from "../(_purchase)/lib.ts";
import { Errors as ErrorList, PurchaseTabs, Table, taka, td } from "../(_purchase)/ui.tsx";

interface Data extends FormData {
  supplier: Supplier;
  prices: PriceListEntry[];
}

async function pageData(ctx: Context<State>, extra: Partial<Data> = {}): Promise<Data> {
  const purchase = ctx.state.deps.purchase;
  const id = pathId(ctx.params.id);
  const supplier = await purchase.getSupplier(id);
  if (!supplier) throw new HttpError(404, "No such supplier");
  ctx.state.title = supplier.name;
  return {
    csrf: await ctx.csrfToken(),
    supplier,
    prices: await purchase.priceList({ supplierId: id }),
    values: { unit: "kg", vatRateBp: "0", leadDays: "0" },
    errors: {},
    ...extra,
  };
}

export const handler = formPage<Data>(pageData, async (ctx) => {
  const id = pathId(ctx.params.id);
  const v = formValues(ctx);
  return await saveOr(ctx, async () => {
    await ctx.state.deps.purchase.setPrice(
      {
        supplierId: id,
        itemCode: (v.itemCode ?? "").trim().toUpperCase(),
        unit: v.unit ?? "",
        unitPriceMinor: v.unitPriceMinor ?? "",
        vatRateBp: v.vatRateBp ?? "",
        preferred: v.preferred === "on",
        leadDays: v.leadDays || "0",
      } as Parameters<State["deps"]["purchase"]["setPrice"]>[0],
      actorOf(ctx),
    );
    return `/admin/purchase/suppliers/${id}`;
  }, (errors) => pageData(ctx, { values: v, errors }));
});

export default function SupplierPage({ data, state }: PageProps<Data, State>) {
  const m = state.t.purchase;
  const t = m.suppliers;
  const s = data.supplier;
  const form = { values: data.values, errors: data.errors };
  return (
    <>
      <PageTitle title={s.name}>
        <a class={linkClass} href={`/admin/purchase/suppliers?edit=${s.id}#supplier-form`}>
          {m.common.edit}
        </a>
      </PageTitle>
      <PurchaseTabs m={m} current="suppliers" />
      <dl class="grid grid-cols-2 sm:grid-cols-4 gap-2 mb-6 text-sm">
        <dt class="font-medium">{t.bin}</dt>
        <dd class="font-mono">{s.bin ?? t.unregistered}</dd>
        <dt class="font-medium">{t.category}</dt>
        <dd>{m.categories[s.category]}</dd>
        <dt class="font-medium">{t.terms}</dt>
        <dd>{s.paymentTermsDays}</dd>
        <dt class="font-medium">{t.contactName}</dt>
        <dd>{[s.contactName, s.contactPhone, s.contactEmail].filter(Boolean).join(", ")}</dd>
      </dl>
      <h2 class="text-lg font-semibold mb-2">{t.prices}</h2>
      <Table head={[m.common.itemCode, m.common.unit, m.common.price, m.common.vat, t.preferred]}>
        {data.prices.map((p) => (
          <tr data-price={p.itemCode}>
            <td class={`${td} font-mono`}>{p.itemCode}</td>
            <td class={td}>{m.units[p.unit] ?? p.unit}</td>
            <td class={td}>{taka(p.unitPriceMinor, state.lang)}</td>
            <td class={td}>{(p.vatRateBp / 100).toFixed(2)} %</td>
            <td class={td}>{p.preferred ? "✓" : ""}</td>
          </tr>
        ))}
      </Table>
      <section class="max-w-2xl">
        <h3 class="font-semibold mb-2">{t.setPrice}</h3>
        <ErrorList errors={data.errors} m={m} />
        <PostForm csrf={data.csrf} novalidate>
          <div class="grid sm:grid-cols-3 gap-x-4">
            <TextField id="itemCode" label={m.common.itemCode} maxLength={60} {...form} />
            <SelectField
              id="unit"
              label={m.common.unit}
              options={UNIT_CODES.map((u) => [u, m.units[u] ?? u])}
              {...form}
            />
            <TextField id="unitPriceMinor" label={m.common.price} type="number" {...form} />
            <TextField id="vatRateBp" label={m.common.vatRate} type="number" {...form} />
            <TextField id="leadDays" label={t.leadDays} type="number" {...form} />
          </div>
          <CheckField id="preferred" label={t.preferred} values={data.values} />
          <button type="submit" class={buttonClass()}>{m.common.save}</button>
        </PostForm>
      </section>
    </>
  );
}
