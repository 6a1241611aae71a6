import type { Context, PageProps } from "@/framework/mod.ts";
import { PageTitle } from "@/components/IotUi.tsx";
import { buttonClass, linkClass, selectClass } from "@/components/ui.tsx";
import { type Account, cleanQuery, type GeneralLedger } from "@/services/accounting/mod.ts";
import type { State } from "@/state.ts";
import { AccountingTabs, amount, EntryLink, num, Table, taka, td } from "../(_accounting)/ui.tsx";
import { financeTables } from "@/services/accounting/mod.ts";
import {
  DateField,
  ExportLinks,
  type Links,
  links,
  maybeExportAsync,
  yearToDate,
} from "../(_accounting)/finance.tsx";

interface Data {
  accounts: Account[];
  code: string;
  from: string;
  to: string;
  after: string | null;
  gl: GeneralLedger | null;
  /** CSV and XLSX of the account's ledger. */
  links?: Links;
}

const pageHref = (d: Data, after: string | null) =>
  `/admin/accounting/reports/ledger?${new URLSearchParams({
    account: d.code,
    from: d.from,
    to: d.to,
    ...(after ? { after } : {}),
  })}`;

export const handler = {
  GET: async (ctx: Context<State>) => {
    const accounting = ctx.state.deps.accounting;
    const { from, to } = yearToDate(ctx, accounting);
    const code = cleanQuery(ctx.url.searchParams.get("account"), 20).toUpperCase();
    const accounts = (await accounting.listAccounts()).filter((a) => !a.isGroup);
    const account = accounts.find((a) => a.code === code);
    const after = cleanQuery(ctx.url.searchParams.get("after"), 40) || null;
    if (account) {
      // A file holds the whole range, every page of it.
      const file = await maybeExportAsync(ctx, async () => {
        const whole = (await accounting.wholeGeneralLedger(account.id, from, to))!;
        return financeTables.generalLedgerTable(whole, ctx.state.lang);
      });
      if (file) return file;
    }
    const gl = account ? await accounting.generalLedger(account.id, from, to, { after }) : null;
    ctx.state.title = ctx.state.t.accounting.ledger.title;
    return { data: { accounts, code, from, to, after, gl, links: links(ctx) } satisfies Data };
  },
};

export default function LedgerPage({ data, state }: PageProps<Data, State>) {
  const m = state.t.accounting;
  const t = m.ledger;
  const lang = state.lang;
  const gl = data.gl;
  const name = (a: Account) => `${a.code} ${lang === "bn" ? a.nameBn : a.nameEn}`;
  return (
    <>
      <PageTitle title={gl ? `${t.title}: ${name(gl.account)}` : t.title} />
      <AccountingTabs m={m} current="ledger" />
      <form method="get" class="flex flex-wrap items-end gap-3 mb-4">
        <label class="text-sm">
          {m.common.account}
          <select name="account" class={`${selectClass} block w-72`}>
            <option value="">{t.choose}</option>
            {data.accounts.map((a) => (
              <option value={a.code} selected={a.code === data.code}>{name(a)}</option>
            ))}
          </select>
        </label>
        <DateField name="from" label={m.common.from} value={data.from} />
        <DateField name="to" label={m.common.to} value={data.to} />
        <button type="submit" class={buttonClass("secondary")}>{m.common.show}</button>
        {gl && data.links && <ExportLinks lang={lang} {...data.links} />}
      </form>
      {gl && (
        <>
          <Table
            head={[
              m.common.date,
              m.common.entry,
              m.common.memo,
              m.common.partner,
              m.common.debit,
              m.common.credit,
              m.common.balance,
            ]}
          >
            <tr class="font-semibold">
              <td class={td} colSpan={6}>{t.opening}</td>
              <td class={num} data-opening>{taka(gl.openingMinor, lang)}</td>
            </tr>
            {data.after && (
              <tr class="font-semibold">
                <td class={td} colSpan={6}>{t.broughtForward}</td>
                <td class={num} data-brought-forward>{taka(gl.pageOpeningMinor, lang)}</td>
              </tr>
            )}
            {gl.lines.map((l) => (
              <tr data-entry={l.entryId}>
                <td class={`${td} whitespace-nowrap`}>{l.date}</td>
                <td class={td}>
                  <EntryLink id={l.entryId} />{" "}
                  <span class="text-xs text-gray-600">{l.journal}</span>
                </td>
                <td class={td}>{l.lineMemo || l.memo}</td>
                <td class={td}>{l.partnerRef ?? ""}</td>
                <td class={num}>{amount(l.debitMinor, lang)}</td>
                <td class={num}>{amount(l.creditMinor, lang)}</td>
                <td class={num} data-running>{taka(l.balanceMinor, lang)}</td>
              </tr>
            ))}
            <tr class="font-semibold">
              <td class={td} colSpan={6}>{t.closing}</td>
              <td class={num} data-closing>{taka(gl.closingMinor, lang)}</td>
            </tr>
          </Table>
          <p class="flex gap-4 mb-4">
            {data.after && <a class={linkClass} href={pageHref(data, null)}>{t.firstPage}</a>}
            {gl.next && (
              <a class={linkClass} href={pageHref(data, gl.next)} rel="next">{t.nextPage}</a>
            )}
          </p>
        </>
      )}
    </>
  );
}
