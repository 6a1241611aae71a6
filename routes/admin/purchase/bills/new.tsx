import type { Context, PageProps } from "@/framework/mod.ts";
import { HttpError } from "@/framework/mod.ts";
import { PageTitle, TextField } from "@/components/IotUi.tsx";
import { buttonClass, PostForm } from "@/components/ui.tsx";
import { optionalId } from "@/services/purchase/mod.ts";
import { fromBase, type Order } from "@/services/purchase/mod.ts";
import type { State } from "@/state.ts";
import {
  actorOf,
  type FormData,
  formLines,
  formPage,
  formValues,
  saveOr,
} from "../(_purchase)/lib.ts";
import {
  CellInput,
  Errors as ErrorList,
  PurchaseTabs,
  qty,
  Table,
  taka,
  td,
} from "../(_purchase)/ui.tsx";

interface Data extends FormData {
  order: Order;
}

async function pageData(ctx: Context<State>, orderId: number | null, extra: Partial<Data> = {}) {
  const purchase = ctx.state.deps.purchase;
  const order = orderId ? await purchase.getOrder(orderId) : null;
  if (!order) throw new HttpError(404, "No such purchase order");
  ctx.state.title = `${ctx.state.t.purchase.orders.enterBill} — ${order.number}`;
  // Prefilled with what was received and not yet billed, at the order's price.
  const values: Record<string, string> = { billDate: purchase.today() };
  order.lines.forEach((l, i) => {
    const open = l.receivedBase - l.billedBase;
    values[`lines.${i}.qty`] = open > 0 ? fromBase(open, l.unit) : "";
  });
  return { csrf: await ctx.csrfToken(), order, values, errors: {}, ...extra } as Data;
}

export const handler = formPage<Data>(
  (ctx) => pageData(ctx, optionalId(ctx.url.searchParams.get("order"))),
  async (ctx) => {
    const v = formValues(ctx);
    const orderId = optionalId(v.orderId);
    if (!orderId) throw new HttpError(400, "Choose a purchase order");
    return await saveOr(ctx, async () => {
      const b = await ctx.state.deps.purchase.enterBill({
        orderId,
        billNumber: v.billNumber ?? "",
        billDate: v.billDate ?? "",
        lines: formLines(v, ["orderLineId", "qty", "unitPriceMinor", "vatMinor"]) as Parameters<
          State["deps"]["purchase"]["enterBill"]
        >[0]["lines"],
      }, actorOf(ctx));
      return `/admin/purchase/bills/${b.id}`;
    }, (errors) => pageData(ctx, orderId, { values: v, errors }));
  },
);

export default function NewBill({ data, state }: PageProps<Data, State>) {
  const m = state.t.purchase;
  const t = m.bills;
  const o = data.order;
  const form = { values: data.values, errors: data.errors };
  return (
    <>
      <PageTitle title={`${m.orders.enterBill}: ${o.number}`} intro={o.supplierName} />
      <PurchaseTabs m={m} current="bills" />
      <ErrorList errors={data.errors} m={m} />
      <PostForm csrf={data.csrf} action="/admin/purchase/bills/new" novalidate>
        <input type="hidden" name="orderId" value={String(o.id)} />
        <div class="grid sm:grid-cols-2 gap-x-4 max-w-2xl">
          <TextField id="billNumber" label={t.billNumber} maxLength={60} {...form} />
          <TextField id="billDate" label={t.billDate} placeholder="YYYY-MM-DD" {...form} />
        </div>
        <p class="text-xs text-gray-600 mb-2">{t.priceHint} {t.vatHint}</p>
        <Table
          head={[
            m.common.item,
            m.orders.ordered,
            t.receivedUnbilled,
            t.poPrice,
            m.common.qty,
            m.common.price,
            m.common.vat,
          ]}
        >
          {o.lines.map((l, i) => (
            <tr>
              <td class={td}>
                <input type="hidden" name={`lines.${i}.orderLineId`} value={String(l.id)} />
                {l.itemName}
              </td>
              <td class={td}>{qty(m, l.qtyBase, l.unit)}</td>
              <td class={td}>{qty(m, l.receivedBase - l.billedBase, l.unit)}</td>
              <td class={td}>{taka(l.unitPriceMinor, state.lang)}</td>
              <td class={td}>
                <CellInput
                  name={`lines.${i}.qty`}
                  values={data.values}
                  label={`${m.common.qty}: ${l.itemName}`}
                  width="w-24"
                  invalid={!!data.errors[`lines.${i}.qty`]}
                  inputMode="decimal"
                />{" "}
                {m.units[l.unit] ?? l.unit}
              </td>
              <td class={td}>
                <CellInput
                  name={`lines.${i}.unitPriceMinor`}
                  values={data.values}
                  label={`${m.common.price}: ${l.itemName}`}
                  width="w-28"
                  placeholder={String(l.unitPriceMinor)}
                  inputMode="numeric"
                />
              </td>
              <td class={td}>
                <CellInput
                  name={`lines.${i}.vatMinor`}
                  values={data.values}
                  label={`${m.common.vat}: ${l.itemName}`}
                  width="w-28"
                  inputMode="numeric"
                />
              </td>
            </tr>
          ))}
        </Table>
        <button type="submit" class={buttonClass()}>{m.common.save}</button>
      </PostForm>
    </>
  );
}
