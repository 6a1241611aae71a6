import type { Context, PageProps } from "@/framework/mod.ts";
import { PageTitle } from "@/components/IotUi.tsx";
import { buttonClass, Field, inputClass, PostForm, selectClass } from "@/components/ui.tsx";
import {
  type Account,
  AccountingError,
  financeTables,
  type Withholding,
} from "@/services/accounting/mod.ts";
import { fillParams } from "@/services/i18n/mod.ts";
import type { State } from "@/state.ts";
import { actorOf, blankForm, type Errors, formValues, seeOther } from "../(_accounting)/lib.ts";
import {
  DateField,
  exportableGet,
  ExportLinks,
  financeErrors,
  fm,
  FormErrors,
  type Links,
  links,
  queryRange,
  requireAccountant,
  VatTabs,
} from "../(_accounting)/finance.tsx";
import { AccountingTabs, Done, EntryLink, num, Table, taka, td } from "../(_accounting)/ui.tsx";
import { fieldsOf } from "@/routes/(_lib)/form.ts";

interface Data {
  csrf: string;
  range: { from: string; to: string };
  list: Withholding[];
  accounts: Account[];
  values: Record<string, string>;
  errors: Errors;
  done: string | null;
  today: string;
  links: Links;
}

async function pageData(ctx: Context<State>, extra: Partial<Data> = {}): Promise<Data> {
  const accounting = ctx.state.deps.accounting;
  const today = accounting.today();
  const range = queryRange(ctx, { from: `${today.slice(0, 7)}-01`, to: today });
  const m = fm(ctx.state.lang).vat.withholding;
  const q = ctx.url.searchParams;
  ctx.state.title = m.title;
  return {
    ...await blankForm(ctx),
    range,
    list: await accounting.listWithholdings(range.from, range.to),
    accounts: await accounting.receivableAccounts(),
    done: q.get("no") && q.get("entry")
      ? fillParams(m.recorded, { no: q.get("no")!.slice(0, 60), id: q.get("entry")!.slice(0, 20) })
      : null,
    today,
    links: links(ctx),
    ...extra,
  };
}

export const handler = {
  GET: exportableGet(
    pageData,
    (data, lang) => financeTables.withholdingTable(data.list, data.range, lang),
  ),
  POST: async (ctx: Context<State>) => {
    requireAccountant(ctx);
    const v = formValues(ctx);
    try {
      const r = await ctx.state.deps.accounting.recordWithholding({
        ...fieldsOf(v, [
          "certificateNo",
          "certificateDate",
          "customerName",
          "customerBin",
          "partnerRef",
          "invoiceNo",
          "invoiceDate",
          "amount",
          "receivableAccount",
        ]),
      }, actorOf(ctx));
      return seeOther(
        `/admin/accounting/vat/withholding?no=${
          encodeURIComponent(v.certificateNo ?? "")
        }&entry=${r.entryId}`,
      );
    } catch (e) {
      const errors = financeErrors(e, ctx.state.lang);
      const status = e instanceof AccountingError ? e.status : 422;
      return { status, data: await pageData(ctx, { values: v, errors }) };
    }
  },
};

export default function WithholdingPage({ data, state }: PageProps<Data, State>) {
  const lang = state.lang;
  const f = fm(lang);
  const m = f.vat.withholding;
  const v = data.values;
  const input = (name: string, label: string, type = "text", max = 60) => (
    <Field id={`wh-${name}`} label={label} error={data.errors[name]}>
      <input
        id={`wh-${name}`}
        name={name}
        type={type}
        value={v[name] ?? (type === "date" && name === "certificateDate" ? data.today : "")}
        maxLength={type === "date" ? undefined : max}
        aria-invalid={data.errors[name] ? "true" : undefined}
        aria-describedby={data.errors[name] ? `wh-${name}-error` : undefined}
        class={`${inputClass(!!data.errors[name])} w-full`}
      />
    </Field>
  );
  return (
    <>
      <PageTitle title={m.title} intro={m.intro} />
      <AccountingTabs m={state.t.accounting} current="vat" />
      <VatTabs lang={lang} current="withholding" />
      <Done text={data.done} />
      <FormErrors errors={data.errors} lang={lang} />
      <PostForm csrf={data.csrf} class="grid sm:grid-cols-2 gap-x-4 max-w-3xl mb-6">
        {input("certificateNo", m.certificateNo)}
        {input("certificateDate", m.certificateDate, "date")}
        {input("customerName", m.customerName, "text", 120)}
        {input("customerBin", m.customerBin, "text", 20)}
        {input("invoiceNo", m.invoiceNo)}
        {input("invoiceDate", m.invoiceDate, "date")}
        {input("amount", m.amount, "text", 20)}
        <Field id="wh-receivableAccount" label={m.receivable} error={data.errors.receivableAccount}>
          <select
            id="wh-receivableAccount"
            name="receivableAccount"
            class={`${selectClass} w-full`}
          >
            {data.accounts.map((a) => (
              <option
                value={a.code}
                selected={(v.receivableAccount ?? "1210") === a.code}
              >
                {a.code} {lang === "bn" ? a.nameBn : a.nameEn}
              </option>
            ))}
          </select>
        </Field>
        {input("partnerRef", m.partnerRef, "text", 80)}
        <div class="sm:col-span-2">
          <button type="submit" class={buttonClass()}>{m.record}</button>
        </div>
      </PostForm>
      <h2 class="text-lg font-semibold mb-2">{m.list}</h2>
      <form method="get" class="flex flex-wrap items-end gap-3 mb-4">
        <DateField name="from" label={f.common.from} value={data.range.from} />
        <DateField name="to" label={f.common.to} value={data.range.to} />
        <button type="submit" class={buttonClass("secondary")}>{f.common.show}</button>
        <ExportLinks lang={lang} {...data.links} />
      </form>
      {data.list.length === 0 ? <p>{f.common.empty}</p> : (
        <Table
          head={[
            m.certificateDate,
            m.certificateNo,
            m.customerName,
            m.invoiceNo,
            m.amount,
            f.common.entry,
          ]}
        >
          {data.list.map((w) => (
            <tr data-certificate={w.certificateNo}>
              <td class={td}>{w.certificateDate}</td>
              <td class={td}>{w.certificateNo}</td>
              <td class={td}>
                {w.customerName}
                {w.customerBin && <span class="block text-xs">{w.customerBin}</span>}
              </td>
              <td class={td}>{w.invoiceNo}</td>
              <td class={num}>{taka(w.amountWithheldMinor, lang)}</td>
              <td class={td}>
                <EntryLink id={w.entryId}>{w.entryId}</EntryLink>
              </td>
            </tr>
          ))}
        </Table>
      )}
    </>
  );
}
