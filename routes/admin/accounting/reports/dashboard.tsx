import type { PageProps } from "@/framework/mod.ts";
import { linkClass } from "@/components/ui.tsx";
import { type Finance, financeTables } from "@/services/accounting/mod.ts";
import { fillParams } from "@/services/i18n/mod.ts";
import type { State } from "@/state.ts";
import {
  ExportLinks,
  fm,
  type ReportData,
  reportHandler,
  ReportTop,
} from "../(_accounting)/finance.tsx";
import { taka } from "../(_accounting)/ui.tsx";

type Dashboard = Awaited<ReturnType<Finance["financeDashboard"]>>;
type Data = ReportData<Dashboard>;

export const handler = reportHandler(
  (_ctx, accounting) => accounting.financeDashboard(),
  (d, lang) => financeTables.dashboardTable(d, lang),
  (m) => m.reports.dashboard.title,
);

export default function FinanceDashboardPage({ data, state }: PageProps<Data, State>) {
  const lang = state.lang;
  const m = fm(lang).reports.dashboard;
  const d = data.report;
  const monthStart = `${d.today.slice(0, 7)}-01`;
  const card = (
    key: string,
    title: string,
    href: string,
    now: number,
    then: number,
    labels: [string, string],
  ) => (
    <a
      href={href}
      data-card={key}
      data-now={String(now)}
      class="block rounded-lg border border-gray-200 bg-white p-4 hover:border-brand-700"
    >
      <span class="block text-sm text-gray-700">{title}</span>
      <span class="block text-2xl font-bold tabular-nums">{taka(now, lang)}</span>
      <span class="block text-xs text-gray-600">
        {labels[0]} · {labels[1]}: {taka(then, lang)}
      </span>
    </a>
  );
  const balance = [m.now, m.endOfLastMonth] as [string, string];
  const month = [m.thisMonth, m.lastMonth] as [string, string];
  return (
    <>
      <ReportTop
        state={state}
        tab="financeDashboard"
        current="dashboard"
        title={m.title}
        intro={m.intro}
      />
      <p class="mb-3">
        <ExportLinks lang={lang} {...data.links} />
      </p>
      <div class="grid gap-3 sm:grid-cols-2 lg:grid-cols-3 mb-4">
        {card(
          "cash",
          m.cash,
          `/admin/accounting/reports/cash-flow?from=${monthStart}&to=${d.today}`,
          d.cash.nowMinor,
          d.cash.lastMonthMinor,
          balance,
        )}
        {card(
          "receivables",
          m.receivables,
          `/admin/accounting/reports/balance-sheet?at=${d.today}&compareAt=${d.lastMonthEnd}`,
          d.receivables.nowMinor,
          d.receivables.lastMonthMinor,
          balance,
        )}
        {card(
          "payables",
          m.payables,
          `/admin/accounting/reports/balance-sheet?at=${d.today}&compareAt=${d.lastMonthEnd}`,
          d.payables.nowMinor,
          d.payables.lastMonthMinor,
          balance,
        )}
        {card(
          "income",
          m.income,
          `/admin/accounting/reports/profit-loss?from=${monthStart}&to=${d.today}`,
          d.income.thisMonthMinor,
          d.income.lastMonthMinor,
          month,
        )}
        {card(
          "netProfit",
          m.netProfit,
          `/admin/accounting/reports/profit-loss?from=${monthStart}&to=${d.today}`,
          d.netProfit.thisMonthMinor,
          d.netProfit.lastMonthMinor,
          month,
        )}
        {card(
          "vat",
          m.vatDue,
          `/admin/accounting/vat/return?month=${d.vat.month}`,
          d.vat.thisMonthMinor,
          d.vat.lastMonthMinor,
          month,
        )}
      </div>
      <p class="text-sm">
        <a class={linkClass} href={`/admin/accounting/vat/return?month=${d.vat.lastMonth}`}>
          {fillParams(m.dueOn, { date: d.vat.dueOn })}
        </a>
      </p>
      {d.cash.accounts.length > 0 && (
        <ul class="mt-4 text-sm">
          {d.cash.accounts.map((a) => (
            <li data-cash-account={a.account.code}>
              {a.account.code} {lang === "bn" ? a.account.nameBn : a.account.nameEn}:{" "}
              {taka(a.minor, lang)}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
