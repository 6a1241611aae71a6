/** The sales (6.2) and purchase (6.1) registers: one page shape, two sources. */
import type { Context } from "@/framework/mod.ts";
import { PageTitle } from "@/components/IotUi.tsx";
import { buttonClass, linkClass } from "@/components/ui.tsx";
import { financeTables, type Register } from "@/services/accounting/mod.ts";
import type { Lang } from "@/services/i18n/mod.ts";
import type { State } from "@/state.ts";
import {
  DateField,
  ExportLinks,
  fm,
  type Links,
  links,
  maybeExport,
  queryRange,
  requireAccountant,
  VatTabs,
} from "./finance.tsx";
import { AccountingTabs, EntryLink, num, Table, taka, td } from "./ui.tsx";
import type { AccountingMessages } from "@/services/accounting/mod.ts";

export interface RegisterData {
  reg: Register;
  kind: "sales" | "purchases";
  links: Links;
}

export async function registerHandler(ctx: Context<State>, kind: "sales" | "purchases") {
  requireAccountant(ctx);
  const accounting = ctx.state.deps.accounting;
  const today = accounting.today();
  const range = queryRange(ctx, { from: `${today.slice(0, 7)}-01`, to: today });
  const reg = kind === "sales"
    ? await accounting.salesRegister(range.from, range.to)
    : await accounting.purchaseRegister(range.from, range.to);
  const file = await maybeExport(
    ctx,
    () => financeTables.registerTable(reg, kind, ctx.state.lang),
  );
  if (file) return file;
  const m = fm(ctx.state.lang).vat.register;
  ctx.state.title = kind === "sales" ? m.salesTitle : m.purchasesTitle;
  return { data: { reg, kind, links: links(ctx) } satisfies RegisterData };
}

export function RegisterPage(
  props: { data: RegisterData; lang: Lang; accounting: AccountingMessages },
) {
  const { reg, kind } = props.data;
  const sales = kind === "sales";
  const lang = props.lang;
  const f = fm(lang);
  const m = f.vat.register;
  return (
    <>
      <PageTitle
        title={kind === "sales" ? m.salesTitle : m.purchasesTitle}
        intro={kind === "sales" ? m.salesIntro : m.purchasesIntro}
      />
      <AccountingTabs m={props.accounting} current="vat" />
      <VatTabs lang={lang} current={kind} />
      <form method="get" class="flex flex-wrap items-end gap-3 mb-4">
        <DateField name="from" label={f.common.from} value={reg.from} />
        <DateField name="to" label={f.common.to} value={reg.to} />
        <button type="submit" class={buttonClass("secondary")}>{f.common.show}</button>
        <ExportLinks lang={lang} {...props.data.links} />
      </form>
      {reg.rows.length === 0 ? <p>{f.common.empty}</p> : (
        <Table
          head={[
            m.date,
            m.docNo,
            ...(sales ? [m.invoiceNo] : []),
            m.kind,
            m.party,
            m.bin,
            m.rate,
            m.value,
            m.sd,
            m.vat,
            m.total,
            f.common.entry,
          ]}
        >
          {reg.rows.map((r) => (
            <tr data-doc={r.docNo} data-kind={r.kind} data-invoice={r.invoiceNo ?? undefined}>
              <td class={td}>{r.docDate}</td>
              <td class={td}>
                {r.docLink ? <a class={linkClass} href={r.docLink}>{r.docNo}</a> : r.docNo}
              </td>
              {sales && <td class={td}>{r.invoiceNo ?? ""}</td>}
              <td class={td}>{m.kinds[r.kind] ?? r.kind}</td>
              <td class={td}>
                {financeTables.partyName(r, lang)}
                {r.flags.includes("unregistered_supplier") && (
                  <span class="block text-xs text-red-800">{m.unregistered}</span>
                )}
              </td>
              <td class={td}>{r.partyBin ?? ""}</td>
              <td class={num}>{r.rateBp / 100}%</td>
              <td class={num}>{taka(r.valueMinor, lang)}</td>
              <td class={num}>{taka(r.sdMinor, lang)}</td>
              <td class={num}>{taka(r.vatMinor, lang)}</td>
              <td class={num}>{taka(r.totalMinor, lang)}</td>
              <td class={td}>
                <EntryLink id={r.entryId}>{r.entryId}</EntryLink>
              </td>
            </tr>
          ))}
          <tr class="font-semibold" data-totals>
            <td class={td} colSpan={sales ? 7 : 6}>{f.common.total}</td>
            <td class={num}>{taka(reg.totals.valueMinor, lang)}</td>
            <td class={num}>{taka(reg.totals.sdMinor, lang)}</td>
            <td class={num}>{taka(reg.totals.vatMinor, lang)}</td>
            <td class={num}>{taka(reg.totals.totalMinor, lang)}</td>
            <td class={td}></td>
          </tr>
        </Table>
      )}
    </>
  );
}
