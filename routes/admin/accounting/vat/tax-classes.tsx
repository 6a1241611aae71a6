import type { Context, PageProps } from "@/framework/mod.ts";
import { PageTitle } from "@/components/IotUi.tsx";
import { buttonClass, Field, inputClass, PostForm, selectClass } from "@/components/ui.tsx";
import { financeTables, TAX_KINDS, type TaxClass } from "@/services/accounting/mod.ts";
import type { State } from "@/state.ts";
import { actorOf, blankForm, type Errors, formValues, seeOther } from "../(_accounting)/lib.ts";
import {
  exportableGet,
  ExportLinks,
  financeErrors,
  fm,
  FormErrors,
  type Links,
  links,
  requireAccountant,
  VatTabs,
} from "../(_accounting)/finance.tsx";
import { AccountingTabs, Done, Table, td } from "../(_accounting)/ui.tsx";
import { fieldsOf } from "@/routes/(_lib)/form.ts";

interface Data {
  csrf: string;
  classes: TaxClass[];
  values: Record<string, string>;
  errors: Errors;
  /** Which form the values and errors belong to ("rate:<code>" or "class"). */
  form: string;
  done: boolean;
  links: Links;
}

async function pageData(ctx: Context<State>, extra: Partial<Data> = {}): Promise<Data> {
  ctx.state.title = fm(ctx.state.lang).vat.taxClasses.title;
  return {
    ...await blankForm(ctx),
    classes: await ctx.state.deps.accounting.listTaxClasses(),
    form: "",
    done: ctx.url.searchParams.has("saved"),
    links: links(ctx),
    ...extra,
  };
}

export const handler = {
  GET: exportableGet(pageData, (data, lang) => financeTables.taxClassTable(data.classes, lang)),
  POST: async (ctx: Context<State>) => {
    requireAccountant(ctx);
    const v = formValues(ctx);
    const accounting = ctx.state.deps.accounting;
    const form = v.action === "class" ? "class" : `rate:${v.classCode ?? ""}`;
    try {
      if (v.action === "class") {
        await accounting.createTaxClass({
          code: v.code ?? "",
          nameEn: v.nameEn ?? "",
          nameBn: v.nameBn ?? "",
          kind: (v.kind ?? "") as never,
          ...fieldsOf(v, ["effectiveFrom", "vatRate", "sdRate", "note"]),
        }, actorOf(ctx));
      } else {
        await accounting.addTaxRate(v.classCode ?? "", {
          ...fieldsOf(v, ["effectiveFrom", "vatRate", "sdRate", "note"]),
        }, actorOf(ctx));
      }
      return seeOther("/admin/accounting/vat/tax-classes?saved");
    } catch (e) {
      const errors = financeErrors(e, ctx.state.lang);
      return { status: 422, data: await pageData(ctx, { values: v, errors, form }) };
    }
  },
};

export default function TaxClassesPage({ data, state }: PageProps<Data, State>) {
  const lang = state.lang;
  const f = fm(lang);
  const m = f.vat.taxClasses;
  const pct = (bp: number) => `${bp / 100}%`;
  const vals = (form: string) => (data.form === form ? data.values : {});
  const errs = (form: string): Errors => (data.form === form ? data.errors : {});
  const rateFields = (form: string, id: string) => {
    const v = vals(form);
    const e = errs(form);
    const field = (name: string, label: string, type = "text") => (
      <Field id={`${id}-${name}`} label={label} error={e[name]}>
        <input
          id={`${id}-${name}`}
          name={name}
          type={type}
          value={v[name] ?? ""}
          maxLength={type === "text" ? 200 : undefined}
          aria-invalid={e[name] ? "true" : undefined}
          class={`${inputClass(!!e[name])} w-full`}
        />
      </Field>
    );
    return (
      <>
        {field("effectiveFrom", m.effectiveFrom, "date")}
        {field("vatRate", m.vatRate)}
        {field("sdRate", m.sdRate)}
        {field("note", m.note)}
      </>
    );
  };
  return (
    <>
      <PageTitle title={m.title} intro={m.intro} />
      <AccountingTabs m={state.t.accounting} current="vat" />
      <VatTabs lang={lang} current="taxClasses" />
      <Done text={data.done ? m.saved : null} />
      <FormErrors errors={data.errors} lang={lang} />
      <p class="mb-3">
        <ExportLinks lang={lang} {...data.links} />
      </p>
      <Table head={[m.code, m.name, m.kind, m.current, m.upcoming, m.history, m.addRate]}>
        {data.classes.map((c) => (
          <tr data-class={c.code}>
            <td class={td}>{c.code}</td>
            <td class={td}>{lang === "bn" ? c.nameBn : c.nameEn}</td>
            <td class={td}>{m.kinds[c.kind]}</td>
            <td class={td} data-current>
              {c.current
                ? `${pct(c.current.vatRateBp)}${
                  c.current.sdRateBp ? ` + SD ${pct(c.current.sdRateBp)}` : ""
                } (${c.current.effectiveFrom})`
                : m.none}
            </td>
            <td class={td}>
              {c.upcoming.map((r) => (
                <span class="block">{pct(r.vatRateBp)} ({r.effectiveFrom})</span>
              ))}
            </td>
            <td class={`${td} text-xs`}>
              {c.history.map((r) => (
                <span class="block">
                  {r.effectiveFrom}: {pct(r.vatRateBp)}
                  {r.sdRateBp ? ` + SD ${pct(r.sdRateBp)}` : ""} {r.note && `· ${r.note}`}
                </span>
              ))}
            </td>
            <td class={td}>
              <details open={data.form === `rate:${c.code}`}>
                <summary class="cursor-pointer">{m.addRate}</summary>
                <PostForm csrf={data.csrf} actionField="rate" class="mt-2 w-56">
                  <input type="hidden" name="classCode" value={c.code} />
                  {rateFields(`rate:${c.code}`, `rate-${c.code}`)}
                  <button type="submit" class={buttonClass("small")}>{m.addRate}</button>
                </PostForm>
              </details>
            </td>
          </tr>
        ))}
      </Table>
      <h2 class="text-lg font-semibold mb-2">{m.newClass}</h2>
      <PostForm csrf={data.csrf} actionField="class" class="grid sm:grid-cols-2 gap-x-4 max-w-3xl">
        {([["code", m.code], ["nameEn", m.nameEn], ["nameBn", m.nameBn]] as const).map((
          [name, label],
        ) => (
          <Field id={`class-${name}`} label={label} error={errs("class")[name]}>
            <input
              id={`class-${name}`}
              name={name}
              value={vals("class")[name] ?? ""}
              maxLength={80}
              class={`${inputClass(!!errs("class")[name])} w-full`}
            />
          </Field>
        ))}
        <Field id="class-kind" label={m.kind} error={errs("class").kind}>
          <select id="class-kind" name="kind" class={`${selectClass} w-full`}>
            {TAX_KINDS.map((k) => (
              <option value={k} selected={vals("class").kind === k}>{m.kinds[k]}</option>
            ))}
          </select>
        </Field>
        {rateFields("class", "class")}
        <div class="sm:col-span-2">
          <button type="submit" class={buttonClass()}>{m.create}</button>
        </div>
      </PostForm>
    </>
  );
}
