import type { Context, PageProps } from "@/framework/mod.ts";
import { HttpError } from "@/framework/mod.ts";
import { buttonClass, inputClass, linkClass } from "@/components/ui.tsx";
import {
  type SalesDocument,
  type SalesDocumentRecord,
  SalesDocumentView,
} from "@/services/accounting/mod.ts";
import type { State } from "@/state.ts";
import { actorOf, type FormData, formValues, seeOther } from "../(_accounting)/lib.ts";
import { AccountingTabs, Done, Errors } from "../(_accounting)/ui.tsx";
import { arap, arapErrors } from "../(_accounting)/arap.tsx";

interface Data extends FormData {
  record: SalesDocumentRecord;
  doc: SalesDocument;
  lang: "en" | "bn";
  done: string | null;
}

const NUMBER = /^[A-Z0-9]{2,8}-(?:CN-)?\d{4}-\d{6,9}$/;

async function load(ctx: Context<State>): Promise<SalesDocumentRecord> {
  const number = ctx.params.number ?? "";
  if (!NUMBER.test(number)) throw new HttpError(404, "No such document");
  const record = await ctx.state.deps.accounting.getDocument(number);
  if (!record) throw new HttpError(404, "No such document");
  return record;
}

async function pageData(
  ctx: Context<State>,
  record: SalesDocumentRecord,
  extra: Partial<Data> = {},
): Promise<Data> {
  const l = ctx.url.searchParams.get("lang");
  const lang = l === "bn" || l === "en" ? l : record.lang;
  const doc = ctx.state.deps.accounting.documentOf(record, lang);
  ctx.state.title = `${doc.formCode} ${record.number}`;
  const cn = ctx.url.searchParams.get("credited");
  return {
    record,
    doc,
    lang,
    done: cn && NUMBER.test(cn) ? arap(ctx.state.lang).creditIssued(cn) : null,
    csrf: await ctx.csrfToken(),
    values: {},
    errors: {},
    ...extra,
  };
}

export const handler = {
  GET: async (ctx: Context<State>) => {
    const record = await load(ctx);
    const acc = ctx.state.deps.accounting;
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
    return { data: await pageData(ctx, record) };
  },
  /** A credit note (Mushak 6.7) against this invoice: quantities per line and the reason. */
  POST: async (ctx: Context<State>) => {
    const record = await load(ctx);
    const v = formValues(ctx);
    if (record.kind !== "invoice") throw new HttpError(400, "Credit notes are issued on invoices");
    const quantities: Record<number, string> = {};
    record.lines.forEach((_l, i) => {
      const q = (v[`qty.${i}`] ?? "").trim();
      if (q) quantities[i] = q.slice(0, 20);
    });
    try {
      const cn = await ctx.state.deps.accounting.issueCreditNote(
        { invoiceNumber: record.number, reason: { en: (v.reason ?? "").trim() }, quantities },
        actorOf(ctx),
      );
      return seeOther(`/admin/accounting/invoices/${record.number}?credited=${cn.number}`);
    } catch (e) {
      const errors = arapErrors(e, ctx.state.lang);
      return { status: 422, data: await pageData(ctx, record, { values: v, errors }) };
    }
  },
};

export default function DocumentPage({ data, state }: PageProps<Data, State>) {
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
        <Done text={data.done} />
        <Errors errors={data.errors} m={state.t.accounting} />
      </div>
      <SalesDocumentView doc={doc} />
      {record.kind === "invoice" && record.source === "acc.on_account" && (
        <form method="post" class="print:hidden grid gap-3 max-w-2xl mt-6">
          <h2 class="text-lg font-semibold">{t.issueCredit}</h2>
          <p class="text-sm">{t.issueCreditHint}</p>
          <input type="hidden" name="_csrf" value={data.csrf} />
          {record.lines.map((l, i) => (
            <label class="text-sm">
              {state.lang === "bn" ? (l.description.bn ?? l.description.en) : l.description.en} (≤
              {" "}
              {String(l.quantity)})
              <input
                name={`qty.${i}`}
                inputMode="decimal"
                maxLength={20}
                value={data.values[`qty.${i}`] ?? ""}
                class={`${inputClass(!!data.errors[`quantity.${i}`])} block w-32`}
              />
            </label>
          ))}
          <label class="text-sm">
            {t.reason}
            <input
              name="reason"
              required
              maxLength={300}
              value={data.values.reason ?? ""}
              class={`${inputClass(!!data.errors.reason)} block w-full`}
            />
          </label>
          <div>
            <button type="submit" class={buttonClass()}>{t.issueCredit}</button>
          </div>
        </form>
      )}
    </>
  );
}
