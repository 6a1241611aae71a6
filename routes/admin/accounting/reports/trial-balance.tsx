import type { Context, PageProps } from "@/framework/mod.ts";
import { PageTitle } from "@/components/IotUi.tsx";
import { buttonClass, linkClass } from "@/components/ui.tsx";
import { type TrialBalance, trialBalanceCsv } from "@/services/accounting/mod.ts";
import type { State } from "@/state.ts";
import { AccountingTabs, amount, num, Table, taka, td } from "../(_accounting)/ui.tsx";
import { financeTables } from "@/services/accounting/mod.ts";
import {
  DateField,
  exportUrl,
  fm,
  maybeExport,
  queryCompare,
  yearToDate,
} from "../(_accounting)/finance.tsx";

interface Data {
  tb: TrialBalance;
  csvUrl: string;
  xlsxUrl?: string;
}

export const handler = {
  GET: async (ctx: Context<State>) => {
    const accounting = ctx.state.deps.accounting;
    const { from, to } = yearToDate(ctx, accounting);
    const compare = queryCompare(ctx);
    const tb = await accounting.trialBalance({
      from,
      to,
      compareFrom: compare?.from,
      compareTo: compare?.to,
    });
    if (ctx.url.searchParams.get("format") === "csv") {
      return new Response(trialBalanceCsv(tb, ctx.state.lang), {
        headers: {
          "content-type": "text/csv; charset=utf-8",
          "content-disposition": `attachment; filename="trial-balance-${from}-${to}.csv"`,
        },
      });
    }
    if (ctx.url.searchParams.get("format") === "xlsx") {
      const file = await maybeExport(
        ctx,
        () => financeTables.trialBalanceTable(tb, ctx.state.lang),
      );
      if (file) return file;
    }
    const u = new URL(ctx.url);
    u.searchParams.set("format", "csv");
    ctx.state.title = ctx.state.t.accounting.trialBalance.title;
    return {
      data: { tb, csvUrl: u.pathname + u.search, xlsxUrl: exportUrl(ctx, "xlsx") } satisfies Data,
    };
  },
};

export default function TrialBalancePage({ data, state }: PageProps<Data, State>) {
  const m = state.t.accounting;
  const t = m.trialBalance;
  const { tb } = data;
  const lang = state.lang;
  const cmp = tb.compareFrom !== null;
  const balanced = tb.totals.closingMinor === 0 && tb.totals.openingMinor === 0 &&
    tb.totals.debitMinor === tb.totals.creditMinor;
  return (
    <>
      <PageTitle title={t.title} />
      <AccountingTabs m={m} current="trialBalance" />
      <form method="get" class="flex flex-wrap items-end gap-3 mb-4">
        <DateField name="from" label={m.common.from} value={tb.from} />
        <DateField name="to" label={m.common.to} value={tb.to} />
        <DateField name="compareFrom" label={t.compareFrom} value={tb.compareFrom ?? ""} />
        <DateField name="compareTo" label={t.compareTo} value={tb.compareTo ?? ""} />
        <button type="submit" class={buttonClass("secondary")}>{m.common.show}</button>
        <a class={linkClass} href={data.csvUrl} download>{m.common.downloadCsv}</a>
        {data.xlsxUrl && (
          <a class={linkClass} href={data.xlsxUrl} download>
            {fm(state.lang).common.download} {fm(state.lang).common.xlsx}
          </a>
        )}
      </form>
      <p
        role="status"
        data-balanced={balanced ? "yes" : "no"}
        class={`mb-3 ${balanced ? "text-green-800" : "text-red-800 font-semibold"}`}
      >
        {balanced ? t.balanced : t.notBalanced}
      </p>
      <Table
        head={[
          m.common.account,
          t.opening,
          m.common.debit,
          m.common.credit,
          t.closingDebit,
          t.closingCredit,
          ...(cmp ? [`${t.compare}: ${tb.compareFrom} – ${tb.compareTo}`] : []),
        ]}
      >
        {tb.rows.map((r) => (
          <tr data-account={r.account.code}>
            <td class={td}>
              <a
                class={linkClass}
                href={`/admin/accounting/reports/ledger?account=${
                  encodeURIComponent(r.account.code)
                }&from=${tb.from}&to=${tb.to}`}
              >
                {r.account.code}
              </a>{" "}
              {lang === "bn" ? r.account.nameBn : r.account.nameEn}
            </td>
            <td class={num}>{taka(r.openingMinor, lang)}</td>
            <td class={num}>{amount(r.debitMinor, lang)}</td>
            <td class={num}>{amount(r.creditMinor, lang)}</td>
            <td class={num}>{amount(Math.max(r.closingMinor, 0), lang)}</td>
            <td class={num}>{amount(Math.max(-r.closingMinor, 0), lang)}</td>
            {cmp && <td class={num}>{taka(r.compare?.closingMinor ?? 0, lang)}</td>}
          </tr>
        ))}
        <tr class="font-semibold" data-totals>
          <td class={td}>{m.common.total}</td>
          <td class={num}>{taka(tb.totals.openingMinor, lang)}</td>
          <td class={num}>{taka(tb.totals.debitMinor, lang)}</td>
          <td class={num}>{taka(tb.totals.creditMinor, lang)}</td>
          <td class={num}>{taka(tb.totals.closingDebitMinor, lang)}</td>
          <td class={num}>{taka(tb.totals.closingCreditMinor, lang)}</td>
          {cmp && <td class={num}></td>}
        </tr>
      </Table>
    </>
  );
}
