import type { Context, PageProps } from "@/framework/mod.ts";
import { PageTitle } from "@/components/IotUi.tsx";
import { buttonClass, inputClass, linkClass, selectClass } from "@/components/ui.tsx";
import { type BankAccount, CSV_PRESETS, SETTLEMENT_PRESETS } from "@/services/accounting/mod.ts";
import { fillParams } from "@/services/i18n/mod.ts";
import type { State } from "@/state.ts";
import { actorOf, blankForm, type Errors, formPage } from "../(_accounting)/lib.ts";
import { AccountingTabs, Done, Errors as ErrorList, Table, td } from "../(_accounting)/ui.tsx";
import { bankErrors, BankTabs, bankText, idOf, refusalStatus, seeBank } from "./(_bank)/ui.tsx";

interface Data {
  csrf: string;
  accounts: (BankAccount & { toReview: number })[];
  values: Record<string, string>;
  errors: Errors;
  done: string | null;
}

const MAX_FILE = 2_000_000;

async function pageData(ctx: Context<State>, extra: Partial<Data> = {}): Promise<Data> {
  const bank = ctx.state.deps.accounting.bank;
  const b = bankText(ctx.state.lang);
  const q = ctx.url.searchParams;
  const n = (k: string) => Number(q.get(k) ?? 0) || 0;
  const done = q.get("done") === "statement"
    ? fillParams(b.import.done, {
      lines: n("lines"),
      added: n("added"),
      duplicates: n("duplicates"),
      matched: n("matched"),
      review: n("review"),
    })
    : q.get("done") === "settlement"
    ? fillParams(b.import.doneSettlement, {
      lines: n("lines"),
      added: n("added"),
      duplicates: n("duplicates"),
    })
    : null;
  const queue = await bank.queue();
  const accounts = (await bank.listAccounts()).map((a) => ({
    ...a,
    toReview: queue.filter((l) => l.bankAccountId === a.id).length,
  }));
  ctx.state.title = b.title;
  return {
    ...await blankForm(ctx),
    accounts,
    values: { account: q.get("account") ?? String(accounts[0]?.id ?? "") },
    done,
    ...extra,
  };
}

export const handler = formPage(pageData, async (ctx, v) => {
  const file = ctx.form?.get("file");
  let text = v.text ?? "";
  let fileName = "";
  if (file instanceof File && file.size > 0) {
    fileName = file.name;
    text = file.size > MAX_FILE ? "x".repeat(MAX_FILE + 1) : await file.text();
  }
  const id = idOf(v.account);
  if (!id) {
    const errors = { account: [ctx.state.t.accounting.fields["Choose one"]] };
    return { status: 422, data: await pageData(ctx, { values: v, errors }) };
  }
  try {
    const r = await ctx.state.deps.accounting.bank.importFile(
      { bankAccountId: id, text, fileName },
      actorOf(ctx),
    );
    return seeBank(ctx, "/admin/accounting/bank", {
      done: r.kind === "settlement" ? "settlement" : "statement",
      account: String(id),
      lines: String(r.lines),
      added: String(r.added),
      duplicates: String(r.duplicates),
      matched: String(r.matched),
      review: String(r.review),
    });
  } catch (e) {
    return {
      status: refusalStatus(e),
      data: await pageData(ctx, {
        values: { account: v.account ?? "" },
        errors: bankErrors(e, ctx.state.lang),
      }),
    };
  }
});

export default function BankPage({ data, state }: PageProps<Data, State>) {
  const m = state.t.accounting;
  const b = bankText(state.lang);
  return (
    <>
      <PageTitle title={b.title} intro={b.intro} />
      <AccountingTabs m={m} current="bank" />
      <BankTabs b={b} current="import" />
      <Done text={data.done} />
      <ErrorList errors={data.errors} m={m} />
      <form
        method="post"
        action="/admin/accounting/bank"
        enctype="multipart/form-data"
        novalidate
        class="max-w-2xl mb-8"
        data-testid="bank-import"
      >
        <h2 class="text-lg font-semibold mb-2">{b.import.title}</h2>
        <p class="text-sm text-gray-600 mb-3">{b.import.hint}</p>
        <input type="hidden" name="_csrf" value={data.csrf} />
        <label for="account" class="block text-sm font-medium mb-1">{b.import.account}</label>
        <select id="account" name="account" class={`${selectClass} mb-3 block`}>
          {data.accounts.map((a) => (
            <option value={String(a.id)} selected={String(a.id) === data.values.account}>
              {a.code} · {a.bankName}
              {a.accountNumber ? ` · ${a.accountNumber}` : ""}
            </option>
          ))}
        </select>
        <label for="file" class="block text-sm font-medium mb-1">{b.import.file}</label>
        <input
          id="file"
          name="file"
          type="file"
          accept=".csv,.txt,.xml,text/csv,application/xml,text/xml"
          class="mb-3 block"
          aria-invalid={data.errors.file ? "true" : undefined}
        />
        <label for="text" class="block text-sm font-medium mb-1">{b.import.paste}</label>
        <textarea
          id="text"
          name="text"
          rows={4}
          class={`${inputClass(!!data.errors.file)} w-full font-mono mb-3`}
        />
        <button type="submit" class={buttonClass()}>{b.import.submit}</button>
      </form>

      <h2 class="text-lg font-semibold mb-2">{b.accounts.title}</h2>
      <Table
        head={[
          b.accounts.account,
          b.accounts.bank,
          b.accounts.number,
          b.accounts.layout,
          b.accounts.unmatched,
          "",
        ]}
      >
        {data.accounts.map((a) => (
          <tr data-bank-account={a.code}>
            <td class={td}>{a.code} · {a.accountName}</td>
            <td class={td}>
              {a.bankName}
              <span class="text-xs text-gray-500 ml-1">
                ({a.kind === "wallet" ? b.accounts.kindWallet : b.accounts.kindBank})
              </span>
            </td>
            <td class={td}>{a.accountNumber}</td>
            <td class={`${td} text-xs`}>
              {a.provider
                ? SETTLEMENT_PRESETS[a.provider].sample
                : (CSV_PRESETS[a.format.preset ?? ""]?.sample ?? "") + " · camt.053"}
            </td>
            <td class={td}>
              {a.toReview > 0 && (
                <a class={linkClass} href={`/admin/accounting/bank/review?account=${a.id}`}>
                  {a.toReview}
                </a>
              )}
            </td>
            <td class={td}>
              <a class={linkClass} href={`/admin/accounting/bank/${a.id}`}>{b.accounts.edit}</a>
              {" · "}
              <a class={linkClass} href={`/admin/accounting/bank/reconciliation?account=${a.id}`}>
                {b.tabs.reconciliation}
              </a>
            </td>
          </tr>
        ))}
      </Table>
      <a class={linkClass} href="/admin/accounting/bank/new">{b.accounts.add}</a>
    </>
  );
}
