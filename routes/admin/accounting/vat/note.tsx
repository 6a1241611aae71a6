import type { Context, PageProps } from "@/framework/mod.ts";
import { HttpError } from "@/framework/mod.ts";
import { PageTitle } from "@/components/IotUi.tsx";
import { linkClass } from "@/components/ui.tsx";
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
  VatTabs,
} from "../(_accounting)/finance.tsx";
import { AccountingTabs, EntryLink, num, Table, taka, td } from "../(_accounting)/ui.tsx";

interface Data {
  r: VatReturn;
  note: number;
  links: Links;
}

export const handler = {
  GET: async (ctx: Context<State>) => {
    const r = await queriedVatReturn(ctx);
    const note = Number(ctx.url.searchParams.get("note"));
    if (!vatReturns.ALL_NOTES.includes(note)) throw new HttpError(404, "No such note");
    const file = await maybeExport(ctx, () => financeTables.noteTable(r, note, ctx.state.lang));
    if (file) return file;
    ctx.state.title = fillParams(fm(ctx.state.lang).vat.noteDocs.title, { note, month: r.month });
    return { data: { r, note, links: links(ctx) } satisfies Data };
  },
};

export default function VatNotePage({ data, state }: PageProps<Data, State>) {
  const lang = state.lang;
  const f = fm(lang);
  const m = f.vat;
  const { r, note } = data;
  const docs = vatReturns.noteDocuments(r, note);
  const total = docs.reduce((s, d) => s + d.vatMinor, 0);
  return (
    <>
      <PageTitle
        title={fillParams(m.noteDocs.title, { note, month: r.month })}
        intro={m.notes[note]}
      />
      <AccountingTabs m={state.t.accounting} current="vat" />
      <VatTabs lang={lang} current="return" />
      <p class="mb-3 flex flex-wrap gap-4">
        <a class={linkClass} href={`/admin/accounting/vat/return?month=${r.month}`}>
          {m.noteDocs.back}
        </a>
        <ExportLinks lang={lang} {...data.links} />
      </p>
      <p class="mb-3 font-semibold" data-note-total={String(total)}>
        {m.return.vat}: {taka(total, lang)}
      </p>
      {docs.length === 0 ? <p>{f.common.empty}</p> : (
        <Table
          head={[
            m.register.date,
            f.common.entry,
            m.register.kind,
            m.noteDocs.document,
            m.noteDocs.party,
            m.register.value,
            m.register.vat,
          ]}
        >
          {docs.map((d) => (
            <tr data-entry={String(d.doc.entryId)}>
              <td class={td}>{d.doc.date}</td>
              <td class={td}>
                <EntryLink id={d.doc.entryId}>{d.doc.entryId}</EntryLink>
              </td>
              <td class={td}>{m.register.kinds[d.doc.kind] ?? d.doc.memo}</td>
              <td class={td}>
                {d.doc.docLink
                  ? <a class={linkClass} href={d.doc.docLink}>{d.doc.docNo}</a>
                  : d.doc.docNo}
              </td>
              <td class={td}>
                {financeTables.partyName(d.doc, lang)}
                {d.doc.partyBin && <span class="block text-xs">{d.doc.partyBin}</span>}
              </td>
              <td class={num}>{taka(d.valueMinor, lang)}</td>
              <td class={num}>{taka(d.vatMinor, lang)}</td>
            </tr>
          ))}
          <tr class="font-semibold" data-totals>
            <td class={td} colSpan={6}>{f.common.total}</td>
            <td class={num}>{taka(total, lang)}</td>
          </tr>
        </Table>
      )}
    </>
  );
}
