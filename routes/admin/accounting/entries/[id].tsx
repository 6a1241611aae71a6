import type { Context, PageProps } from "@/framework/mod.ts";
import { HttpError } from "@/framework/mod.ts";
import { PageTitle, TextField } from "@/components/IotUi.tsx";
import { buttonClass, linkClass, PostForm } from "@/components/ui.tsx";
import { dhakaDate, dhakaTime, type Entry, pathId } from "@/services/accounting/mod.ts";
import { fillParams } from "@/services/i18n/mod.ts";
import type { State } from "@/state.ts";
import { actorOf, blankForm, type FormData, formPage, saveOr } from "../(_accounting)/lib.ts";
import {
  AccountingTabs,
  amount,
  Done,
  EntryLink,
  Errors,
  num,
  Table,
  taka,
  td,
} from "../(_accounting)/ui.tsx";

interface Data extends FormData {
  entry: Entry;
  posted: boolean;
}

async function pageData(ctx: Context<State>, extra: Partial<Data> = {}): Promise<Data> {
  const accounting = ctx.state.deps.accounting;
  const entry = await accounting.getEntry(pathId(ctx.params.id, Number.MAX_SAFE_INTEGER));
  if (!entry) throw new HttpError(404, "No such journal entry");
  ctx.state.title = fillParams(ctx.state.t.accounting.entries.detail, { id: `#${entry.id}` });
  return {
    ...await blankForm(ctx),
    entry,
    posted: ctx.url.searchParams.has("posted"),
    values: { date: accounting.today() },
    ...extra,
  };
}

export const handler = formPage(pageData, async (ctx, v) => {
  const id = pathId(ctx.params.id, Number.MAX_SAFE_INTEGER);
  if (v.action !== "reverse") throw new HttpError(400, "Unknown action");
  return await saveOr(ctx, async () => {
    const r = await ctx.state.deps.accounting.reverseEntry(id, {
      date: v.date ?? "",
      memo: v.memo ?? "",
    }, actorOf(ctx));
    return `/admin/accounting/entries/${r.id}?posted`;
  }, (errors) => pageData(ctx, { values: v, errors }));
});

export default function EntryPage({ data, state }: PageProps<Data, State>) {
  const m = state.t.accounting;
  const t = m.entries;
  const e = data.entry;
  const lang = state.lang;
  const form = { values: data.values, errors: data.errors };
  const entryLink = (id: number) => <EntryLink id={id} />;
  return (
    <>
      <PageTitle title={fillParams(t.detail, { id: `#${e.id}` })} intro={e.memo} />
      <AccountingTabs m={m} current="entries" />
      <Done text={data.posted ? fillParams(t.posted, { id: `#${e.id}` }) : null} />
      <dl class="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 mb-4 text-sm">
        <dt class="font-medium">{m.common.date}</dt>
        <dd>{e.date}</dd>
        <dt class="font-medium">{m.common.journal}</dt>
        <dd>{e.journal}</dd>
        <dt class="font-medium">{t.number}</dt>
        <dd data-number>{e.number ?? t.numberPending}</dd>
        <dt class="font-medium">{m.common.source}</dt>
        <dd>{e.source} · {e.sourceRef}</dd>
      </dl>
      <p class="text-sm text-gray-600 mb-2">
        {fillParams(t.postedBy, {
          name: e.createdByName || "—",
          at: `${dhakaDate(e.postedAt)} ${dhakaTime(e.postedAt)}`,
        })}
      </p>
      {e.reversalOf !== null && (
        <p class="mb-2" data-reversal-of={e.reversalOf}>
          {t.isReversalOf.split("{id}")[0]}
          {entryLink(e.reversalOf)}
          {t.isReversalOf.split("{id}")[1]}
        </p>
      )}
      {e.reversedBy !== null && (
        <p class="mb-2 text-red-800" data-reversed-by={e.reversedBy}>
          {t.reversedBy.split("{id}")[0]}
          {entryLink(e.reversedBy)}
          {t.reversedBy.split("{id}")[1]}
        </p>
      )}
      <Table
        head={[m.common.account, m.common.memo, m.common.partner, m.common.debit, m.common.credit]}
      >
        {e.lines.map((l) => (
          <tr>
            <td class={td}>
              <a
                class={linkClass}
                href={`/admin/accounting/reports/ledger?account=${
                  encodeURIComponent(l.accountCode)
                }&from=${e.date}&to=${e.date}`}
              >
                {l.accountCode}
              </a>{" "}
              {lang === "bn" ? l.accountNameBn : l.accountNameEn}
            </td>
            <td class={td}>{l.memo}</td>
            <td class={td}>{l.partnerRef ?? ""}</td>
            <td class={num}>{amount(l.debitMinor, lang)}</td>
            <td class={num}>{amount(l.creditMinor, lang)}</td>
          </tr>
        ))}
        <tr class="font-semibold">
          <td class={td} colSpan={3}>{m.common.total}</td>
          <td class={num}>{taka(e.totalMinor, lang)}</td>
          <td class={num}>{taka(e.totalMinor, lang)}</td>
        </tr>
      </Table>
      {e.reversedBy === null && (
        <section aria-labelledby="reverse" class="max-w-xl">
          <h2 id="reverse" class="text-lg font-semibold mb-2">{t.reverse}</h2>
          <p class="text-sm text-gray-700 mb-2">{t.reverseHint}</p>
          <Errors errors={data.errors} m={m} />
          <PostForm csrf={data.csrf} actionField="reverse" novalidate>
            <TextField id="date" label={t.reverseDate} placeholder="YYYY-MM-DD" {...form} />
            <TextField id="memo" label={m.common.memo} maxLength={300} {...form} />
            <button type="submit" class={buttonClass("danger")}>{t.reverse}</button>
          </PostForm>
        </section>
      )}
    </>
  );
}
