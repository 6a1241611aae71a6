import type { Context, PageProps } from "@/framework/mod.ts";
import { PageTitle, SelectField, TextField } from "@/components/IotUi.tsx";
import { buttonClass, inputClass, PostForm, selectClass } from "@/components/ui.tsx";
import { type Account, formToken, type Journal, takaToPoisha } from "@/services/accounting/mod.ts";
import type { State } from "@/state.ts";
import {
  actorOf,
  blankForm,
  type FormData,
  formLines,
  formPage,
  saveOr,
} from "../(_accounting)/lib.ts";
import { AccountingTabs, Errors, num, Table, taka, td } from "../(_accounting)/ui.tsx";

const ROWS = 8;
const KEYS = ["account", "debit", "credit", "memo", "partner"] as const;

interface Data extends FormData {
  accounts: Account[];
  journals: Journal[];
  rows: number;
}

async function pageData(ctx: Context<State>, extra: Partial<Data> = {}): Promise<Data> {
  const accounting = ctx.state.deps.accounting;
  const [accounts, journals] = await Promise.all([
    accounting.listAccounts(),
    accounting.listJournals(),
  ]);
  ctx.state.title = ctx.state.t.accounting.manual.title;
  return {
    ...await blankForm(ctx),
    accounts: accounts.filter((a) => a.active && !a.isGroup),
    journals: journals.filter((j) => j.code !== "OPENING"),
    rows: ROWS,
    values: { journal: "GENERAL", date: accounting.today(), token: crypto.randomUUID() },
    ...extra,
  };
}

export const handler = formPage(pageData, async (ctx, v) => {
  const lines = formLines(v, KEYS, { keepGaps: true }).slice(0, 30);
  return await saveOr(ctx, async () => {
    const posted = await ctx.state.deps.accounting.postManual({
      journal: v.journal ?? "",
      date: v.date ?? "",
      memo: v.memo ?? "",
      token: formToken.parse(v.token),
      lines,
    }, actorOf(ctx));
    return `/admin/accounting/entries/${posted.id}?posted`;
  }, (errors) => pageData(ctx, { values: v, errors, rows: Math.max(ROWS, lines.length) }));
});

export default function NewEntry({ data, state }: PageProps<Data, State>) {
  const m = state.t.accounting;
  const t = m.manual;
  const v = data.values;
  const form = { values: v, errors: data.errors };
  const lang = state.lang;
  let debit = 0;
  let credit = 0;
  for (let i = 0; i < data.rows; i++) {
    debit += takaToPoisha(v[`lines.${i}.debit`] ?? "") ?? 0;
    credit += takaToPoisha(v[`lines.${i}.credit`] ?? "") ?? 0;
  }
  const cell = (i: number, key: string, label: string, width: string) => (
    <input
      name={`lines.${i}.${key}`}
      value={v[`lines.${i}.${key}`] ?? ""}
      aria-label={`${label} ${i + 1}`}
      inputMode={key === "debit" || key === "credit" ? "decimal" : undefined}
      class={`${inputClass(!!data.errors[`lines.${i}.${key}`])} ${width}`}
    />
  );
  return (
    <>
      <PageTitle title={t.title} intro={t.hint} />
      <AccountingTabs m={m} current="newEntry" />
      <Errors errors={data.errors} m={m} />
      <PostForm csrf={data.csrf} action="/admin/accounting/entries/new" novalidate>
        <input type="hidden" name="token" value={v.token ?? ""} />
        <div class="grid sm:grid-cols-3 gap-x-4 max-w-3xl">
          <SelectField
            id="journal"
            label={m.common.journal}
            options={data.journals.map((j) => [j.code, lang === "bn" ? j.nameBn : j.nameEn])}
            {...form}
          />
          <TextField id="date" label={m.common.date} placeholder="YYYY-MM-DD" {...form} />
          <TextField id="memo" label={m.common.memo} maxLength={300} {...form} />
        </div>
        <p class="text-xs text-gray-600 mb-2">{m.common.amountHint}</p>
        <Table
          head={[
            m.common.account,
            m.common.debit,
            m.common.credit,
            m.common.memo,
            m.common.partner,
          ]}
        >
          {Array.from({ length: data.rows }, (_, i) => (
            <tr>
              <td class={td}>
                <select
                  name={`lines.${i}.account`}
                  aria-label={`${m.common.account} ${i + 1}`}
                  class={`${selectClass} w-64`}
                >
                  <option value="">—</option>
                  {data.accounts.map((a) => (
                    <option value={a.code} selected={v[`lines.${i}.account`] === a.code}>
                      {a.code} {lang === "bn" ? a.nameBn : a.nameEn}
                    </option>
                  ))}
                </select>
              </td>
              <td class={td}>{cell(i, "debit", m.common.debit, "w-32")}</td>
              <td class={td}>{cell(i, "credit", m.common.credit, "w-32")}</td>
              <td class={td}>{cell(i, "memo", m.common.memo, "w-48")}</td>
              <td class={td}>{cell(i, "partner", m.common.partner, "w-32")}</td>
            </tr>
          ))}
          <tr class="font-semibold" data-totals>
            <td class={td}>{t.totals}</td>
            <td class={num}>{taka(debit, lang)}</td>
            <td class={num}>{taka(credit, lang)}</td>
            <td class={td} colSpan={2}>
              {debit !== credit && (
                <span class="text-red-800">
                  {t.difference}: {taka(Math.abs(debit - credit), lang)}
                </span>
              )}
            </td>
          </tr>
        </Table>
        <button type="submit" class={buttonClass()}>{t.post}</button>
      </PostForm>
    </>
  );
}
