import type { Context, PageProps } from "@/framework/mod.ts";
import { HttpError } from "@/framework/mod.ts";
import { PageTitle, TextField } from "@/components/IotUi.tsx";
import { linkClass, PostForm } from "@/components/ui.tsx";
import { pathId } from "@/services/purchase/mod.ts";
import type { Bill } from "@/services/purchase/mod.ts";
import type { State } from "@/state.ts";
import { actorOf, type FormData, formPage, formValues, saveOr } from "../(_purchase)/lib.ts";
import {
  ActionSubmit,
  Badge,
  Errors as ErrorList,
  PurchaseTabs,
  qty,
  Table,
  taka,
  td,
  TotalsRow,
} from "../(_purchase)/ui.tsx";

interface Data extends FormData {
  bill: Bill;
}

async function pageData(ctx: Context<State>, extra: Partial<Data> = {}): Promise<Data> {
  const bill = await ctx.state.deps.purchase.getBill(pathId(ctx.params.id));
  if (!bill) throw new HttpError(404, "No such bill");
  ctx.state.title = bill.billNumber;
  return { csrf: await ctx.csrfToken(), bill, values: {}, errors: {}, ...extra };
}

export const handler = formPage<Data>(pageData, async (ctx) => {
  const id = pathId(ctx.params.id);
  const v = formValues(ctx);
  const purchase = ctx.state.deps.purchase;
  return await saveOr(ctx, async () => {
    if (v.action === "approve") {
      await purchase.approveBill(id, { reason: v.reason ?? "" }, actorOf(ctx));
    } else if (v.action === "cancel") await purchase.cancelBill(id, actorOf(ctx));
    else throw new HttpError(400, "Unknown action");
    return `/admin/purchase/bills/${id}`;
  }, (errors) => pageData(ctx, { values: v, errors }));
});

export default function BillPage({ data, state }: PageProps<Data, State>) {
  const m = state.t.purchase;
  const t = m.bills;
  const b = data.bill;
  const lang = state.lang;
  return (
    <>
      <PageTitle title={`${t.billNumber}: ${b.billNumber}`} intro={b.supplierName} />
      <PurchaseTabs m={m} current="bills" />
      <ErrorList errors={data.errors} m={m} />
      <dl class="grid grid-cols-2 sm:grid-cols-4 gap-2 mb-4 text-sm">
        <dt class="font-medium">{t.order}</dt>
        <dd>
          <a class={linkClass} href={`/admin/purchase/orders/${b.orderId}`}>{b.orderNumber}</a>
        </dd>
        <dt class="font-medium">{t.billDate}</dt>
        <dd>{b.billDate}</dd>
        <dt class="font-medium">{t.dueOn}</dt>
        <dd>{b.dueOn}</dd>
        <dt class="font-medium">{m.suppliers.bin}</dt>
        <dd class="font-mono">{b.supplierBin ?? m.suppliers.unregistered}</dd>
        <dt class="font-medium">{t.match}</dt>
        <dd>
          <Badge value={b.matchStatus} label={m.match[b.matchStatus]} />
        </dd>
        <dt class="font-medium">{m.common.status}</dt>
        <dd data-bill-status={b.status}>{m.billStatus[b.status]}</dd>
        {b.approvedByName && (
          <>
            <dt class="font-medium">{t.approvedBy}</dt>
            <dd>{b.approvedByName}{b.approvalReason ? ` — ${b.approvalReason}` : ""}</dd>
          </>
        )}
      </dl>
      <Table
        head={[
          m.common.item,
          m.orders.ordered,
          t.receivedUnbilled,
          m.orders.billed,
          t.poPrice,
          m.common.price,
          m.common.net,
          t.inputVat,
          t.match,
        ]}
      >
        {b.lines.map((l) => (
          <tr data-line={l.itemCode}>
            <td class={td}>{l.itemName}</td>
            <td class={td}>{qty(m, l.orderedBase, l.unit)}</td>
            <td class={td}>{qty(m, l.receivedBase, l.unit)}</td>
            <td class={td}>{qty(m, l.qtyBase, l.unit)}</td>
            <td class={td}>{taka(l.poPriceMinor, lang)}</td>
            <td class={td}>{taka(l.unitPriceMinor, lang)}</td>
            <td class={td}>{taka(l.netMinor, lang)}</td>
            <td class={td}>{taka(l.vatMinor, lang)}</td>
            <td class={td}>
              <Badge value={l.match} label={m.match[l.match]} />
            </td>
          </tr>
        ))}
        <TotalsRow label={m.common.total} span={6} lang={lang} of={b} />
      </Table>
      {b.status === "entered" && (
        <section class="max-w-xl">
          <PostForm csrf={data.csrf} novalidate>
            {b.matchStatus !== "matched" && (
              <TextField
                id="reason"
                label={t.reason}
                maxLength={500}
                values={data.values}
                errors={data.errors}
              />
            )}
            <div class="flex gap-2">
              <ActionSubmit action="approve">{t.approve}</ActionSubmit>
              <ActionSubmit action="cancel" kind="danger">{t.cancelBill}</ActionSubmit>
            </div>
          </PostForm>
        </section>
      )}
    </>
  );
}
