import type { Context, Handlers, PageProps } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import { formValues } from "@/plugins/forms.ts";
import { formatTaka } from "@/services/i18n/mod.ts";
import {
  addDays,
  dhakaDate,
  NotFoundError,
  type SalesRow,
  ValidationError,
} from "@/services/b2b/mod.ts";
import { ListTable, PostForm } from "@/components/ui.tsx";
import {
  adminB2bPage,
  b2bStaff,
  fieldErrors,
  more,
  msgs,
  PortalField,
  takaToMinor,
} from "@/routes/b2b/(_lib)/web.tsx";

/**
 * Staff: B2B sales by account, area and representative over a period; exposure per account
 * against its limit; the minimum order per delivery area; who represents each account.
 */

type Dashboard = Awaited<ReturnType<State["deps"]["b2b"]["salesDashboard"]>>;
type Exposure = Awaited<ReturnType<State["deps"]["b2b"]["exposures"]>>[number];
type Options = Awaited<ReturnType<State["deps"]["b2b"]["deliveryOptions"]>>;

interface Data {
  sales: Dashboard;
  exposures: Exposure[];
  zones: Options["zones"];
  minimums: Map<string, number>;
  errors: Record<string, string>;
  csrf: string;
}

async function show(ctx: Context<State>, errors: Record<string, string> = {}, status = 200) {
  const b2b = ctx.state.deps.b2b;
  const today = dhakaDate(b2b.now());
  const q = ctx.url.searchParams;
  const from = q.get("from") || addDays(today, -30);
  const to = q.get("to") || addDays(today, 7);
  let sales: Dashboard;
  try {
    sales = await b2b.salesDashboard(from, to);
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    sales = await b2b.salesDashboard(addDays(today, -30), addDays(today, 7));
    errors = { ...errors, ...e.fieldErrors };
    status = 422;
  }
  return await adminB2bPage(ctx, more(ctx.state.lang).dashboardTitle, status, {
    sales,
    exposures: await b2b.exposures(),
    zones: (await b2b.deliveryOptions()).zones,
    minimums: new Map((await b2b.zoneMinimums()).map((z) => [z.zoneCode, z.minOrderMinor])),
    errors,
  });
}

export const handler: Handlers<Data, State> = {
  GET: (ctx) => show(ctx),
  async POST(ctx) {
    const actor = b2bStaff(ctx);
    const b2b = ctx.state.deps.b2b;
    const v = formValues(ctx);
    try {
      if (v.action === "zone") {
        const min = takaToMinor(v.minOrder ?? "");
        if (min === null) throw new ValidationError({ minOrder: "money" });
        await b2b.setZoneMinimum(v.zoneCode ?? "", min, actor);
      } else if (v.action === "rep") {
        const id = Number(v.accountId);
        if (!Number.isSafeInteger(id)) throw new NotFoundError("b2b account");
        await b2b.setSalesRep(id, v.salesRep ?? "");
      }
    } catch (e) {
      if (e instanceof ValidationError) return await show(ctx, e.fieldErrors, 422);
      throw e;
    }
    return ctx.redirect("/admin/b2b/dashboard");
  },
};

function SalesTable(props: { rows: SalesRow[]; head: string; empty: string; state: State }) {
  const m = more(props.state.lang);
  const lang = props.state.lang;
  return (
    <ListTable heads={[props.head, m.ordersCount, m.net, m.gross]} empty={props.empty} class="mb-6">
      {props.rows.map((r) => (
        <tr class="border-t" data-row={r.key}>
          <td class="px-3 py-2">{r.key}</td>
          <td class="px-3 py-2">{r.orders}</td>
          <td class="px-3 py-2" data-net>{formatTaka(r.netMinor, lang)}</td>
          <td class="px-3 py-2">{formatTaka(r.totalMinor, lang)}</td>
        </tr>
      ))}
    </ListTable>
  );
}

export default function B2bDashboard({ data, state }: PageProps<Data, State>) {
  const m = more(state.lang);
  const t = msgs(state);
  const lang = state.lang;
  const bn = lang === "bn";
  const err = fieldErrors(data.errors, state);
  const zoneName = (code: string) => {
    const z = data.zones.find((z) => z.code === code);
    return z ? (bn ? z.nameBn : z.nameEn) : code || m.noArea;
  };
  const s = data.sales;
  return (
    <>
      <h1 class="text-2xl font-bold mb-4">{m.dashboardTitle}</h1>
      <form method="get" class="flex flex-wrap gap-3 items-end mb-4">
        <PortalField label={m.from} error={err("from")}>
          <input type="date" name="from" value={s.from} class="border rounded px-2 py-1" />
        </PortalField>
        <label class="flex flex-col text-sm">
          {m.to}
          <input type="date" name="to" value={s.to} class="border rounded px-2 py-1" />
        </label>
        <button type="submit" class="border rounded px-4 py-2">{m.show}</button>
      </form>
      <p class="mb-4" data-total>
        {m.ordersCount}: {s.total.orders} · {m.net}: {formatTaka(s.total.netMinor, lang)} ·{" "}
        {m.gross}: {formatTaka(s.total.totalMinor, lang)}
      </p>
      <h2 class="text-xl font-semibold mb-2">{m.byAccount}</h2>
      <SalesTable rows={s.accounts} head={t.company} empty={m.noSales} state={state} />
      <h2 class="text-xl font-semibold mb-2">{m.byArea}</h2>
      <SalesTable
        rows={s.areas.map((r) => ({ ...r, key: zoneName(r.key) }))}
        head={m.zone}
        empty={m.noSales}
        state={state}
      />
      <h2 class="text-xl font-semibold mb-2">{m.byRep}</h2>
      <SalesTable
        rows={s.reps.map((r) => ({ ...r, key: r.key || m.noRep }))}
        head={m.salesRep}
        empty={m.noSales}
        state={state}
      />
      <h2 class="text-xl font-semibold mb-2">{m.exposureTitle}</h2>
      <ListTable
        heads={[
          t.company,
          t.creditLimit,
          m.receivable,
          m.overdue,
          m.openOrders,
          m.headroom,
          m.salesRep,
        ]}
        empty={m.noExposure}
        class="mb-6"
      >
        {data.exposures.map((x) => {
          const used = x.receivableMinor + x.openOrdersMinor;
          return (
            <tr class="border-t" data-exposure={x.id}>
              <td class="px-3 py-2">
                <a href={`/admin/b2b/accounts/${x.id}`} class="text-brand-700 underline">
                  {x.company}
                </a>
              </td>
              <td class="px-3 py-2">{formatTaka(x.creditLimitMinor, lang)}</td>
              <td class="px-3 py-2">{formatTaka(x.receivableMinor, lang)}</td>
              <td class={`px-3 py-2 ${x.overdueMinor > 0 ? "text-red-700 font-semibold" : ""}`}>
                {formatTaka(x.overdueMinor, lang)}
              </td>
              <td class="px-3 py-2">{formatTaka(x.openOrdersMinor, lang)}</td>
              <td
                class={`px-3 py-2 ${used > x.creditLimitMinor ? "text-red-700 font-semibold" : ""}`}
              >
                {formatTaka(x.creditLimitMinor - used, lang)}
              </td>
              <td class="px-3 py-2">
                <PostForm csrf={data.csrf} actionField="rep" class="flex gap-1">
                  <input type="hidden" name="accountId" value={x.id} />
                  <input
                    name="salesRep"
                    value={x.salesRep}
                    aria-label={m.salesRep}
                    class="border rounded px-2 py-1 w-32"
                  />
                  <button type="submit" class="border rounded px-2">{m.save}</button>
                </PostForm>
              </td>
            </tr>
          );
        })}
      </ListTable>
      <h2 class="text-xl font-semibold mb-2">{m.zoneMinimums}</h2>
      <PostForm
        csrf={data.csrf}
        actionField="zone"
        class="bg-white border rounded p-4 flex flex-wrap gap-3 items-end mb-3"
      >
        <PortalField label={m.zone} error={err("zoneCode")}>
          <select name="zoneCode" class="border rounded px-2 py-1">
            {data.zones.map((z) => <option value={z.code}>{bn ? z.nameBn : z.nameEn}</option>)}
          </select>
        </PortalField>
        <PortalField label={`${t.minOrder} (৳)`} error={err("minOrder")}>
          <input name="minOrder" class="border rounded px-2 py-1" />
        </PortalField>
        <button type="submit" class="bg-brand-700 text-white rounded px-4 py-2">{m.save}</button>
      </PostForm>
      <ul>
        {data.zones.filter((z) => data.minimums.has(z.code)).map((z) => (
          <li data-zone-min={z.code}>
            {bn ? z.nameBn : z.nameEn}: {formatTaka(data.minimums.get(z.code)!, lang)}
          </li>
        ))}
      </ul>
    </>
  );
}
