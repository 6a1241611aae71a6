import type { Context, PageProps } from "@/framework/mod.ts";
import { PageTitle } from "@/components/IotUi.tsx";
import type { Ageing } from "@/services/accounting/mod.ts";
import type { State } from "@/state.ts";
import { queryDate } from "../(_accounting)/lib.ts";
import { AccountingTabs } from "../(_accounting)/ui.tsx";
import { AgeingBody, arap } from "../(_accounting)/arap.tsx";

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
      <AgeingBody ageing={data.ageing} lang={state.lang} side="payable" />
    </>
  );
}
