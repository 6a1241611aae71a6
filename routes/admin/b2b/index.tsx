import type { Handlers, PageProps } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import { formatTaka } from "@/services/i18n/mod.ts";
import {
  type Account,
  ACCOUNT_STATUSES,
  type AccountStatus,
  b2bMoneyMessages,
  type OrderSummary,
} from "@/services/b2b/mod.ts";
import { ListTable, StatusPill } from "@/components/ui.tsx";
import { more, msgs, STATUS_COLORS } from "@/routes/b2b/(_lib)/web.tsx";

interface Data {
  accounts: (Account & { holds: number })[];
  holds: OrderSummary[];
  status: AccountStatus | null;
}

export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    const q = ctx.url.searchParams.get("status");
    const status = (ACCOUNT_STATUSES as readonly string[]).includes(q ?? "")
      ? q as AccountStatus
      : null;
    ctx.state.title = `${msgs(ctx.state).title} — Smart Dairy admin`;
    const b2b = ctx.state.deps.b2b;
    return {
      data: {
        accounts: await b2b.listAccounts(status),
        holds: await b2b.orders({ status: "credit_hold" }),
        status,
      },
    };
  },
};

export default function B2bAdmin({ data, state }: PageProps<Data, State>) {
  const t = msgs(state);
  const lang = state.lang;
  const bn = lang === "bn";
  return (
    <>
      <h1 class="text-2xl font-bold mb-4">{t.title}</h1>
      <nav class="flex flex-wrap gap-3 mb-3" aria-label={t.title}>
        <a href="/admin/b2b/dashboard" class="text-brand-700 underline">
          {more(lang).dashboardTitle}
        </a>
        <a href="/admin/b2b/standing" class="text-brand-700 underline">
          {more(lang).calendarTitle}
        </a>
        <a href="/admin/b2b/enquiries" class="text-brand-700 underline">
          {more(lang).enquiriesTitle}
        </a>
      </nav>
      <nav class="flex gap-3 mb-3 text-sm">
        <a href="/admin/b2b" class="underline">{bn ? "সব" : "All"}</a>
        {ACCOUNT_STATUSES.map((s) => (
          <a href={`/admin/b2b?status=${s}`} class="underline">{t.statuses[s]}</a>
        ))}
        <a href="/admin/b2b/reps" class="underline">{b2bMoneyMessages[lang].field}</a>
      </nav>
      <ListTable
        heads={[t.company, t.status, t.creditLimit, t.terms, bn ? "ক্রেডিট হোল্ড" : "Credit holds"]}
        empty={bn
          ? "কোনো ব্যবসায়িক অ্যাকাউন্ট নেই — আবেদন এলে এখানে দেখা যাবে (/b2b)।"
          : "No business accounts yet — applications made at /b2b appear here."}
        class="mb-6"
      >
        {data.accounts.map((a) => (
          <tr class="border-t" data-account={a.id}>
            <td class="px-3 py-2">
              <a href={`/admin/b2b/accounts/${a.id}`} class="text-brand-700 underline">
                {a.company}
              </a>
            </td>
            <td class="px-3 py-2">
              <StatusPill status={a.status} label={t.statuses[a.status]} colors={STATUS_COLORS} />
            </td>
            <td class="px-3 py-2">{formatTaka(a.creditLimitMinor, lang)}</td>
            <td class="px-3 py-2">{t.termNames[a.terms]}</td>
            <td class="px-3 py-2">{a.holds}</td>
          </tr>
        ))}
      </ListTable>
      <h2 class="text-xl font-semibold mb-2">
        {bn ? "ক্রেডিট হোল্ডে থাকা অর্ডার" : "Orders on credit hold"}
      </h2>
      <ListTable
        heads={[t.number, t.company, t.total, bn ? "কারণ" : "Reason"]}
        empty={bn ? "কোনো অর্ডার ক্রেডিট হোল্ডে নেই।" : "No orders are on credit hold."}
      >
        {data.holds.map((o) => (
          <tr class="border-t" data-hold={o.number}>
            <td class="px-3 py-2">
              <a href={`/admin/b2b/accounts/${o.accountId}`} class="text-brand-700 underline">
                {o.number}
              </a>
            </td>
            <td class="px-3 py-2">{o.company}</td>
            <td class="px-3 py-2">{formatTaka(o.totalMinor, lang)}</td>
            <td class="px-3 py-2">{o.holdReason}</td>
          </tr>
        ))}
      </ListTable>
    </>
  );
}
