import type { Context, PageProps } from "@/framework/mod.ts";
import { HttpError } from "@/framework/mod.ts";
import { PageTitle, SelectField, TextField } from "@/components/IotUi.tsx";
import { buttonClass, linkClass, PostForm } from "@/components/ui.tsx";
import { optionalId, pathId } from "@/services/purchase/mod.ts";
import { type Bill, fromBase, type Order, type Receipt } from "@/services/purchase/mod.ts";
import type { State } from "@/state.ts";
import {
  actorOf,
  type FormData,
  formLines,
  formPage,
  formValues,
  saveOr,
} from "../../(_purchase)/lib.ts";
import {
  ActionForm,
  ActionSubmit,
  Badge,
  CellInput,
  Errors as ErrorList,
  ItemQtyUnit,
  LotCell,
  PurchaseTabs,
  qty,
  Table,
  taka,
  td,
  TotalsRow,
} from "../../(_purchase)/ui.tsx";

interface Data extends FormData {
  order: Order;
  receipts: Receipt[];
  bills: Bill[];
  locations: { code: string; nameEn: string; nameBn: string }[];
  today: string;
}

async function pageData(ctx: Context<State>, extra: Partial<Data> = {}): Promise<Data> {
  const purchase = ctx.state.deps.purchase;
  const id = pathId(ctx.params.id);
  const order = await purchase.getOrder(id);
  if (!order) throw new HttpError(404, "No such purchase order");
  ctx.state.title = order.number;
  return {
    csrf: await ctx.csrfToken(),
    order,
    receipts: await purchase.listReceipts({ orderId: id }),
    bills: await purchase.listBills({ orderId: id }),
    locations: await purchase.locations(),
    today: purchase.today(),
    values: { locationCode: order.deliverTo, receivedOn: purchase.today(), unit: "kg" },
    errors: {},
    ...extra,
  };
}

export const handler = formPage<Data>(pageData, async (ctx) => {
  const id = pathId(ctx.params.id);
  const v = formValues(ctx);
  const purchase = ctx.state.deps.purchase;
  const actor = actorOf(ctx);
  const here = `/admin/purchase/orders/${id}`;
  return await saveOr(ctx, async () => {
    switch (v.action) {
      case "send":
        await purchase.sendOrder(id, actor);
        break;
      case "cancel":
        await purchase.cancelOrder(id, actor);
        break;
      case "close":
        await purchase.closeOrder(id, actor);
        break;
      case "addLine":
        await purchase.addOrderLine(
          id,
          {
            itemCode: (v.itemCode ?? "").trim().toUpperCase(),
            unit: v.unit ?? "",
            qty: v.qty ?? "",
            unitPriceMinor: v.unitPriceMinor || undefined,
            vatRateBp: v.vatRateBp || undefined,
          } as Parameters<typeof purchase.addOrderLine>[1],
          actor,
        );
        break;
      case "removeLine": {
        const lineId = optionalId(v.lineId);
        if (!lineId) throw new HttpError(400, "Bad line");
        await purchase.removeOrderLine(id, lineId, actor);
        break;
      }
      case "receive":
        await purchase.receiveGoods(id, {
          receivedOn: v.receivedOn ?? "",
          locationCode: v.locationCode ?? "",
          note: v.note ?? "",
          lines: formLines(v, [
            "orderLineId",
            "qty",
            "supplierLot",
            "producedOn",
            "expiresOn",
          ]) as Parameters<typeof purchase.receiveGoods>[1]["lines"],
        }, actor);
        return `${here}?received`;
      default:
        throw new HttpError(400, "Unknown action");
    }
    return here;
  }, (errors) => pageData(ctx, { values: v, errors }));
});

function ActionButton(props: { csrf: string; action: string; label: string; danger?: boolean }) {
  return (
    <PostForm csrf={props.csrf} class="inline">
      <ActionSubmit action={props.action} kind={props.danger ? "danger" : "primary"}>
        {props.label}
      </ActionSubmit>
    </PostForm>
  );
}

export default function OrderPage({ data, state, url }: PageProps<Data, State>) {
  const m = state.t.purchase;
  const t = m.orders;
  const o = data.order;
  const lang = state.lang;
  const form = { values: data.values, errors: data.errors };
  const receiving = o.status === "sent" || o.status === "partially_received";
  const billable = !["draft", "cancelled"].includes(o.status);
  return (
    <>
      <PageTitle title={`${t.number} ${o.number}`}>
        <a class={linkClass} href={`/admin/purchase/orders/${o.id}/print`}>{t.printable}</a>
      </PageTitle>
      <PurchaseTabs m={m} current="orders" />
      {url.searchParams.has("received") && (
        <p role="status" class="rounded border p-3 mb-4 bg-green-50 border-green-300">
          {m.receipts.saved}
        </p>
      )}
      <ErrorList errors={data.errors} m={m} />
      <dl class="grid grid-cols-2 sm:grid-cols-4 gap-2 mb-4 text-sm">
        <dt class="font-medium">{m.common.supplier}</dt>
        <dd>
          <a class={linkClass} href={`/admin/purchase/suppliers/${o.supplierId}`}>
            {o.supplierName}
          </a>
        </dd>
        <dt class="font-medium">{m.common.status}</dt>
        <dd>
          <Badge value={o.status} label={m.orderStatus[o.status]} />
        </dd>
        <dt class="font-medium">{t.orderedOn}</dt>
        <dd>{o.orderedOn}</dd>
        <dt class="font-medium">{t.deliverTo}</dt>
        <dd>{o.deliverTo}</dd>
      </dl>
      <div class="flex flex-wrap gap-2 mb-4">
        {o.status === "draft" && <ActionButton csrf={data.csrf} action="send" label={t.send} />}
        {(o.status === "partially_received" || o.status === "received") && (
          <ActionButton csrf={data.csrf} action="close" label={t.close} />
        )}
        {billable && (
          <a class={buttonClass("secondary")} href={`/admin/purchase/bills/new?order=${o.id}`}>
            {t.enterBill}
          </a>
        )}
        {(o.status === "draft" || o.status === "sent") && (
          <ActionButton csrf={data.csrf} action="cancel" label={t.cancelOrder} danger />
        )}
      </div>
      <Table
        head={[
          "#",
          m.common.item,
          t.ordered,
          t.received,
          t.billed,
          m.common.price,
          m.common.net,
          m.common.vat,
          "",
        ]}
      >
        {o.lines.map((l) => (
          <tr data-line={l.itemCode}>
            <td class={td}>{l.lineNo}</td>
            <td class={td}>
              <span class="font-mono">{l.itemCode}</span> {l.itemName}
            </td>
            <td class={td}>{qty(m, l.qtyBase, l.unit)}</td>
            <td class={td} data-received>{qty(m, l.receivedBase, l.unit)}</td>
            <td class={td}>{qty(m, l.billedBase, l.unit)}</td>
            <td class={td}>{taka(l.unitPriceMinor, lang)} / {m.units[l.unit] ?? l.unit}</td>
            <td class={td}>{taka(l.netMinor, lang)}</td>
            <td class={td}>{taka(l.vatMinor, lang)}</td>
            <td class={td}>
              {o.status === "draft" && (
                <PostForm csrf={data.csrf}>
                  <input type="hidden" name="lineId" value={String(l.id)} />
                  <ActionSubmit action="removeLine" kind="small">{t.removeLine}</ActionSubmit>
                </PostForm>
              )}
            </td>
          </tr>
        ))}
        <TotalsRow label={m.common.total} span={6} lang={lang} of={o} />
      </Table>

      {o.status === "draft" && (
        <section class="max-w-3xl mb-8">
          <h2 class="text-lg font-semibold mb-2">{t.addLine}</h2>
          <ActionForm csrf={data.csrf} action="addLine">
            <div class="grid sm:grid-cols-5 gap-x-2">
              <ItemQtyUnit m={m} {...form} />
              <TextField id="unitPriceMinor" label={m.common.price} {...form} />
              <TextField id="vatRateBp" label={m.common.vatRate} {...form} />
            </div>
            <p class="text-xs text-gray-600 mb-2">{t.priceHint}</p>
            <button type="submit" class={buttonClass()}>{m.common.add}</button>
          </ActionForm>
        </section>
      )}

      {receiving && (
        <section class="mb-8" id="receive">
          <h2 class="text-lg font-semibold mb-2">{t.receive}</h2>
          <p class="text-sm text-gray-700 mb-2">{m.receipts.qcNote}</p>
          <ActionForm csrf={data.csrf} action="receive">
            <div class="grid sm:grid-cols-3 gap-x-4 max-w-3xl">
              <TextField id="receivedOn" label={m.receipts.receivedOn} {...form} />
              <SelectField
                id="locationCode"
                label={m.common.location}
                options={data.locations.map((l) => [
                  l.code,
                  lang === "bn" ? l.nameBn : l.nameEn,
                ])}
                {...form}
              />
              <TextField id="note" label={m.common.note} {...form} />
            </div>
            <Table
              head={[
                m.common.item,
                m.receipts.due,
                m.common.qty,
                m.receipts.supplierLot,
                m.receipts.producedOn,
                m.receipts.expiresOn,
              ]}
            >
              {o.lines.map((l, i) => {
                const due = Math.max(0, l.qtyBase - l.receivedBase);
                const cell = (
                  field: string,
                  label: string,
                  width: string,
                  placeholder?: string,
                ) => (
                  <td class={td}>
                    <CellInput
                      name={`lines.${i}.${field}`}
                      values={data.values}
                      label={label}
                      width={width}
                      invalid={!!data.errors[`lines.${i}.${field}`]}
                      placeholder={placeholder}
                    />
                  </td>
                );
                return (
                  <tr>
                    <td class={td}>
                      <input type="hidden" name={`lines.${i}.orderLineId`} value={String(l.id)} />
                      {l.itemName}
                    </td>
                    <td class={td}>{qty(m, due, l.unit)}</td>
                    {cell(
                      "qty",
                      `${m.common.qty}: ${l.itemName} (${m.units[l.unit] ?? l.unit})`,
                      "w-24",
                      fromBase(due, l.unit),
                    )}
                    {cell("supplierLot", m.receipts.supplierLot, "w-28")}
                    {cell("producedOn", m.receipts.producedOn, "w-32", "YYYY-MM-DD")}
                    {cell("expiresOn", m.receipts.expiresOn, "w-32", "YYYY-MM-DD")}
                  </tr>
                );
              })}
            </Table>
            <button type="submit" class={buttonClass()}>{t.receive}</button>
          </ActionForm>
        </section>
      )}

      {data.receipts.length > 0 && (
        <section class="mb-6">
          <h2 class="text-lg font-semibold mb-2">{m.receipts.title}</h2>
          <Table
            head={[
              m.receipts.number,
              m.receipts.receivedOn,
              m.common.item,
              m.common.qty,
              m.receipts.lot,
            ]}
          >
            {data.receipts.flatMap((r) =>
              r.lines.map((l) => (
                <tr>
                  <td class={td}>{r.number}</td>
                  <td class={td}>{r.receivedOn}</td>
                  <td class={td}>{l.itemName}</td>
                  <td class={td}>{qty(m, l.qtyBase, l.unit)}</td>
                  <LotCell m={m} code={l.lotCode} status={l.lotStatus} />
                </tr>
              ))
            )}
          </Table>
        </section>
      )}
      {data.bills.length > 0 && (
        <section>
          <h2 class="text-lg font-semibold mb-2">{m.bills.title}</h2>
          <Table head={[m.bills.billNumber, m.bills.billDate, m.bills.match, m.common.status]}>
            {data.bills.map((b) => (
              <tr>
                <td class={td}>
                  <a class={linkClass} href={`/admin/purchase/bills/${b.id}`}>{b.billNumber}</a>
                </td>
                <td class={td}>{b.billDate}</td>
                <td class={td}>
                  <Badge value={b.matchStatus} label={m.match[b.matchStatus]} />
                </td>
                <td class={td}>{m.billStatus[b.status]}</td>
              </tr>
            ))}
          </Table>
        </section>
      )}
    </>
  );
}
