import { type Context, HttpError, type PageProps } from "@/framework/mod.ts";
import { PageTitle } from "@/components/IotUi.tsx";
import { buttonClass, linkClass, selectClass } from "@/components/ui.tsx";
import {
  type BankAccount,
  type Reconciliation,
  reconciliationCsv,
} from "@/services/accounting/mod.ts";
import { fillParams } from "@/services/i18n/mod.ts";
import type { State } from "@/state.ts";
import { queryDate } from "../(_accounting)/lib.ts";
import { AccountingTabs, EntryLink, num, Table, taka, td } from "../(_accounting)/ui.tsx";
import { BankTabs, bankText, idOf } from "./(_bank)/ui.tsx";
import { DateField } from "../(_accounting)/finance.tsx";

interface Data {
  accounts: BankAccount[];
  rec: Reconciliation | null;
  csvUrl: string;
}

/** The last day of the month of a YYYY-MM-DD date. */
function monthEnd(date: string): string {
  const [y, m] = date.split("-").map(Number);
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

export const handler = {
  GET: async (ctx: Context<State>) => {
    const accounting = ctx.state.deps.accounting;
    const today = accounting.today();
    const accounts = await accounting.bank.listAccounts();
    const id = idOf(ctx.url.searchParams.get("account")) ?? accounts[0]?.id ?? null;
    let from = queryDate(ctx, "from", `${today.slice(0, 7)}-01`);
    let to = queryDate(ctx, "to", monthEnd(today));
    if (from > to) [from, to] = [to, from];
    // A bad account id is a 404 (NotFoundError from the door).
    const rec = id
      ? await accounting.bank.reconciliation(id, from, to).catch((e) => {
        if ((e as { status?: number }).status === 404) return null;
        throw e;
      })
      : null;
    if (id && !rec) throw new HttpError(404, "No such bank account");
    if (rec && ctx.url.searchParams.get("format") === "csv") {
      return new Response(reconciliationCsv(rec), {
        headers: {
          "content-type": "text/csv; charset=utf-8",
          "content-disposition":
            `attachment; filename="reconciliation-${rec.account.code}-${from}-${to}.csv"`,
        },
      });
    }
    const u = new URL(ctx.url);
    u.searchParams.set("account", String(id ?? ""));
    u.searchParams.set("from", from);
    u.searchParams.set("to", to);
    u.searchParams.set("format", "csv");
    ctx.state.title = bankText(ctx.state.lang).recon.title;
    return { data: { accounts, rec, csvUrl: u.pathname + u.search } satisfies Data };
  },
};

export default function ReconciliationPage({ data, state }: PageProps<Data, State>) {
  const m = state.t.accounting;
  const b = bankText(state.lang);
  const t = b.recon;
  const lang = state.lang;
  const { rec } = data;
  const bank = rec?.account.kind === "bank";
  const sum = (xs: number[]) => xs.reduce((a, x) => a + x, 0);
  const row = (label: string, minor: number, key: string, strong = false) => (
    <tr data-figure={key}>
      <td class={`${td} ${strong ? "font-semibold" : ""}`}>{label}</td>
      <td class={`${num} ${strong ? "font-semibold" : ""}`}>{taka(minor, lang)}</td>
    </tr>
  );
  return (
    <>
      <PageTitle title={t.title} intro={b.intro} />
      <AccountingTabs m={m} current="bank" />
      <BankTabs b={b} current="reconciliation" />
      <form method="get" class="flex flex-wrap gap-2 items-end mb-4 print:hidden">
        <label class="text-sm">
          {t.account}
          <select name="account" class={`${selectClass} block`}>
            {data.accounts.map((a) => (
              <option value={String(a.id)} selected={a.id === rec?.account.id}>
                {a.code} · {a.bankName}
              </option>
            ))}
          </select>
        </label>
        <DateField name="from" label={m.common.from} value={rec?.from} />
        <DateField name="to" label={m.common.to} value={rec?.to} />
        <button type="submit" class={buttonClass("secondary")}>{t.show}</button>
        {rec && <a class={linkClass} href={data.csvUrl}>{t.csv}</a>}
      </form>
      {rec && (
        <>
          <h2 class="text-lg font-semibold mb-2">
            {rec.account.code} · {rec.account.bankName} {rec.account.accountNumber} · {rec.from} –
            {" "}
            {rec.to}
          </h2>
          {rec.account.kind === "wallet" && (
            <Table head={["", { label: m.common.balance, class: "text-right" }]}>
              {row(t.walletHeld, rec.ledgerClosingMinor, "walletHeld", true)}
              {row(
                t.settledGross,
                sum(rec.settlements.map((s) =>
                  s.grossMinor
                )),
                "settledGross",
              )}
              {row(t.settledFee, sum(rec.settlements.map((s) => s.feeMinor)), "settledFee")}
              {row(
                t.settledNet,
                sum(rec.settlements.map((s) => s.netMinor)),
                "settledNet",
              )}
            </Table>
          )}
          {rec.account.kind === "bank" && (
            <Table head={["", { label: m.common.balance, class: "text-right" }]}>
              {row(t.statementOpening, rec.statementOpeningMinor, "statementOpening")}
              {row(t.statementIn, rec.statementInMinor, "statementIn")}
              {row(t.statementOut, -rec.statementOutMinor, "statementOut")}
              {row(t.statementClosing, rec.statementClosingMinor, "statementClosing", true)}
              {row(t.ledgerClosing, rec.ledgerClosingMinor, "ledgerClosing", true)}
              {row(t.difference, rec.differenceMinor, "difference", true)}
              {row(t.explained, rec.explainedMinor, "explained")}
              {row(t.unexplained, rec.unexplainedMinor, "unexplained", true)}
            </Table>
          )}
          {rec.statedClosing && (
            <p class="text-sm mb-2" data-stated>
              {fillParams(t.stated, {
                amount: taka(rec.statedClosing.minor, lang),
                date: rec.statedClosing.on,
              })}
            </p>
          )}
          {bank && <p class="text-sm mb-4">{fillParams(t.matched, { n: rec.matchedInPeriod })}</p>}
          {bank && rec.unmatchedStatement.length === 0 && rec.unmatchedLedger.length === 0 && (
            <p role="status" class="mb-4 text-green-900" data-all-clear>{t.allClear}</p>
          )}
          {bank && rec.unmatchedStatement.length > 0 && (
            <>
              <h3 class="font-semibold mb-1">{t.unmatchedStatement}</h3>
              <Table
                head={[m.common.date, m.common.reference, {
                  label: b.review.amount,
                  class: "text-right",
                }]}
              >
                {rec.unmatchedStatement.map((i) => (
                  <tr data-unmatched-statement={String(i.id)}>
                    <td class={td}>{i.date}</td>
                    <td class={td}>
                      <a
                        class={linkClass}
                        href={`/admin/accounting/bank/review?account=${rec.account.id}`}
                      >
                        {i.reference || i.description}
                      </a>
                    </td>
                    <td class={num}>{taka(i.amountMinor, lang)}</td>
                  </tr>
                ))}
              </Table>
            </>
          )}
          {bank && rec.unmatchedLedger.length > 0 && (
            <>
              <h3 class="font-semibold mb-1">{t.unmatchedLedger}</h3>
              <Table
                head={[m.common.date, m.common.entry, m.common.memo, {
                  label: b.review.amount,
                  class: "text-right",
                }]}
              >
                {rec.unmatchedLedger.map((i) => (
                  <tr data-unmatched-ledger={String(i.id)}>
                    <td class={td}>{i.date}</td>
                    <td class={td}>
                      <EntryLink id={i.id} />
                    </td>
                    <td class={td}>{i.description}</td>
                    <td class={num}>{taka(i.amountMinor, lang)}</td>
                  </tr>
                ))}
              </Table>
            </>
          )}
          {rec.settlements.length > 0 && (
            <>
              <h3 class="font-semibold mb-1">{t.settlements}</h3>
              <Table
                head={[
                  m.common.date,
                  m.common.reference,
                  { label: t.gross, class: "text-right" },
                  { label: t.fee, class: "text-right" },
                  { label: t.net, class: "text-right" },
                ]}
              >
                {rec.settlements.map((s) => (
                  <tr>
                    <td class={td}>{s.settledOn}</td>
                    <td class={td}>
                      <EntryLink id={s.entryId}>{s.reference}</EntryLink>
                    </td>
                    <td class={num}>{taka(s.grossMinor, lang)}</td>
                    <td class={num}>{taka(s.feeMinor, lang)}</td>
                    <td class={num}>{taka(s.netMinor, lang)}</td>
                  </tr>
                ))}
              </Table>
            </>
          )}
        </>
      )}
    </>
  );
}
