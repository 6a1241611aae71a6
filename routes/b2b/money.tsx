import type { Context, Handlers, PageProps } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import { formatTaka } from "@/services/i18n/mod.ts";
import { b2bMoneyMessages, dhakaDate, PAY_METHODS } from "@/services/b2b/mod.ts";
import {
  buttonClass,
  inputClass,
  linkClass,
  ListTable,
  PostForm,
  selectClass,
} from "@/components/ui.tsx";
import {
  B2bLayout,
  blankPortalForm,
  memberPage,
  type PortalForm,
  portalMember,
  refusedForm,
  takaToMinor,
} from "./(_lib)/web.tsx";

type Open = Awaited<ReturnType<State["deps"]["b2b"]["openInvoices"]>>;
type Paid = Awaited<ReturnType<State["deps"]["b2b"]["paymentsOf"]>>;

interface Data {
  accountId: number;
  open: Open;
  payments: Paid;
  months: string[];
  csrf: string;
  values: Record<string, string>;
  errors: Record<string, string>;
}

function show(ctx: Context<State>, form: PortalForm = blankPortalForm(), status = 200) {
  const b2b = ctx.state.deps.b2b;
  // The last six months for statements (this one first).
  const today = dhakaDate(b2b.now());
  const months: string[] = [];
  let y = Number(today.slice(0, 4)), mo = Number(today.slice(5, 7));
  for (let i = 0; i < 6; i++) {
    months.push(`${y}-${String(mo).padStart(2, "0")}`);
    if (--mo === 0) [y, mo] = [y - 1, 12];
  }
  return memberPage(ctx, b2bMoneyMessages[ctx.state.lang].money, status, async (m) => ({
    accountId: m.account.id,
    open: await b2b.openInvoices(m.account.id),
    payments: await b2b.paymentsOf(m.account.id),
    months,
    ...form,
  }));
}

export const handler: Handlers<Data, State> = {
  GET: (ctx) => show(ctx),
  async POST(ctx) {
    const { user, m } = await portalMember(ctx);
    const f = ctx.form!;
    const values = { amount: String(f.get("amount") ?? ""), method: String(f.get("method") ?? "") };
    const invoices = f.getAll("invoice").map(String);
    try {
      const r = await ctx.state.deps.b2b.payOnAccount(user.id, m.account.id, {
        method: values.method,
        amountMinor: takaToMinor(values.amount) ?? -1,
        invoices,
      });
      // Through the same-origin hop page (our CSP's form-action allows only our origin).
      return ctx.redirect(`/b2b/money/pay?p=${r.paymentId}`);
    } catch (e) {
      const { form, status } = refusedForm(e, values, { field: "form", status: 502 });
      return await show(ctx, form, status);
    }
  },
};

export default function B2bMoney({ data, state, url }: PageProps<Data, State>) {
  const t = b2bMoneyMessages[state.lang];
  const lang = state.lang;
  const money = (m: number) => formatTaka(m, lang);
  const pay = url.searchParams.get("pay");
  const err = (k: string) =>
    data.errors[k] && (
      <span class="text-red-700 text-sm" role="alert">
        {t.errors[data.errors[k]] ?? data.errors[k]}
      </span>
    );
  const o = data.open;
  return (
    <B2bLayout state={state} path={url.pathname}>
      <h1 class="text-2xl font-bold mb-3">{t.money}</h1>
      {pay === "ok" && (
        <p role="status" class="rounded bg-green-100 text-green-900 p-3 mb-4" data-testid="paid">
          {t.paid}
        </p>
      )}
      {pay && pay !== "ok" && (
        <p role="alert" class="rounded bg-amber-100 text-amber-900 p-3 mb-4">
          {pay === "pending" ? t.payPending : t.payFailed}
        </p>
      )}
      {data.errors.form && (
        <p role="alert" class="rounded bg-red-100 text-red-900 p-3 mb-4">
          {t.errors[data.errors.form] ?? data.errors.form}
        </p>
      )}
      <p class="mb-4">
        {t.owed}: <strong data-testid="owed">{money(o.openMinor)}</strong>
        {" · "}
        {t.overdueTotal}: <strong data-testid="overdue">{money(o.overdueMinor)}</strong>
        {o.creditMinor > 0 && <>{" · "}{t.credit}: {money(o.creditMinor)}</>}
      </p>
      <PostForm csrf={data.csrf} class="mb-6">
        <h2 class="text-xl font-semibold mb-2">{t.openInvoices}</h2>
        <ListTable heads={["", t.invoice, t.due, t.total, t.open]} empty={t.noOpenInvoices}>
          {o.invoices.map((i) => (
            <tr class="border-t" data-invoice={i.number}>
              <td class="px-3 py-2">
                <input type="checkbox" name="invoice" value={i.number} aria-label={i.number} />
              </td>
              <td class="px-3 py-2">
                <a class={linkClass} href={`/b2b/docs?doc=${encodeURIComponent(i.number)}`}>
                  {i.number}
                </a>
              </td>
              <td class="px-3 py-2">
                {i.dueDate}
                {i.overdue && <span class="ml-1 text-red-700 font-semibold">{t.overdue}</span>}
              </td>
              <td class="px-3 py-2">{money(i.amountMinor)}</td>
              <td class="px-3 py-2" data-open>{money(i.openMinor)}</td>
            </tr>
          ))}
        </ListTable>
        <h2 class="text-xl font-semibold mt-4 mb-1">{t.pay}</h2>
        <p class="text-sm text-gray-700 mb-2">{t.payIntro}</p>
        <div class="flex flex-wrap gap-3 items-end">
          <label class="block">
            <span class="block text-sm">{t.amount}</span>
            <input
              name="amount"
              inputmode="decimal"
              required
              value={data.values.amount ?? (o.openMinor > 0 ? String(o.openMinor / 100) : "")}
              class={inputClass(!!data.errors.amount)}
            />
            {err("amount")}
          </label>
          <label class="block">
            <span class="block text-sm">{t.method}</span>
            <select name="method" class={selectClass}>
              {PAY_METHODS.map((m) => (
                <option value={m} selected={data.values.method === m}>{t.methods[m]}</option>
              ))}
            </select>
            {err("method")}
          </label>
          <button type="submit" class={buttonClass()}>{t.payNow}</button>
        </div>
        {err("invoices")}
        <p class="text-sm text-gray-700 mt-2">
          {t.bankTransferNote.replace("{party}", `B2B-${data.accountId}`)}
        </p>
      </PostForm>

      <h2 class="text-xl font-semibold mb-2">{t.payments}</h2>
      <ListTable heads={[t.date, t.method, t.total, ""]} empty="—">
        {data.payments.map((p) => (
          <tr class="border-t" data-payment={p.status}>
            <td class="px-3 py-2">{dhakaDate(p.at)}</td>
            <td class="px-3 py-2">{t.methods[p.method] ?? p.method}</td>
            <td class="px-3 py-2">{money(p.amountMinor)}</td>
            <td class="px-3 py-2">{t.payStatuses[p.status] ?? p.status}</td>
          </tr>
        ))}
      </ListTable>

      <h2 class="text-xl font-semibold mt-6 mb-2">{t.statement}</h2>
      <ul class="flex flex-wrap gap-3">
        {data.months.map((m) => (
          <li>
            <a class={linkClass} href={`/b2b/docs?month=${m}`}>{m}</a>
          </li>
        ))}
      </ul>
    </B2bLayout>
  );
}
