import type { Context, PageProps } from "@/framework/mod.ts";
import { PageTitle } from "@/components/IotUi.tsx";
import { buttonClass, PostForm } from "@/components/ui.tsx";
import type { Ageing } from "@/services/accounting/mod.ts";
import type { State } from "@/state.ts";
import { queryDate, seeOther } from "../(_accounting)/lib.ts";
import { AccountingTabs, Done } from "../(_accounting)/ui.tsx";
import { AgeingBody, arap } from "../(_accounting)/arap.tsx";

interface Data {
  ageing: Ageing;
  csrf: string;
  done: string | null;
}

export const handler = {
  GET: async (ctx: Context<State>) => {
    const acc = ctx.state.deps.accounting;
    const asOf = queryDate(ctx, "asOf", acc.today());
    const t = arap(ctx.state.lang);
    ctx.state.title = t.arAgeing;
    const sent = ctx.url.searchParams.get("reminded");
    return {
      data: {
        ageing: await acc.ageing({ side: "receivable", asOf }),
        csrf: await ctx.csrfToken(),
        done: sent && /^\d{1,5}$/.test(sent) ? t.dunningDone(Number(sent)) : null,
      } satisfies Data,
    };
  },
  /** Sends the reminders that are due now (the daily job does the same). */
  POST: async (ctx: Context<State>) => {
    const sent = await ctx.state.deps.accounting.runDunning();
    return seeOther(`/admin/accounting/receivables?reminded=${sent.length}`);
  },
};

export default function Receivables({ data, state }: PageProps<Data, State>) {
  const t = arap(state.lang);
  return (
    <>
      <PageTitle title={t.arAgeing} />
      <AccountingTabs m={state.t.accounting} current="receivables" />
      <Done text={data.done} />
      <AgeingBody ageing={data.ageing} lang={state.lang} side="receivable">
        <PostForm csrf={data.csrf}>
          <button type="submit" class={buttonClass("secondary")}>{t.runDunning}</button>
        </PostForm>
      </AgeingBody>
    </>
  );
}
