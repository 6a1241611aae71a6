import type { Context, Handlers, PageProps } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import { formValues } from "@/plugins/forms.ts";
import { formatTaka } from "@/services/i18n/mod.ts";
import {
  type Account,
  b2bMoneyMessages,
  type Condition,
  CONDITIONS,
  ConflictError,
  dhakaDate,
  NotFoundError,
  type OrderDetail,
  RETURN_KINDS,
  type ReturnKind,
  ValidationError,
} from "@/services/b2b/mod.ts";
import { buttonClass, inputClass, linkClass, ListTable, selectClass } from "@/components/ui.tsx";
import { b2bStaff, takaToMinor } from "@/routes/b2b/(_lib)/web.tsx";
import { OrderPapers, type Papers, papersOf } from "@/routes/b2b/(_lib)/papers.tsx";

type Open = Awaited<ReturnType<State["deps"]["b2b"]["openInvoices"]>>;

interface Data {
  account: Account;
  open: Open;
  delivered: { order: OrderDetail; papers: Papers }[];
  month: string;
  csrf: string;
  errors: Record<string, string>;
}

async function load(ctx: Context<State>) {
  const b2b = ctx.state.deps.b2b;
  const id = Number(ctx.params.id);
  const account = Number.isSafeInteger(id) ? await b2b.account(id) : null;
  if (!account) throw new NotFoundError("b2b account");
  return account;
}

async function show(ctx: Context<State>, errors: Record<string, string> = {}, status = 200) {
  const account = await load(ctx);
  const b2b = ctx.state.deps.b2b;
  const t = b2bMoneyMessages[ctx.state.lang];
  ctx.state.title = `${account.company} — ${t.money}`;
  const delivered = [];
  for (const o of await b2b.orders({ accountId: account.id, status: "delivered" })) {
    const order = (await b2b.order(o.id, account.id))!;
    delivered.push({ order, papers: await papersOf(ctx, o.id) });
  }
  return {
    status,
    data: {
      account,
      open: await b2b.openInvoices(account.id),
      delivered: delivered.slice(0, 30),
      month: dhakaDate(b2b.now()).slice(0, 7),
      csrf: await ctx.csrfToken(),
      errors,
    },
  };
}

export const handler: Handlers<Data, State> = {
  GET: (ctx) => show(ctx),
  async POST(ctx) {
    const actor = b2bStaff(ctx);
    const account = await load(ctx);
    const b2b = ctx.state.deps.b2b;
    const v = formValues(ctx);
    try {
      if (v.action === "transfer") {
        await b2b.recordTransfer(account.id, {
          amountMinor: takaToMinor(v.amount ?? "") ?? -1,
          reference: v.reference ?? "",
          invoices: ctx.form!.getAll("invoice").map(String),
        }, actor);
      } else if (v.action === "return") {
        const o = await b2b.order(v.orderId ?? "", account.id);
        if (!o) throw new NotFoundError("b2b order");
        await b2b.recordReturn(o.id, {
          kind: v.kind as ReturnKind,
          condition: v.condition as Condition,
          reason: v.reason ?? "",
          lines: o.lines.map((l) => ({
            lineNo: l.lineNo,
            qty: v[`qty.${l.lineNo}`] ? Number(v[`qty.${l.lineNo}`]) : 0,
          })),
        }, actor);
      } else return await show(ctx, { form: "action" }, 422);
    } catch (e) {
      if (e instanceof ValidationError) return await show(ctx, e.fieldErrors, 422);
      if (e instanceof ConflictError) return await show(ctx, { form: e.message }, 409);
      throw e;
    }
    return ctx.redirect(`/admin/b2b/money/${account.id}?saved=1`);
  },
};

export default function B2bMoneyAdmin({ data, state }: PageProps<Data, State>) {
  const t = b2bMoneyMessages[state.lang];
  const lang = state.lang;
  const money = (m: number) => formatTaka(m, lang);
  const a = data.account;
  const errs = Object.entries(data.errors);
  const csrf = <input type="hidden" name="_csrf" value={data.csrf} />;
  return (
    <>
      <p class="mb-2 text-sm">
        <a class={linkClass} href={`/admin/b2b/accounts/${a.id}`}>{a.company}</a>
      </p>
      <h1 class="text-2xl font-bold mb-3">{a.company} — {t.money}</h1>
      {errs.length > 0 && (
        <ul role="alert" class="rounded bg-red-100 text-red-900 p-3 mb-4">
          {errs.map(([k, c]) => <li>{k}: {t.errors[c.split(":")[0]] ?? c}</li>)}
        </ul>
      )}
      <p class="mb-4">
        {t.owed}: <strong data-testid="owed">{money(data.open.openMinor)}</strong> ·{" "}
        {t.overdueTotal}
        : <strong>{money(data.open.overdueMinor)}</strong>
        {data.open.creditMinor > 0 && <>{" · "}{t.credit}: {money(data.open.creditMinor)}</>}
      </p>
      <form method="post" class="border rounded p-3 mb-6">
        {csrf}
        <input type="hidden" name="action" value="transfer" />
        <h2 class="font-semibold mb-2">{t.recordTransfer}</h2>
        <ListTable heads={["", t.invoice, t.due, t.open]} empty={t.noOpenInvoices}>
          {data.open.invoices.map((i) => (
            <tr class="border-t" data-invoice={i.number}>
              <td class="px-3 py-2">
                <input type="checkbox" name="invoice" value={i.number} aria-label={i.number} />
              </td>
              <td class="px-3 py-2">
                <a class={linkClass} href={`/admin/b2b/docs?doc=${encodeURIComponent(i.number)}`}>
                  {i.number}
                </a>
              </td>
              <td class="px-3 py-2">
                {i.dueDate} {i.overdue && <span class="text-red-700">{t.overdue}</span>}
              </td>
              <td class="px-3 py-2">{money(i.openMinor)}</td>
            </tr>
          ))}
        </ListTable>
        <div class="flex flex-wrap gap-3 items-end mt-2">
          <label>
            <span class="block text-sm">{t.amount}</span>
            <input name="amount" required inputmode="decimal" class={inputClass()} />
          </label>
          <label>
            <span class="block text-sm">{t.reference}</span>
            <input name="reference" required class={inputClass()} />
          </label>
          <button type="submit" class={buttonClass()}>{t.save}</button>
        </div>
      </form>
      <p class="mb-4">
        {t.statement}:{" "}
        <a class={linkClass} href={`/admin/b2b/docs?account=${a.id}&month=${data.month}`}>
          {data.month} (PDF)
        </a>
      </p>
      <h2 class="text-xl font-semibold mb-2">{t.returns}</h2>
      {data.delivered.map(({ order: o, papers }) => (
        <section class="border rounded p-3 mb-4" data-order={o.number}>
          <h3 class="font-semibold">{o.number} · {o.outletName} · {o.deliveryDate}</h3>
          <OrderPapers lang={lang} order={o} papers={papers} base="/admin/b2b/docs" />
          <form method="post">
            {csrf}
            <input type="hidden" name="action" value="return" />
            <input type="hidden" name="orderId" value={o.id} />
            <ListTable heads={[t.line, t.product, t.qty, t.recordReturn]} empty="—">
              {o.lines.map((l) => (
                <tr class="border-t">
                  <td class="px-3 py-2">{l.lineNo}</td>
                  <td class="px-3 py-2">{lang === "bn" ? l.nameBn : l.nameEn}</td>
                  <td class="px-3 py-2">{l.qty}</td>
                  <td class="px-3 py-2">
                    <input
                      name={`qty.${l.lineNo}`}
                      type="number"
                      min="0"
                      max={l.qty}
                      class={inputClass()}
                      aria-label={`${t.qty} ${l.sku}`}
                    />
                  </td>
                </tr>
              ))}
            </ListTable>
            <div class="flex flex-wrap gap-3 items-end mt-2">
              <select name="kind" class={selectClass} aria-label={t.kind}>
                {RETURN_KINDS.map((k) => <option value={k}>{t.kinds[k]}</option>)}
              </select>
              <select name="condition" class={selectClass} aria-label={t.condition}>
                {CONDITIONS.map((c) => <option value={c}>{t.conditions[c]}</option>)}
              </select>
              <input name="reason" required placeholder={t.reason} class={inputClass()} />
              <button type="submit" class={buttonClass()}>{t.recordReturn}</button>
            </div>
          </form>
        </section>
      ))}
    </>
  );
}
