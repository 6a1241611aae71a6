import type { Handlers, PageProps } from "@/framework/mod.ts";
import { PageTitle } from "@/components/IotUi.tsx";
import { fmtWhen } from "@/components/IotFormat.ts";
import { FilterForm } from "@/components/AdminFilters.tsx";
import { linkClass, ListTable } from "@/components/ui.tsx";
import type { ColdChainHold } from "@/services/quality/mod.ts";
import type { State } from "@/state.ts";
import { fmtQty, LotLink, StatusBadge } from "./(_quality)/ui.tsx";

interface Data {
  holds: ColdChainHold[];
  openOnly: boolean;
  now: number;
}

/** The lots the cold chain held (a critical temperature alarm where they were stored). */
export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    const openOnly = ctx.url.searchParams.get("open") === "1";
    ctx.state.title = `${ctx.state.t.quality.coldChain.title} — ${ctx.state.t.site.name}`;
    const holds = await ctx.state.deps.quality.coldChainHolds({ openOnly });
    return { data: { holds, openOnly, now: Date.now() } };
  },
};

export default function ColdChain({ data, state }: PageProps<Data, State>) {
  const t = state.t;
  const c = t.quality.coldChain;
  const cols = t.quality.columns;
  const lang = state.lang;
  return (
    <>
      <PageTitle title={c.title} intro={c.intro} />
      <FilterForm action="/admin/quality/cold-chain" submit={t.iot.common.filter}>
        <label class="text-sm flex items-center gap-1">
          <input type="checkbox" name="open" value="1" checked={data.openOnly} /> {c.openOnly}
        </label>
      </FilterForm>
      {data.holds.length === 0 ? <p class="text-gray-700">{c.empty}</p> : (
        <ListTable
          cell="p-2"
          heads={[cols.lot, cols.item, cols.status, cols.onHand, c.alarm, c.heldAt]}
        >
          {data.holds.map((h) => (
            <tr class="border-t border-gray-200" data-held-lot={h.lotId}>
              <td class="p-2">{h.lot ? <LotLink lot={h.lot} /> : h.lotId}</td>
              <td class="p-2">{h.lot?.itemName ?? "—"}</td>
              <td class="p-2">{h.lot && <StatusBadge status={h.lot.status} t={t} />}</td>
              <td class="p-2">{h.lot ? fmtQty(lang, h.lot.onHand, h.lot.base) : "—"}</td>
              <td class="p-2">
                <a href={`/admin/iot/alarms/${h.alarmId}`} class={linkClass}>#{h.alarmId}</a>{" "}
                <code class="text-xs">{h.deviceId}</code>
                <p class="text-gray-700 break-words">{h.message}</p>
              </td>
              <td class="p-2">{fmtWhen(lang, h.heldAt.getTime(), "—", data.now)}</td>
            </tr>
          ))}
        </ListTable>
      )}
    </>
  );
}
