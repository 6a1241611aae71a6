import type { Context, PageProps } from "@/framework/mod.ts";
import { PageTitle } from "@/components/IotUi.tsx";
import { buttonClass, linkClass, selectClass } from "@/components/ui.tsx";
import { cleanQuery, type SalesDocumentRecord } from "@/services/accounting/mod.ts";
import type { State } from "@/state.ts";
import { queryDate } from "../(_accounting)/lib.ts";
import { AccountingTabs, num, Table, taka, td } from "../(_accounting)/ui.tsx";
import { arap } from "../(_accounting)/arap.tsx";
import { DateField, QueryField } from "../(_accounting)/finance.tsx";

interface Data {
  rows: SalesDocumentRecord[];
  total: number;
  q: string;
  kind: "" | "invoice" | "credit_note";
  from: string;
  to: string;
}

export const handler = {
  GET: async (ctx: Context<State>) => {
    const p = ctx.url.searchParams;
    const q = cleanQuery(p.get("q"));
    const k = p.get("kind");
    const kind = k === "invoice" || k === "credit_note" ? k : "";
    const from = queryDate(ctx, "from", "");
    const to = queryDate(ctx, "to", "");
    const list = await ctx.state.deps.accounting.listDocuments({ q, kind, from, to, limit: 100 });
    ctx.state.title = arap(ctx.state.lang).invoices;
    return { data: { ...list, q, kind, from, to } satisfies Data };
  },
};

export default function Invoices({ data, state }: PageProps<Data, State>) {
  const m = state.t.accounting;
  const t = arap(state.lang);
  const lang = state.lang;
  return (
    <>
      <PageTitle title={t.invoices} />
      <AccountingTabs m={m} current="invoices" />
      <form method="get" class="flex flex-wrap items-end gap-3 mb-4" role="search">
        <QueryField name="q" label={t.search} value={data.q} maxLength={100} />
        <label class="text-sm">
          {t.kind}
          <select name="kind" class={`${selectClass} block`}>
            <option value="">{t.all}</option>
            <option value="invoice" selected={data.kind === "invoice"}>{t.kinds.invoice}</option>
            <option value="credit_note" selected={data.kind === "credit_note"}>
              {t.kinds.credit_note}
            </option>
          </select>
        </label>
        <DateField name="from" label={t.from} value={data.from} />
        <DateField name="to" label={t.to} value={data.to} />
        <button type="submit" class={buttonClass("secondary")}>{t.show}</button>
      </form>
      {data.rows.length === 0
        ? <p>{t.none}</p>
        : (
          <Table head={[t.number, t.kind, t.issued, t.buyer, t.order, t.vat, t.total, t.dueDate]}>
            {data.rows.map((d) => (
              <tr data-number={d.number} data-kind={d.kind}>
                <td class={td}>
                  <a class={linkClass} href={`/admin/accounting/invoices/${d.number}`}>
                    {d.number}
                  </a>
                </td>
                <td class={td}>{t.kinds[d.kind]}</td>
                <td class={td}>{d.issueDate}</td>
                <td class={td}>{d.buyer.name.en}</td>
                <td class={td}>{d.orderNumber ?? ""}</td>
                <td class={num}>{taka(d.vatMinor, lang)}</td>
                <td class={num}>{taka(d.totalMinor, lang)}</td>
                <td class={td}>{d.dueDate ?? ""}</td>
              </tr>
            ))}
          </Table>
        )}
    </>
  );
}
