import type { Context, PageProps } from "@/framework/mod.ts";
import { PageTitle } from "@/components/IotUi.tsx";
import { buttonClass, linkClass, selectClass } from "@/components/ui.tsx";
import {
  cleanQuery,
  type EntrySummary,
  type Journal,
  JOURNALS,
  optionalId,
} from "@/services/accounting/mod.ts";
import { fillParams } from "@/services/i18n/mod.ts";
import type { State } from "@/state.ts";
import { queryDate } from "../(_accounting)/lib.ts";
import { AccountingTabs, EntryLink, num, Table, taka, td } from "../(_accounting)/ui.tsx";
import { DateField, QueryField } from "../(_accounting)/finance.tsx";

interface Data {
  rows: EntrySummary[];
  next: number | null;
  journals: Journal[];
  filter: Record<string, string>;
}

export const handler = {
  GET: async (ctx: Context<State>) => {
    const q = ctx.url.searchParams;
    const filter = {
      journal: (JOURNALS as readonly string[]).includes(q.get("journal") ?? "")
        ? q.get("journal")!
        : "",
      from: queryDate(ctx, "from", ""),
      to: queryDate(ctx, "to", ""),
      account: cleanQuery(q.get("account"), 20).toUpperCase(),
      source: cleanQuery(q.get("source"), 40),
      q: cleanQuery(q.get("q"), 100),
    };
    const accounting = ctx.state.deps.accounting;
    const before = optionalId(q.get("before"), Number.MAX_SAFE_INTEGER) ?? undefined;
    const [page, journals] = await Promise.all([
      accounting.listEntries({ ...filter, before }),
      accounting.listJournals(),
    ]);
    ctx.state.title = ctx.state.t.accounting.entries.title;
    return { data: { ...page, journals, filter } satisfies Data };
  },
};

export default function Entries({ data, state, url }: PageProps<Data, State>) {
  const m = state.t.accounting;
  const f = data.filter;
  const nextUrl = () => {
    const u = new URL(url);
    u.searchParams.set("before", String(data.next));
    return u.pathname + u.search;
  };
  return (
    <>
      <PageTitle title={m.entries.title} />
      <AccountingTabs m={m} current="entries" />
      <form method="get" class="flex flex-wrap items-end gap-3 mb-4" role="search">
        <label class="text-sm">
          {m.common.journal}
          <select name="journal" class={`${selectClass} block`}>
            <option value="">{m.common.all}</option>
            {data.journals.map((j) => (
              <option value={j.code} selected={f.journal === j.code}>
                {state.lang === "bn" ? j.nameBn : j.nameEn}
              </option>
            ))}
          </select>
        </label>
        <DateField name="from" label={m.common.from} value={f.from} />
        <DateField name="to" label={m.common.to} value={f.to} />
        <QueryField name="account" label={m.common.accountCode} value={f.account} width="w-28" />
        <QueryField name="source" label={m.common.source} value={f.source} width="w-32" />
        <QueryField name="q" label={m.entries.search} value={f.q} />
        <button type="submit" class={buttonClass("secondary")}>{m.common.show}</button>
      </form>
      {data.rows.length === 0 ? <p class="text-gray-600">{m.common.none}</p> : (
        <Table
          head={[
            m.common.entry,
            m.common.date,
            m.common.journal,
            m.common.memo,
            m.common.source,
            m.common.total,
          ]}
        >
          {data.rows.map((e) => (
            <tr data-entry={e.id}>
              <td class={td}>
                <EntryLink id={e.id} />
                {e.number && <span class="block text-xs text-gray-600" data-number>{e.number}
                </span>}
              </td>
              <td class={`${td} whitespace-nowrap`}>{e.date}</td>
              <td class={td}>{e.journal}</td>
              <td class={td}>
                {e.memo}
                {e.reversedBy !== null && (
                  <span class="ml-1 text-xs text-red-800">
                    ({fillParams(m.entries.reversed, { id: `#${e.reversedBy}` })})
                  </span>
                )}
                {e.reversalOf !== null && (
                  <span class="ml-1 text-xs text-gray-600">
                    ({fillParams(m.entries.reversalOf, { id: `#${e.reversalOf}` })})
                  </span>
                )}
              </td>
              <td class={`${td} text-xs`}>{e.source} · {e.sourceRef.slice(0, 40)}</td>
              <td class={num}>{taka(e.totalMinor, state.lang)}</td>
            </tr>
          ))}
        </Table>
      )}
      {data.next !== null && <a class={linkClass} href={nextUrl()}>{m.common.next}</a>}
    </>
  );
}
