import type { Context, PageProps } from "@/framework/mod.ts";
import { PageTitle } from "@/components/IotUi.tsx";
import { buttonClass, linkClass } from "@/components/ui.tsx";
import { financeTables, type VatReturn, vatReturns } from "@/services/accounting/mod.ts";
import { fillParams } from "@/services/i18n/mod.ts";
import type { State } from "@/state.ts";
import {
  ExportLinks,
  fm,
  type Links,
  links,
  maybeExport,
  queriedVatReturn,
  QueryField,
  VatTabs,
} from "../(_accounting)/finance.tsx";
import { AccountingTabs, num, Table, taka, td } from "../(_accounting)/ui.tsx";

interface Data {
  r: VatReturn;
  links: Links;
}

export const handler = {
  GET: async (ctx: Context<State>) => {
    const r = await queriedVatReturn(ctx);
    const file = await maybeExport(ctx, () => financeTables.returnTable(r, ctx.state.lang));
    if (file) return file;
    ctx.state.title = fm(ctx.state.lang).vat.return.title;
    return { data: { r, links: links(ctx) } satisfies Data };
  },
};

const PARTS = [
  ["output", [...vatReturns.NOTES.output, vatReturns.NOTES.outputTotal]],
  ["input", [...vatReturns.NOTES.input, vatReturns.NOTES.inputTotal]],
  ["increasing", [...vatReturns.NOTES.increasing, vatReturns.NOTES.increasingTotal]],
  ["decreasing", [...vatReturns.NOTES.decreasing, vatReturns.NOTES.decreasingTotal]],
  ["net", [vatReturns.NOTES.netVat, vatReturns.NOTES.netSd]],
  ["deposits", [...vatReturns.NOTES.deposits]],
] as const;

const TOTALS = new Set([9, 23, 28, 33, 34, 36]);

export default function VatReturnPage({ data, state }: PageProps<Data, State>) {
  const lang = state.lang;
  const m = fm(lang).vat;
  const { r } = data;
  const link = (note: number) => `/admin/accounting/vat/note?month=${r.month}&note=${note}`;
  return (
    <>
      <PageTitle title={m.return.title} intro={m.return.intro} />
      <AccountingTabs m={state.t.accounting} current="vat" />
      <VatTabs lang={lang} current="return" />
      <form method="get" class="flex flex-wrap items-end gap-3 mb-4">
        <QueryField name="month" label={fm(lang).common.month} value={r.month} type="month" />
        <button type="submit" class={buttonClass("secondary")}>{fm(lang).common.show}</button>
        <ExportLinks lang={lang} {...data.links} />
      </form>
      <p class="mb-3 text-sm">
        {r.from} – {r.to} · {fillParams(m.return.dueOn, { date: r.dueOn })}
      </p>
      <p
        role="status"
        data-net-payable={String(r.netPayableMinor)}
        class="mb-4 text-lg font-semibold"
      >
        {m.return.netPayable}: {taka(r.netPayableMinor, lang)}
        {r.netPayableMinor < 0 && <span class="block text-sm font-normal">{m.return.carried}</span>}
      </p>
      {PARTS.map(([part, notes]) => (
        <section aria-labelledby={`part-${part}`}>
          <h2 id={`part-${part}`} class="text-lg font-semibold mb-2">{m.return.parts[part]}</h2>
          <Table
            head={[m.return.note, m.return.nature, m.return.value, m.return.sd, m.return.vat]}
          >
            {notes.map((n) => {
              const f = r.figures[n];
              return (
                <tr data-note={String(n)} class={TOTALS.has(n) ? "font-semibold" : ""}>
                  <td class={td}>{n}</td>
                  <td class={td}>{m.notes[n]}</td>
                  <td class={num}>
                    {part === "net" || part === "deposits" ? "" : taka(f.valueMinor, lang)}
                  </td>
                  <td class={num}>
                    {part === "net" || part === "deposits" ? "" : taka(f.sdMinor, lang)}
                  </td>
                  <td class={num}>
                    <a class={linkClass} href={link(n)} data-drill={String(n)}>
                      {taka(f.vatMinor, lang)}
                    </a>
                  </td>
                </tr>
              );
            })}
          </Table>
        </section>
      ))}
    </>
  );
}
