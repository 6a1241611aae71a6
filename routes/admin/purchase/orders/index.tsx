import type { Context, PageProps } from "@/framework/mod.ts";
import { PageTitle, SelectField, TextField } from "@/components/IotUi.tsx";
import { FilterForm, FilterSelect } from "@/components/AdminFilters.tsx";
import { buttonClass, inputClass, linkClass, PostForm, selectClass } from "@/components/ui.tsx";
import { optionalId } from "@/services/purchase/mod.ts";
import {
  ORDER_STATUSES,
  type OrderSummary,
  type Supplier,
  UNIT_CODES,
} from "@/services/purchase/mod.ts";
import type { State } from "@/state.ts";
import {
  actorOf,
  type FormData,
  formLines,
  formPage,
  formValues,
  saveOr,
} from "../(_purchase)/lib.ts";
import { Badge, Errors as ErrorList, PurchaseTabs, Table, taka, td } from "../(_purchase)/ui.tsx";

const LINE_ROWS = 4;

interface Data extends FormData {
  orders: OrderSummary[];
  suppliers: Supplier[];
  locations: { code: string; nameEn: string; nameBn: string }[];
  status: string;
}

async function pageData(ctx: Context<State>, extra: Partial<Data> = {}): Promise<Data> {
  const purchase = ctx.state.deps.purchase;
  const q = ctx.url.searchParams.get("status") ?? "";
  const status = (ORDER_STATUSES as readonly string[]).includes(q) ? q : "";
  ctx.state.title = ctx.state.t.purchase.orders.title;
  return {
    csrf: await ctx.csrfToken(),
    orders: await purchase.listOrders({ status: status || undefined }),
    suppliers: await purchase.listSuppliers({ activeOnly: true }),
    locations: await purchase.locations(),
    status,
    values: { deliverTo: purchase.defaultLocation, overReceiptPct: "5" },
    errors: {},
    ...extra,
  };
}

export const handler = formPage<Data>(pageData, async (ctx) => {
  const v = formValues(ctx);
  const lines = formLines(v, ["itemCode", "unit", "qty", "unitPriceMinor", "vatRateBp"]).filter((
    l,
  ) => l.itemCode.trim() !== "").map((l) => ({
    itemCode: l.itemCode.trim().toUpperCase(),
    unit: l.unit,
    qty: l.qty,
    unitPriceMinor: l.unitPriceMinor || undefined,
    vatRateBp: l.vatRateBp || undefined,
  }));
  return await saveOr(ctx, async () => {
    const o = await ctx.state.deps.purchase.createOrder(
      {
        supplierId: optionalId(v.supplierId) ?? 0,
        deliverTo: v.deliverTo ?? "",
        expectedOn: v.expectedOn ?? "",
        note: v.note ?? "",
        overReceiptPct: v.overReceiptPct || "5",
        lines,
      } as Parameters<State["deps"]["purchase"]["createOrder"]>[0],
      actorOf(ctx),
    );
    return `/admin/purchase/orders/${o.id}`;
  }, (errors) => pageData(ctx, { values: v, errors }));
});

export default function Orders({ data, state }: PageProps<Data, State>) {
  const m = state.t.purchase;
  const t = m.orders;
  const form = { values: data.values, errors: data.errors };
  const lang = state.lang;
  return (
    <>
      <PageTitle title={t.title} />
      <PurchaseTabs m={m} current="orders" />
      <FilterForm action="/admin/purchase/orders" submit={m.common.filter}>
        <FilterSelect
          name="status"
          label={m.common.status}
          value={data.status}
          options={[["", m.common.all], ...ORDER_STATUSES.map((s) => [s, m.orderStatus[s]])] as [
            string,
            string,
          ][]}
        />
      </FilterForm>
      <Table
        head={[t.number, m.common.supplier, t.orderedOn, m.common.status, m.common.total]}
        empty={t.empty}
      >
        {data.orders.map((o) => (
          <tr data-order={o.number}>
            <td class={td}>
              <a class={linkClass} href={`/admin/purchase/orders/${o.id}`}>{o.number}</a>
            </td>
            <td class={td}>{o.supplierName}</td>
            <td class={td}>{o.orderedOn}</td>
            <td class={td}>
              <Badge value={o.status} label={m.orderStatus[o.status]} />
            </td>
            <td class={td}>{taka(o.totalMinor, lang)}</td>
          </tr>
        ))}
      </Table>
      <section class="max-w-4xl" id="new-order">
        <h2 class="text-lg font-semibold mb-2">{t.new}</h2>
        <ErrorList errors={data.errors} m={m} />
        <PostForm csrf={data.csrf} action="/admin/purchase/orders" novalidate>
          <div class="grid sm:grid-cols-2 gap-x-4">
            <SelectField
              id="supplierId"
              label={m.common.supplier}
              none=""
              options={data.suppliers.map((s) => [String(s.id), s.name])}
              {...form}
            />
            <SelectField
              id="deliverTo"
              label={t.deliverTo}
              options={data.locations.map((l) => [l.code, lang === "bn" ? l.nameBn : l.nameEn])}
              {...form}
            />
            <TextField id="expectedOn" label={t.expectedOn} placeholder="YYYY-MM-DD" {...form} />
            <TextField id="overReceiptPct" label={t.tolerance} type="number" {...form} />
          </div>
          <TextField id="note" label={m.common.note} maxLength={500} {...form} />
          <h3 class="font-semibold mb-1">{t.lines}</h3>
          <p class="text-xs text-gray-600 mb-2">{t.priceHint}</p>
          {Array.from({ length: LINE_ROWS }, (_, i) => (
            <div class="grid grid-cols-5 gap-2 mb-2">
              <input
                name={`lines.${i}.itemCode`}
                value={data.values[`lines.${i}.itemCode`] ?? ""}
                placeholder={m.common.itemCode}
                aria-label={`${m.common.itemCode} ${i + 1}`}
                class={inputClass()}
              />
              <input
                name={`lines.${i}.qty`}
                value={data.values[`lines.${i}.qty`] ?? ""}
                placeholder={m.common.qty}
                aria-label={`${m.common.qty} ${i + 1}`}
                inputMode="decimal"
                class={inputClass()}
              />
              <select
                name={`lines.${i}.unit`}
                class={selectClass}
                aria-label={`${m.common.unit} ${i + 1}`}
              >
                {UNIT_CODES.map((u) => (
                  <option value={u} selected={(data.values[`lines.${i}.unit`] ?? "kg") === u}>
                    {m.units[u] ?? u}
                  </option>
                ))}
              </select>
              <input
                name={`lines.${i}.unitPriceMinor`}
                value={data.values[`lines.${i}.unitPriceMinor`] ?? ""}
                placeholder={m.common.price}
                aria-label={`${m.common.price} ${i + 1}`}
                inputMode="numeric"
                class={inputClass()}
              />
              <input
                name={`lines.${i}.vatRateBp`}
                value={data.values[`lines.${i}.vatRateBp`] ?? ""}
                placeholder={m.common.vatRate}
                aria-label={`${m.common.vatRate} ${i + 1}`}
                inputMode="numeric"
                class={inputClass()}
              />
            </div>
          ))}
          <button type="submit" class={buttonClass()}>{m.common.save}</button>
        </PostForm>
      </section>
    </>
  );
}
