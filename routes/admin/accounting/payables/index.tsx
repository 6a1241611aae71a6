import type { Context, PageProps } from "@/framework/mod.ts";
import { PageTitle } from "@/components/IotUi.tsx";
import { buttonClass, inputClass, linkClass } from "@/components/ui.tsx";
import type { Ageing } from "@/services/accounting/mod.ts";
import type { State } from "@/state.ts";
import { queryDate } from "../(_accounting)/lib.ts";
import { AccountingTabs } from "../(_accounting)/ui.tsx";
import { AgeingTable, arap } from "../(_accounting)/arap.tsx";

interface Data {
  ageing: Ageing;
}

export const handler = {
  GET: async (ctx: Context<State>) => {
    const acc = ctx.state.deps.accounting;
    const asOf = queryDate(ctx, "asOf", acc.today());
    ctx.state.title = arap(ctx.state.lang).apAgeing;
    return { data: { ageing: await acc.ageing({ side: "payable", asOf }) } satisfies Data };
  },
};

export default function Payables({ data, state }: PageProps<Data, State>) {
  const t = arap(state.lang);
  return (
    <>
      <PageTitle title={t.apAgeing} />
      <AccountingTabs m={state.t.accounting} current="payables" />
      <div class="flex flex-wrap items-end gap-3 mb-4">
        <form method="get" class="flex items-end gap-3">
          <label class="text-sm">
            {t.asOf}
            <input
              name="asOf"
              type="date"
              value={data.ageing.asOf}
              class={`${inputClass()} block`}
            />
          </label>
          <button type="submit" class={buttonClass("secondary")}>{t.show}</button>
        </form>
        <a class={linkClass} href="/admin/accounting/allocate?side=payable">{t.allocate}</a>
      </div>
      {data.ageing.rows.length === 0
        ? <p>{t.none}</p>
        : <AgeingTable ageing={data.ageing} lang={state.lang} />}
    </>
  );
}
