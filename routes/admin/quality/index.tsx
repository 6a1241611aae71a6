import type { Handlers, PageProps } from "@/framework/mod.ts";
import { PageTitle } from "@/components/IotUi.tsx";
import { fmtWhen } from "@/components/IotFormat.ts";
import { FilterForm, FilterSelect } from "@/components/AdminFilters.tsx";
import { ListTable } from "@/components/ui.tsx";
import type { QueueEntry } from "@/services/quality/mod.ts";
import type { State } from "@/state.ts";
import { fmtQty, LotLink, StatusBadge, VerdictBadge } from "./(_quality)/ui.tsx";

interface Data {
  entries: QueueEntry[];
  status: "quarantine" | "hold" | null;
  now: number;
}

/** The lots awaiting a quality decision (quarantine and hold), filtered by status. */
export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    const s = ctx.url.searchParams.get("status");
    const status = s === "quarantine" || s === "hold" ? s : null;
    ctx.state.title = `${ctx.state.t.quality.queue.title} — ${ctx.state.t.site.name}`;
    const entries = await ctx.state.deps.quality.awaitingDecision({ status });
    return { data: { entries, status, now: Date.now() } };
  },
};

export default function Queue({ data, state }: PageProps<Data, State>) {
  const t = state.t;
  const q = t.quality;
  const lang = state.lang;
  return (
    <>
      <PageTitle title={q.queue.title} intro={q.queue.intro} />
      <FilterForm action="/admin/quality" submit={t.iot.common.filter}>
        <FilterSelect
          name="status"
          label={q.columns.status}
          value={data.status ?? ""}
          any={q.queue.all}
          options={[["quarantine", q.status.quarantine], ["hold", q.status.hold]]}
        />
      </FilterForm>
      {data.entries.length === 0 ? <p class="text-gray-700">{q.queue.empty}</p> : (
        <ListTable
          cell="p-2"
          heads={[
            q.columns.lot,
            q.columns.item,
            q.columns.location,
            q.columns.status,
            q.columns.onHand,
            q.columns.lastTest,
          ]}
        >
          {data.entries.map((e) => (
            <tr class="border-t border-gray-200" data-queue-lot={e.lot.id}>
              <td class="p-2">
                <LotLink lot={e.lot} />
              </td>
              <td class="p-2">{e.lot.itemName}</td>
              <td class="p-2">{e.lot.locationCode ?? "—"}</td>
              <td class="p-2">
                <StatusBadge status={e.lot.status} t={t} />
                {e.coldChain && <span class="ml-1 text-xs text-red-700">❄ {q.coldChain.title}
                </span>}
              </td>
              <td class="p-2">{fmtQty(lang, e.lot.onHand, e.lot.base)}</td>
              <td class="p-2">
                <VerdictBadge verdict={e.lastVerdict} t={t} />
                {e.lastTestedAt && (
                  <span class="text-gray-600">
                    · {fmtWhen(lang, e.lastTestedAt.getTime(), "—", data.now)}
                  </span>
                )}
              </td>
            </tr>
          ))}
        </ListTable>
      )}
    </>
  );
}
