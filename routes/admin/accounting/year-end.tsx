import type { Context, PageProps } from "@/framework/mod.ts";
import { HttpError } from "@/framework/mod.ts";
import { PageTitle } from "@/components/IotUi.tsx";
import type { FiscalYear } from "@/services/accounting/mod.ts";
import type { State } from "@/state.ts";
import { actorOf, blankForm, closeOrReopen, type FormData, formPage } from "./(_accounting)/lib.ts";
import {
  AccountingTabs,
  ChangedCell,
  closeReopenDone,
  CloseReopenForm,
  Done,
  EntryLink,
  Errors,
  Table,
  td,
} from "./(_accounting)/ui.tsx";

interface Data extends FormData {
  years: FiscalYear[];
  done: string | null;
}

async function pageData(ctx: Context<State>, extra: Partial<Data> = {}): Promise<Data> {
  const m = ctx.state.t.accounting.yearEnd;
  const q = ctx.url.searchParams;
  const done = closeReopenDone(q, m, "year").notice;
  ctx.state.title = m.title;
  // The periods list makes today's fiscal year when missing; so does this page.
  await ctx.state.deps.accounting.listPeriods();
  return {
    ...await blankForm(ctx),
    years: await ctx.state.deps.accounting.listFiscalYears(),
    done,
    ...extra,
  };
}

export const handler = formPage(pageData, async (ctx, v) => {
  const accounting = ctx.state.deps.accounting;
  // Like a period close: closeOrReopen asks for the permission and a fresh second factor.
  return await closeOrReopen(ctx, v, {
    target: (v) => {
      const year = v.year ?? "";
      if (!/^\d{4}-\d{2}$/.test(year)) throw new HttpError(400, "Choose a fiscal year");
      return year;
    },
    change: async (year, done) => {
      if (done === "closed") await accounting.closeFiscalYear(year, actorOf(ctx));
      else await accounting.reopenFiscalYear(year, v.reason ?? "", actorOf(ctx));
      return `/admin/accounting/year-end?done=${done}&year=${year}`;
    },
    page: (errors) => pageData(ctx, { values: v, errors }),
  });
});

export default function YearEnd({ data, state }: PageProps<Data, State>) {
  const m = state.t.accounting;
  const t = m.yearEnd;
  return (
    <>
      <PageTitle title={t.title} intro={t.intro} />
      <AccountingTabs m={m} current="yearEnd" />
      <Done text={data.done} />
      <Errors errors={data.errors} m={m} />
      <Table head={[t.year, t.status, t.closingEntry, m.periods.changed, ""]}>
        {data.years.map((y) => (
          <tr data-year={y.code} data-status={y.status}>
            <td class={td}>{y.code} ({y.startsOn} – {y.endsOn})</td>
            <td class={td}>{t[y.status]}</td>
            <td class={td}>
              {y.closingEntryId && <EntryLink id={y.closingEntryId} />}
            </td>
            <ChangedCell at={y.changedAt} by={y.changedByName} />
            <td class={td}>
              <CloseReopenForm
                csrf={data.csrf}
                id={["year", y.code]}
                open={y.status === "open"}
                t={t}
              />
            </td>
          </tr>
        ))}
      </Table>
    </>
  );
}
