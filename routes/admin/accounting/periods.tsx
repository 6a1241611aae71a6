import type { Context, PageProps } from "@/framework/mod.ts";
import { HttpError } from "@/framework/mod.ts";
import { PageTitle } from "@/components/IotUi.tsx";
import { buttonClass } from "@/components/ui.tsx";
import { dhakaDate, optionalId, type Period } from "@/services/accounting/mod.ts";
import { fillParams } from "@/services/i18n/mod.ts";
import { requireFreshSecondFactor, requirePermission } from "@/plugins/session.ts";
import type { State } from "@/state.ts";
import { actorOf, blankForm, type FormData, formPage, saveOr } from "./(_accounting)/lib.ts";
import {
  AccountingTabs,
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
  if (v.action !== "close" && v.action !== "reopen") throw new HttpError(400, "Unknown action");
  const id = optionalId(v.periodId);
  if (!id) throw new HttpError(400, "Choose a period");
  // Closing and reopening a period are sensitive (docs/security.md, 3.7.1): the permission,
  // then a second factor at most 5 minutes old, before anything changes.
  requirePermission(ctx, "accounting.manage");
  await requireFreshSecondFactor(ctx);
  return await saveOr(ctx, async () => {
    const p = v.action === "close"
      ? await accounting.closePeriod(id, actorOf(ctx))
      : await accounting.reopenPeriod(id, v.reason ?? "", actorOf(ctx));
    const done = v.action === "close" ? "closed" : "reopened";
    return `/admin/accounting/periods?done=${done}&month=${p.startsOn.slice(0, 7)}`;
  }, (errors) => pageData(ctx, { values: v, errors }));
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
                <td class={`${td} text-xs`}>
                  {p.changedAt ? `${dhakaDate(p.changedAt)} · ${p.changedByName ?? ""}` : ""}
                </td>
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
      <form method="post">
        <input type="hidden" name="_csrf" value={data.csrf} />
        <button type="submit" name="action" value="addYear" class={buttonClass("secondary")}>
          {t.addYear}
        </button>
      </form>
    </>
  );
}
