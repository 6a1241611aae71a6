import type { Context, PageProps } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import { type OrderDetail, type PickPlan, type Production } from "@/services/production/mod.ts";
import { Button, inputClass, linkClass, PostForm, selectClass } from "@/components/ui.tsx";
import {
  day,
  type Errors,
  FormErrors,
  NotNow,
  num,
  orderKey,
  PageTitle,
  productionForm,
  Table,
  td,
} from "../../(_prod)/prod.tsx";
import { type CalcState, readCalc, StandardiseForm } from "../../(_prod)/Standardise.tsx";

/** Empty rows offered for adding lots by hand. */
const EXTRA_ROWS = 3;

interface Row {
  lineNo: string;
  lotId: string;
  qty: string;
  lotCode?: string;
  expiresOn?: string | null;
}

interface Data {
  csrf: string;
  d: OrderDetail;
  plan: PickPlan;
  /** Released lots of each input, to choose by hand. */
  candidates: Awaited<ReturnType<Production["startView"]>>["candidates"];
  rows: Row[];
  errors: Errors;
  calc: CalcState | null;
}

async function pageData(ctx: Context<State>, id: number, posted?: Row[]): Promise<Data> {
  const production = ctx.state.deps.production;
  const { detail: d, plan, candidates } = await production.startView(id);
  const picked: Row[] = plan.ok
    ? plan.picks.map((p) => ({
      lineNo: String(p.lineNo),
      lotId: String(p.lotId),
      qty: String(p.qty),
      lotCode: p.lotCode,
      expiresOn: p.expiresOn,
    }))
    : [];
  const rows = posted ?? [
    ...picked,
    ...Array.from({ length: EXTRA_ROWS }, () => ({ lineNo: "", lotId: "", qty: "" })),
  ];
  // The calculator, prefilled from the FEFO raw milk's tests and the BoM's target.
  let calc: CalcState | null = null;
  const main = d.inputs.find((i) => i.role === "main");
  if (d.bom.targetFatBp !== null && d.bom.targetSnfBp !== null && main) {
    const blend = plan.ok
      ? production.blendOf(plan.picks.filter((p) => p.lineNo === main.lineNo))
      : null;
    calc = readCalc(ctx.url, (v) => production.standardise(v), {
      milkMl: String(main.requiredQty),
      fatPct: blend ? String(blend.fatPct) : "",
      snfPct: blend ? String(blend.snfPct) : "",
      targetFatPct: String(d.bom.targetFatBp / 100),
      targetSnfPct: String(d.bom.targetSnfBp / 100),
    });
  }
  ctx.state.title = `${ctx.state.t.production.orders.startTitle(d.order.number)} — Smart Dairy`;
  return { csrf: await ctx.csrfToken(), d, plan, candidates, rows, errors: {}, calc };
}

/** The posted rows (pick_line_N, pick_lot_N, pick_qty_N), empty ones dropped. */
function postedRows(v: Record<string, string>): Row[] {
  const rows: Row[] = [];
  for (let n = 0; n < 200; n++) {
    if (!(`pick_lot_${n}` in v)) continue;
    rows.push({
      lineNo: v[`pick_line_${n}`] ?? "",
      lotId: v[`pick_lot_${n}`],
      qty: v[`pick_qty_${n}`] ?? "",
    });
  }
  return rows;
}

/** The rows the person asked for by hand (any lot or quantity filled in). */
const handPicks = (rows: Row[]) => rows.filter((r) => r.lotId.trim() !== "" || r.qty.trim() !== "");

export const handler = productionForm<Data, number>({
  key: orderKey,
  page: (ctx, id) => pageData(ctx, id),
  async run(ctx, id, v, actor) {
    await ctx.state.deps.production.startOrder(id, {
      mode: v.mode,
      on: ctx.state.deps.production.today(),
      picks: v.mode === "hand" ? handPicks(postedRows(v)) : [],
    }, actor);
    return `/admin/production/orders/${id}?started`;
  },
  again: async (ctx, id, v, errors) => ({ ...(await pageData(ctx, id, postedRows(v))), errors }),
});

export default function StartOrder({ data, state }: PageProps<Data, State>) {
  const m = state.t.production;
  const t = m.orders;
  const lang = state.lang;
  const { order, inputs } = data.d;
  const base = `/admin/production/orders/${order.id}`;
  const itemOf = (lineNo: string) => inputs.find((i) => String(i.lineNo) === lineNo)?.itemCode;
  if (order.status !== "planned") {
    return <NotNow title={t.startTitle(order.number)} order={order} m={m} />;
  }
  return (
    <>
      <PageTitle title={t.startTitle(order.number)} intro={t.startIntro} />
      <FormErrors errors={data.errors} />
      <h2 class="text-lg font-semibold mb-2">{t.inputs}</h2>
      <Table head={[m.common.item, m.boms.role, t.required]}>
        {inputs.map((i) => (
          <tr>
            <td class={td}>{i.itemCode}</td>
            <td class={td}>{m.roles[i.role]}</td>
            <td class={td}>{num(lang, i.requiredQty)}</td>
          </tr>
        ))}
      </Table>
      {!data.plan.ok && (
        <div class="rounded border border-red-300 bg-red-50 p-3 mb-4" role="alert" data-short>
          <p class="font-semibold">{t.shortTitle}</p>
          <ul class="list-disc pl-6">
            {data.plan.short.map((s) => (
              <li>{t.short(s.itemCode, num(lang, s.wanted), num(lang, s.available))}</li>
            ))}
          </ul>
        </div>
      )}
      <PostForm csrf={data.csrf} action={`${base}/start`} novalidate>
        <h2 class="text-lg font-semibold mb-2">{t.fefoPicks}</h2>
        <Table head={[m.common.item, t.lot, t.expires, t.lotId, m.common.qty]}>
          {data.rows.map((r, n) => (
            <tr data-pick={r.lotCode ?? ""}>
              <td class={td}>
                {r.lotCode
                  ? (
                    <>
                      {itemOf(r.lineNo)}
                      <input type="hidden" name={`pick_line_${n}`} value={r.lineNo} />
                    </>
                  )
                  : (
                    <select name={`pick_line_${n}`} class={selectClass} aria-label={m.common.item}>
                      {inputs.map((i) => (
                        <option value={i.lineNo} selected={r.lineNo === String(i.lineNo)}>
                          {i.itemCode}
                        </option>
                      ))}
                    </select>
                  )}
              </td>
              <td class={td}>{r.lotCode ?? ""}</td>
              <td class={td}>{r.expiresOn !== undefined ? day(lang, r.expiresOn) : ""}</td>
              <td class={td}>
                <input
                  name={`pick_lot_${n}`}
                  value={r.lotId}
                  inputMode="numeric"
                  aria-label={t.lotId}
                  class={`${inputClass()} w-28`}
                />
              </td>
              <td class={td}>
                <input
                  name={`pick_qty_${n}`}
                  value={r.qty}
                  inputMode="numeric"
                  aria-label={m.common.qty}
                  class={`${inputClass()} w-36`}
                />
              </td>
            </tr>
          ))}
        </Table>
        <div class="flex flex-wrap gap-3">
          <Button name="mode" value="fefo" disabled={!data.plan.ok}>{t.startFefo}</Button>
          <Button name="mode" value="hand" kind="secondary">{t.startHand}</Button>
        </div>
      </PostForm>
      <section aria-labelledby="candidates" class="mt-8">
        <h2 id="candidates" class="text-lg font-semibold mb-2">{t.candidates}</h2>
        <Table head={[m.common.item, t.lotId, t.lot, t.location, t.expires, t.free]}>
          {data.candidates.flatMap((c) =>
            c.lots.map((l) => (
              <tr data-candidate={l.code}>
                <td class={td}>{c.itemCode}</td>
                <td class={td}>{l.id}</td>
                <td class={td}>{l.code}</td>
                <td class={td}>{l.locationCode}</td>
                <td class={td}>{day(lang, l.expiresOn)}</td>
                <td class={td}>{num(lang, l.onHand - l.reserved)}</td>
              </tr>
            ))
          )}
        </Table>
      </section>
      {data.calc && <StandardiseForm t={m} lang={lang} action={`${base}/start`} calc={data.calc} />}
      <p class="mt-6">
        <a href={base} class={linkClass}>{m.common.back}</a>
      </p>
    </>
  );
}
