import type { Handlers, PageProps } from "@/framework/mod.ts";
import { PageTitle } from "@/components/IotUi.tsx";
import { FilterForm, FilterSelect } from "@/components/AdminFilters.tsx";
import { linkClass } from "@/components/ui.tsx";
import type { Bill } from "@/services/purchase/mod.ts";
import type { State } from "@/state.ts";
import { Badge, PurchaseTabs, Table, taka, td } from "../(_purchase)/ui.tsx";

interface Data {
  bills: Bill[];
  status: string;
  match: string;
}

const STATUSES = ["entered", "approved", "cancelled"];
const MATCHES = ["matched", "mismatch"];

/** Supplier bills with their three-way match and input VAT; filter by status and match. */
export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    const q = ctx.url.searchParams;
    const status = STATUSES.includes(q.get("status") ?? "") ? q.get("status")! : "";
    const match = MATCHES.includes(q.get("match") ?? "") ? q.get("match")! : "";
    ctx.state.title = ctx.state.t.purchase.bills.title;
    const bills = await ctx.state.deps.purchase.listBills({
      status: status || undefined,
      match: match || undefined,
    });
    return { data: { bills, status, match } };
  },
};

export default function Bills({ data, state }: PageProps<Data, State>) {
  const m = state.t.purchase;
  const t = m.bills;
  const lang = state.lang;
  return (
    <>
      <PageTitle title={t.title} />
      <PurchaseTabs m={m} current="bills" />
      <FilterForm action="/admin/purchase/bills" submit={m.common.filter}>
        <FilterSelect
          name="status"
          label={m.common.status}
          value={data.status}
          options={[["", m.common.all], ...STATUSES.map((s) => [s, m.billStatus[s]])] as [
            string,
            string,
          ][]}
        />
        <FilterSelect
          name="match"
          label={t.match}
          value={data.match}
          options={[["", m.common.all], ...MATCHES.map((s) => [s, m.match[s]])] as [
            string,
            string,
          ][]}
        />
      </FilterForm>
      {data.bills.length === 0 ? <p>{m.common.none}</p> : (
        <Table
          head={[
            t.billNumber,
            m.common.supplier,
            t.order,
            t.billDate,
            t.match,
            m.common.status,
            m.common.net,
            t.inputVat,
            m.common.total,
          ]}
        >
          {data.bills.map((b) => (
            <tr data-bill={b.billNumber}>
              <td class={td}>
                <a class={linkClass} href={`/admin/purchase/bills/${b.id}`}>{b.billNumber}</a>
              </td>
              <td class={td}>{b.supplierName}</td>
              <td class={td}>{b.orderNumber}</td>
              <td class={td}>{b.billDate}</td>
              <td class={td}>
                <Badge value={b.matchStatus} label={m.match[b.matchStatus]} />
              </td>
              <td class={td}>{m.billStatus[b.status]}</td>
              <td class={td}>{taka(b.netMinor, lang)}</td>
              <td class={td}>{taka(b.vatMinor, lang)}</td>
              <td class={td}>{taka(b.totalMinor, lang)}</td>
            </tr>
          ))}
        </Table>
      )}
    </>
  );
}
