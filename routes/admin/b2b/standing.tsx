import type { Handlers, PageProps } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import { formValues } from "@/plugins/forms.ts";
import { addDays, dhakaDate, type StandingRunResult, ValidationError } from "@/services/b2b/mod.ts";
import { ListTable, PostForm, StatusPill } from "@/components/ui.tsx";
import {
  adminB2bPage,
  b2bStaff,
  fieldErrors,
  more,
  msgs,
  PortalField,
} from "@/routes/b2b/(_lib)/web.tsx";

/** Staff: the standing-order calendar of the next two weeks, the days without B2B deliveries. */

const DAYS = 14;
type Calendar = Awaited<ReturnType<State["deps"]["b2b"]["standingCalendar"]>>;

interface Data {
  from: string;
  calendar: Calendar;
  holidays: { day: string; name: string }[];
  ran: StandingRunResult | null;
  errors: Record<string, string>;
  csrf: string;
}

const OUTCOME_COLORS: Record<string, string> = {
  planned: "bg-blue-100 text-blue-900",
  ordered: "bg-green-100 text-green-900",
  holiday: "bg-gray-200 text-gray-800",
  failed: "bg-red-100 text-red-900",
};

async function show(
  ctx: Parameters<Handlers<Data, State>["GET"] & object>[0],
  extra: { ran?: StandingRunResult; errors?: Record<string, string> } = {},
  status = 200,
) {
  const b2b = ctx.state.deps.b2b;
  const from = dhakaDate(b2b.now());
  return await adminB2bPage(ctx, more(ctx.state.lang).calendarTitle, status, {
    from,
    calendar: await b2b.standingCalendar(from, DAYS),
    holidays: await b2b.holidays(from, addDays(from, 365)),
    ran: extra.ran ?? null,
    errors: extra.errors ?? {},
  });
}

export const handler: Handlers<Data, State> = {
  GET: (ctx) => show(ctx),
  async POST(ctx) {
    const actor = b2bStaff(ctx);
    const b2b = ctx.state.deps.b2b;
    const v = formValues(ctx);
    if (v.action === "run") return await show(ctx, { ran: await b2b.runStandingOrders() });
    try {
      await b2b.setHoliday(v.day ?? "", v.name ?? "", actor);
    } catch (e) {
      if (e instanceof ValidationError) return await show(ctx, { errors: e.fieldErrors }, 422);
      throw e;
    }
    return ctx.redirect("/admin/b2b/standing");
  },
};

export default function StandingCalendar({ data, state }: PageProps<Data, State>) {
  const m = more(state.lang);
  const t = msgs(state);
  const err = fieldErrors(data.errors, state);
  const label: Record<string, string> = {
    planned: m.planned,
    ordered: m.ordered,
    holiday: m.holiday,
    failed: m.failed,
  };
  return (
    <>
      <h1 class="text-2xl font-bold mb-4">{m.calendarTitle}</h1>
      {data.ran && (
        <p class="mb-3 bg-green-50 border rounded p-2" role="status" data-ran>
          {m.ordered}: {data.ran.ordered} · {m.holiday}: {data.ran.holiday} · {m.failed}:{" "}
          {data.ran.failed}
        </p>
      )}
      <PostForm csrf={data.csrf} actionField="run" class="mb-4">
        <button type="submit" class="bg-brand-700 text-white rounded px-4 py-2">{m.runNow}</button>
      </PostForm>
      <ListTable
        heads={[m.day, t.company, t.outlet, m.lines, t.status, t.number]}
        empty={m.noCalendar}
        class="mb-6"
      >
        {data.calendar.map((c) => (
          <tr class="border-t" data-day={c.day} data-standing={c.standingId}>
            <td class="px-3 py-2">{c.day} ({m.weekdays[c.weekday - 1]})</td>
            <td class="px-3 py-2">
              <a href={`/admin/b2b/accounts/${c.accountId}`} class="text-brand-700 underline">
                {c.company}
              </a>
            </td>
            <td class="px-3 py-2">{c.outlet}</td>
            <td class="px-3 py-2">{c.lines}</td>
            <td class="px-3 py-2">
              <StatusPill status={c.outcome} label={label[c.outcome]} colors={OUTCOME_COLORS} />
              {c.reason ? ` ${c.reason}` : ""}
            </td>
            <td class="px-3 py-2">{c.orderNumber ?? ""}</td>
          </tr>
        ))}
      </ListTable>
      <h2 class="text-xl font-semibold mb-2">{m.holidaysTitle}</h2>
      <ul class="mb-3">
        {data.holidays.map((h) => <li data-holiday={h.day}>{h.day} — {h.name}</li>)}
      </ul>
      <PostForm
        csrf={data.csrf}
        actionField="holiday"
        class="bg-white border rounded p-4 flex flex-wrap gap-3 items-end"
      >
        <PortalField label={m.day} error={err("day")}>
          <input type="date" name="day" class="border rounded px-2 py-1" />
        </PortalField>
        <PortalField label={m.holidayName} error={err("name")}>
          <input name="name" class="border rounded px-2 py-1" />
        </PortalField>
        <button type="submit" class="bg-brand-700 text-white rounded px-4 py-2">{m.save}</button>
      </PostForm>
    </>
  );
}
