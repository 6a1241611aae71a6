import type { Handlers, PageProps } from "@/framework/mod.ts";
import { PageTitle } from "@/components/IotUi.tsx";
import { linkClass } from "@/components/ui.tsx";
import type { Receipt } from "@/services/purchase/mod.ts";
import type { State } from "@/state.ts";
import { LotCell, PurchaseTabs, qty, Table, td } from "./(_purchase)/ui.tsx";

/** The latest goods received, each line with the lot it became. */
export const handler: Handlers<Receipt[], State> = {
  async GET(ctx) {
    ctx.state.title = ctx.state.t.purchase.receipts.title;
    return { data: await ctx.state.deps.purchase.listReceipts({ limit: 100 }) };
  },
};

export default function Receipts({ data, state }: PageProps<Receipt[], State>) {
  const m = state.t.purchase;
  const t = m.receipts;
  return (
    <>
      <PageTitle title={t.title} intro={t.qcNote} />
      <PurchaseTabs m={m} current="receipts" />
      {data.length === 0 ? <p>{m.common.none}</p> : (
        <Table
          head={[
            t.number,
            t.receivedOn,
            m.orders.number,
            m.common.supplier,
            m.common.item,
            m.common.qty,
            t.lot,
            t.supplierLot,
            t.expiresOn,
          ]}
        >
          {data.flatMap((r) =>
            r.lines.map((l) => (
              <tr data-receipt={r.number}>
                <td class={td}>{r.number}</td>
                <td class={td}>{r.receivedOn}</td>
                <td class={td}>
                  <a class={linkClass} href={`/admin/purchase/orders/${r.orderId}`}>
                    {r.orderNumber}
                  </a>
                </td>
                <td class={td}>{r.supplierName}</td>
                <td class={td}>{l.itemName}</td>
                <td class={td}>{qty(m, l.qtyBase, l.unit)}</td>
                <LotCell m={m} code={l.lotCode} status={l.lotStatus} />
                <td class={td}>{l.supplierLot ?? ""}</td>
                <td class={td}>{l.expiresOn ?? ""}</td>
              </tr>
            ))
          )}
        </Table>
      )}
    </>
  );
}
