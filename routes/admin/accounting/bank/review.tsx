import type { Context, PageProps } from "@/framework/mod.ts";
import { HttpError } from "@/framework/mod.ts";
import { PageTitle } from "@/components/IotUi.tsx";
import { buttonClass, inputClass, selectClass } from "@/components/ui.tsx";
import type { BankAccount, Candidate, StoredLine } from "@/services/accounting/mod.ts";
import { fillParams } from "@/services/i18n/mod.ts";
import type { State } from "@/state.ts";
import { actorOf, blankForm, type Errors, formPage } from "../(_accounting)/lib.ts";
import {
  AccountingTabs,
  Done,
  EntryLink,
  Errors as ErrorList,
  num,
  Table,
  taka,
  td,
} from "../(_accounting)/ui.tsx";
import { bankErrors, BankTabs, bankText, idOf, refusalStatus, seeBank } from "./(_bank)/ui.tsx";

interface Data {
  csrf: string;
  accounts: BankAccount[];
  account: number | null;
  queue: (StoredLine & { candidates: Candidate[] })[];
  recent: StoredLine[];
  errors: Errors;
  /** The line the refusal is about (its form shows the message). */
  errorLine: number | null;
  done: string | null;
}

const SHOWN = 100;

async function pageData(ctx: Context<State>, extra: Partial<Data> = {}): Promise<Data> {
  const bank = ctx.state.deps.accounting.bank;
  const b = bankText(ctx.state.lang);
  const q = ctx.url.searchParams;
  const account = idOf(q.get("account"));
  const lines = (await bank.queue(account ?? undefined)).slice(0, SHOWN);
  const queue = [];
  for (const l of lines) queue.push({ ...l, candidates: await bank.candidates(l.id) });
  const recent = await bank.recent(account ?? undefined, 20);
  const id = q.get("line") ?? "";
  const done = q.get("done") === "matched"
    ? fillParams(b.review.matched, { id })
    : q.get("done") === "posted"
    ? fillParams(b.review.posted, { id })
    : q.get("done") === "unmatched"
    ? fillParams(b.review.unmatched, { id })
    : q.get("done") === "rematched"
    ? fillParams(b.review.rematched, { matched: Number(q.get("matched") ?? 0) || 0 })
    : null;
  ctx.state.title = b.review.title;
  return {
    ...await blankForm(ctx),
    accounts: await bank.listAccounts(),
    account,
    queue,
    recent,
    errorLine: null,
    done,
    ...extra,
  };
}

export const handler = formPage(pageData, async (ctx, v) => {
  const bank = ctx.state.deps.accounting.bank;
  const actor = actorOf(ctx);
  const back = (done: string, params: Record<string, string> = {}) =>
    seeBank(ctx, "/admin/accounting/bank/review", {
      ...(ctx.url.searchParams.get("account")
        ? { account: ctx.url.searchParams.get("account")! }
        : {}),
      done,
      ...params,
    });
  const lineId = idOf(v.line);
  try {
    if (v.action === "rematch") {
      const account = idOf(v.account);
      if (!account) throw new HttpError(400, "Choose an account");
      const r = await bank.rematch(account, actor);
      return back("rematched", { matched: String(r.matched) });
    }
    if (!lineId) throw new HttpError(400, "Choose a line");
    if (v.action === "match") {
      await bank.match(lineId, v.candidate ?? "", actor);
      return back("matched", { line: String(lineId) });
    }
    if (v.action === "post") {
      if (!(v.postAccount ?? "").trim()) {
        return {
          status: 422,
          data: await pageData(ctx, {
            errors: { postAccount: [ctx.state.t.accounting.fields["Required"]] },
            errorLine: lineId,
          }),
        };
      }
      await bank.postLine(lineId, { account: v.postAccount ?? "", memo: v.memo }, actor);
      return back("posted", { line: String(lineId) });
    }
    if (v.action === "unmatch") {
      await bank.unmatch(lineId);
      return back("unmatched", { line: String(lineId) });
    }
    throw new HttpError(400, "Unknown action");
  } catch (e) {
    if (e instanceof HttpError) throw e;
    return {
      status: refusalStatus(e),
      data: await pageData(ctx, { errors: bankErrors(e, ctx.state.lang), errorLine: lineId }),
    };
  }
});

export default function Review({ data, state }: PageProps<Data, State>) {
  const m = state.t.accounting;
  const b = bankText(state.lang);
  const lang = state.lang;
  const csrf = <input type="hidden" name="_csrf" value={data.csrf} />;
  const accountOf = (id: number) => data.accounts.find((a) => a.id === id);
  /** A statement line's date, bank account, reference (over its description) and amount. */
  const lineCells = (l: StoredLine) => (
    <>
      <td class={td}>{l.valueDate}</td>
      <td class={td}>{accountOf(l.bankAccountId)?.code}</td>
      <td class={td}>
        {l.reference}
        <div class="text-xs text-gray-600">{l.description}</div>
      </td>
      <td class={num}>{taka(l.amountMinor, lang)}</td>
    </>
  );
  return (
    <>
      <PageTitle title={b.review.title} intro={b.review.intro} />
      <AccountingTabs m={m} current="bank" />
      <BankTabs b={b} current="review" />
      <Done text={data.done} />
      <ErrorList errors={data.errors} m={m} />
      <form method="get" class="flex flex-wrap gap-2 items-end mb-4">
        <label class="text-sm">
          {b.recon.account}
          <select name="account" class={`${selectClass} block`}>
            <option value="">{m.common.all}</option>
            {data.accounts.map((a) => (
              <option value={String(a.id)} selected={a.id === data.account}>
                {a.code} · {a.bankName}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" class={buttonClass("secondary")}>{b.recon.show}</button>
      </form>
      {data.account && (
        <form method="post" class="mb-4">
          {csrf}
          <input type="hidden" name="account" value={String(data.account)} />
          <button type="submit" name="action" value="rematch" class={buttonClass("secondary")}>
            {b.review.rematch}
          </button>
        </form>
      )}
      {data.queue.length === 0 ? <p class="mb-6">{b.review.none}</p> : (
        <Table
          head={[b.review.date, b.recon.account, b.review.reference, {
            label: b.review.amount,
            class: "text-right",
          }, b.review.candidates]}
        >
          {data.queue.map((l) => (
            <tr data-line={String(l.id)} class="align-top">
              {lineCells(l)}
              <td class={td}>
                {l.candidates.length === 0
                  ? <p class="text-sm text-gray-600 mb-2">{b.review.noCandidate}</p>
                  : (
                    <form method="post" class="mb-2" data-match-form>
                      {csrf}
                      <input type="hidden" name="line" value={String(l.id)} />
                      {l.candidates.map((c, i) => (
                        <label class="block text-sm">
                          <input
                            type="radio"
                            name="candidate"
                            value={c.key}
                            checked={i === 0}
                            class="mr-1"
                          />
                          {c.date} · {c.kind === "payment" ? b.review.payment : b.review.ledger}
                          {" · "}
                          {c.label}
                          {c.refHit && (
                            <span class="ml-1 text-xs text-green-800">({b.review.hit})</span>
                          )}
                        </label>
                      ))}
                      <button
                        type="submit"
                        name="action"
                        value="match"
                        class={`${buttonClass("small")} mt-1`}
                      >
                        {b.review.match}
                      </button>
                    </form>
                  )}
                <form method="post" class="flex flex-wrap gap-1 items-center" data-post-form>
                  {csrf}
                  <input type="hidden" name="line" value={String(l.id)} />
                  <input
                    name="postAccount"
                    aria-label={b.review.postTo}
                    placeholder={b.review.postTo}
                    maxLength={20}
                    class={`${
                      inputClass(data.errorLine === l.id && !!data.errors.postAccount)
                    } w-36`}
                  />
                  <input
                    name="memo"
                    aria-label={b.review.memo}
                    placeholder={b.review.memo}
                    maxLength={300}
                    class={`${inputClass()} w-40`}
                  />
                  <button type="submit" name="action" value="post" class={buttonClass("small")}>
                    {b.review.post}
                  </button>
                </form>
              </td>
            </tr>
          ))}
        </Table>
      )}
      {data.recent.length > 0 && (
        <>
          <h2 class="text-lg font-semibold mb-2">{b.review.recent}</h2>
          <Table
            head={[b.review.date, b.recon.account, b.review.reference, {
              label: b.review.amount,
              class: "text-right",
            }, ""]}
          >
            {data.recent.map((l) => (
              <tr data-done-line={String(l.id)} data-status={l.status}>
                {lineCells(l)}
                <td class={td}>
                  {l.entryId && <EntryLink id={l.entryId} />}
                  {l.matchedByName && (
                    <span class="text-xs text-gray-600">
                      {" "}
                      {fillParams(b.review.by, { name: l.matchedByName })}
                    </span>
                  )}
                  {l.status === "matched" && (
                    <form method="post" class="inline ml-2">
                      {csrf}
                      <input type="hidden" name="line" value={String(l.id)} />
                      <button
                        type="submit"
                        name="action"
                        value="unmatch"
                        class={buttonClass("small")}
                      >
                        {b.review.unmatch}
                      </button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </Table>
        </>
      )}
    </>
  );
}
