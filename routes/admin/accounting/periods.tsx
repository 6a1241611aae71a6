import type { Context, PageProps } from "@/framework/mod.ts";
import { HttpError } from "@/framework/mod.ts";
import { PageTitle } from "@/components/IotUi.tsx";
import { buttonClass, PostForm } from "@/components/ui.tsx";
import { optionalId, type Period } from "@/services/accounting/mod.ts";
import { fillParams } from "@/services/i18n/mod.ts";
import type { State } from "@/state.ts";
import {
  actorOf,
  blankForm,
  closeOrReopen,
  type FormData,
  formPage,
  saveOr,
} from "./(_accounting)/lib.ts";
import {
  AccountingTabs,
  ChangedCell,
  closeReopenDone,
  CloseReopenForm,
  Done,
  Errors,
  Table,
  td,
} from "./(_accounting)/ui.tsx";

interface Data extends FormData {
  years: { fiscalYear: string; periods: Period[] }[];
  done: string | null;
}

async function pageData(ctx: Context<State>, extra: Partial<Data> = {}): Promise<Data> {
  const m = ctx.state.t.accounting.periods;
  const q = ctx.url.searchParams;
  const done = closeReopenDone(q, m, "month").notice;
  ctx.state.title = m.title;
  return {
    ...await blankForm(ctx),
    years: await ctx.state.deps.accounting.listPeriods(),
    done,
    ...extra,
  };
}

export const handler = formPage(pageData, async (ctx, v) => {
  const accounting = ctx.state.deps.accounting;
  if (v.action === "addYear") {
    return await saveOr(ctx, async () => {
      await accounting.addFiscalYear(actorOf(ctx));
      return "/admin/accounting/periods";
    }, (errors) => pageData(ctx, { values: v, errors }));
  }
  return await closeOrReopen(ctx, v, {
    target: (v) => {
      const id = optionalId(v.periodId);
      if (!id) throw new HttpError(400, "Choose a period");
      return id;
    },
    change: async (id, done) => {
      const p = done === "closed"
        ? await accounting.closePeriod(id, actorOf(ctx))
        : await accounting.reopenPeriod(id, v.reason ?? "", actorOf(ctx));
      return `/admin/accounting/periods?done=${done}&month=${p.startsOn.slice(0, 7)}`;
    },
    page: (errors) => pageData(ctx, { values: v, errors }),
  });
});

export default function Periods({ data, state }: PageProps<Data, State>) {
  const m = state.t.accounting;
  const t = m.periods;
  return (
    <>
      <PageTitle title={t.title} intro={t.intro} />
      <AccountingTabs m={m} current="periods" />
      <Done text={data.done} />
      <Errors errors={data.errors} m={m} />
      {data.years.map((y) => (
        <section aria-labelledby={`fy-${y.fiscalYear}`}>
          <h2 id={`fy-${y.fiscalYear}`} class="text-lg font-semibold mb-2">
            {fillParams(t.fiscalYear, { code: y.fiscalYear })}
          </h2>
          <Table head={[t.month, t.status, t.changed, ""]}>
            {y.periods.map((p) => (
              <tr data-period={p.startsOn.slice(0, 7)} data-status={p.status}>
                <td class={td}>{p.startsOn} – {p.endsOn}</td>
                <td class={td}>
                  <span
                    class={`inline-block rounded px-2 py-0.5 text-xs ${
                      p.status === "open"
                        ? "bg-green-100 text-green-900"
                        : "bg-gray-200 text-gray-800"
                    }`}
                  >
                    {t[p.status]}
                  </span>
                </td>
                <ChangedCell at={p.changedAt} by={p.changedByName} />
                <td class={td}>
                  <CloseReopenForm
                    csrf={data.csrf}
                    id={["periodId", String(p.id)]}
                    open={p.status === "open"}
                    t={t}
                  />
                </td>
              </tr>
            ))}
          </Table>
        </section>
      ))}
      <PostForm csrf={data.csrf}>
        <button type="submit" name="action" value="addYear" class={buttonClass("secondary")}>
          {t.addYear}
        </button>
      </PostForm>
    </>
  );
}
