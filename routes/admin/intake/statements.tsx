import { formatTaka } from "@/services/i18n/mod.ts";
import { PAY_METHODS, periodOf, type Statement } from "@/services/intake/mod.ts";
import { Button, linkClass } from "@/components/ui.tsx";
import { ActionForm, Input, IntakeFrame, Select, Table } from "./(_intake)/kit.tsx";
import { done, intakeScreen, one, type ScreenProps } from "./(_intake)/screen.ts";

interface Page {
  period: { start: string; end: string };
  statements: Statement[];
}

const HERE = "/admin/intake/statements";

/** Ten-day farmer statements: build them for a period, mark payouts paid, download the files. */
export const handler = intakeScreen<Page>(
  "statements",
  async (ctx) => {
    const intake = ctx.state.deps.intake;
    const asked = ctx.url.searchParams.get("day") ?? "";
    const day = /^\d{4}-\d{2}-\d{2}$/.test(asked) && !Number.isNaN(Date.parse(asked))
      ? asked
      : intake.today();
    const period = periodOf(day);
    return { period, statements: await intake.listStatements({ periodStart: period.start }) };
  },
  {
    async build(ctx, v, actor) {
      const r = await ctx.state.deps.intake.buildStatements(v, actor);
      return done(`${HERE}?day=${r.periodStart}`, ctx.state.t.intake.statements.built, {
        n: r.statements,
        start: r.periodStart,
        end: r.periodEnd,
      });
    },
    async pay(ctx, v, actor) {
      const r = await ctx.state.deps.intake.markPaid(v, actor);
      return done(
        `${HERE}?day=${encodeURIComponent(one(v.day))}`,
        ctx.state.t.intake.statements.paid,
        { n: r.paid },
      );
    },
  },
);

export default function Statements({ data, state, url }: ScreenProps<Page>) {
  const m = state.t.intake;
  const lang = state.lang;
  const { period, statements } = data.page;
  const tk = (v: number) => formatTaka(v, lang);
  const open = statements.filter((s) => s.status === "open");
  return (
    <IntakeFrame state={state} url={url} screen={data}>
      <div class="flex flex-wrap items-end gap-3 mb-4">
        <form method="get" class="flex items-end gap-2">
          <Input name="day" label={m.f.period} type="date" value={period.start} screen={data} />
          <Button kind="small">{m.farmers.search}</Button>
        </form>
        <ActionForm screen={data} action="build" hidden={{ day: period.start }}>
          <Button kind="secondary">{m.statements.build}</Button>
        </ActionForm>
        <a class={linkClass} href={`/admin/intake/payout?day=${period.start}&kind=bkash`}>
          {m.statements.bkashFile}
        </a>
        <a class={linkClass} href={`/admin/intake/payout?day=${period.start}&kind=bank`}>
          {m.statements.bankFile}
        </a>
      </div>
      <p class="mb-2 font-medium">{period.start} – {period.end}</p>
      <ActionForm screen={data} action="pay" hidden={{ day: period.start }}>
        <Table
          empty={m.statements.none}
          head={[
            "",
            m.f.farmer,
            m.f.litres,
            m.f.avgFat,
            m.f.avgSnf,
            m.f.rejected,
            m.f.gross,
            m.f.deductions,
            m.f.net,
            m.f.status,
          ]}
          rows={statements.map((s) => [
            s.status === "open"
              ? <input type="checkbox" name="ids" value={s.id} aria-label={s.farmerName} />
              : "",
            `${s.farmerCode} · ${s.farmerName}`,
            s.litres,
            s.avgFat ?? "—",
            s.avgSnf ?? "—",
            s.rejected,
            tk(s.grossMinor),
            tk(s.deductionsMinor),
            <strong>{tk(s.netMinor)}</strong>,
            s.status === "paid"
              ? `${m.status.paid} · ${m.payVia[s.paidVia ?? ""] ?? ""} ${s.paidRef ?? ""}`
              : m.status.open,
          ])}
        />
        {open.length > 0 && (
          <div class="flex flex-wrap items-end gap-3">
            <Select
              name="via"
              label={m.f.paidVia}
              screen={data}
              options={PAY_METHODS.map((x) => [x, m.payVia[x]])}
            />
            <Input name="ref" label={m.f.reference} screen={data} />
            <div class="mb-4">
              <Button>{m.statements.markPaid}</Button>
            </div>
            <p class="mb-4 text-gray-700">
              {m.statements.total}: {tk(open.reduce((a, s) => a + s.netMinor, 0))}
            </p>
          </div>
        )}
      </ActionForm>
    </IntakeFrame>
  );
}
