import type { Context, PageProps } from "@/framework/mod.ts";
import { HttpError } from "@/framework/mod.ts";
import { linkClass } from "@/components/ui.tsx";
import {
  type SalesDocument,
  type SalesDocumentRecord,
  SalesDocumentView,
} from "@/services/accounting/mod.ts";
import type { State } from "@/state.ts";
import { AccountingTabs } from "../(_accounting)/ui.tsx";
import { arap } from "../(_accounting)/arap.tsx";

interface Data {
  record: SalesDocumentRecord;
  doc: SalesDocument;
  lang: "en" | "bn";
}

const NUMBER = /^[A-Z0-9]{2,8}-(?:CN-)?\d{4}-\d{6,9}$/;

export const handler = {
  GET: async (ctx: Context<State>) => {
    const number = ctx.params.number ?? "";
    if (!NUMBER.test(number)) throw new HttpError(404, "No such document");
    const acc = ctx.state.deps.accounting;
    const record = await acc.getDocument(number);
    if (!record) throw new HttpError(404, "No such document");
    const l = ctx.url.searchParams.get("lang");
    const lang = l === "bn" || l === "en" ? l : record.lang;
    if (ctx.url.searchParams.get("format") === "pdf") {
      const pdf = await acc.documentPdf(record, lang);
      return new Response(pdf as BodyInit, {
        headers: {
          "content-type": "application/pdf",
          "content-disposition": `attachment; filename="${record.number}.pdf"`,
        },
      });
    }
    const doc = acc.documentOf(record, lang);
    ctx.state.title = `${doc.formCode} ${record.number}`;
    return { data: { record, doc, lang } satisfies Data };
  },
};

export default function DocumentPage({ data, state, nonce }: PageProps<Data, State>) {
  const t = arap(state.lang);
  const { record, doc } = data;
  const base = `/admin/accounting/invoices/${record.number}`;
  const other = data.lang === "bn" ? "en" : "bn";
  return (
    <>
      <div class="print:hidden">
        <AccountingTabs m={state.t.accounting} current="invoices" />
        <p class="flex flex-wrap gap-4 mb-4 text-sm">
          <a class={linkClass} href={`${base}?format=pdf&lang=${data.lang}`} download>{t.pdf}</a>
          <a class={linkClass} href={`${base}?lang=${other}`} hreflang={other}>
            {other === "bn" ? arap("en").otherLang : arap("bn").otherLang}
          </a>
          {record.originalNumber && (
            <span>
              {t.original}:{" "}
              <a class={linkClass} href={`/admin/accounting/invoices/${record.originalNumber}`}>
                {record.originalNumber}
              </a>
            </span>
          )}
          {record.creditNotes.length > 0 && (
            <span>
              {t.creditNotes}:{" "}
              {record.creditNotes.map((n) => (
                <a class={`${linkClass} mr-2`} href={`/admin/accounting/invoices/${n}`}>{n}</a>
              ))}
            </span>
          )}
        </p>
      </div>
      <SalesDocumentView doc={doc} nonce={nonce} />
    </>
  );
}
