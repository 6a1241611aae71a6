import type { Handlers, PageProps } from "@/framework/mod.ts";
import { HttpError } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import { type OrderDetail, pathId } from "@/services/production/mod.ts";
import { Button, buttonClass, linkClass, PostForm } from "@/components/ui.tsx";
import {
  day,
  type Errors,
  FormErrors,
  Notice,
  num,
  PageTitle,
  pct,
  productionActor,
  seeOther,
  serviceErrors,
  Table,
  td,
} from "../../(_prod)/prod.tsx";

const NOTICES = ["created", "started", "finished", "cancelled"] as const;

interface Data {
  csrf: string;
  d: OrderDetail;
  notice?: (typeof NOTICES)[number];
  errors: Errors;
}

export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    productionActor(ctx);
    const d = await ctx.state.deps.production.getOrder(pathId(ctx.params.id));
    ctx.state.title = `${d.order.number} — Smart Dairy`;
    const notice = NOTICES.find((n) => ctx.url.searchParams.has(n));
    return { data: { csrf: await ctx.csrfToken(), d, notice, errors: {} } };
  },
  async POST(ctx) {
    const actor = productionActor(ctx);
    const id = pathId(ctx.params.id);
    if (ctx.form?.get("action") !== "cancel") throw new HttpError(400, "Unknown action");
    try {
      await ctx.state.deps.production.cancelOrder(id, actor);
      return seeOther(`/admin/production/orders/${id}?cancelled`);
    } catch (e) {
      const { status, errors } = serviceErrors(ctx, e);
      const d = await ctx.state.deps.production.getOrder(id);
      return { status, data: { csrf: await ctx.csrfToken(), d, errors } };
    }
  },
};

export default function OrderPage({ data, state }: PageProps<Data, State>) {
  const m = state.t.production;
  const t = m.orders;
  const lang = state.lang;
  const { order, bom, inputs, consumptions, outputs } = data.d;
  const y = data.d.yield;
  const base = `/admin/production/orders/${order.id}`;
  return (
    <>
      <PageTitle
        title={`${order.number} · ${lang === "bn" ? bom.nameBn : bom.nameEn}`}
        intro={`${m.statuses[order.status]} · ${t.plannedOn} ${
          day(lang, order.plannedOn)
        } · ${t.planned} ${num(lang, order.plannedQty)}`}
      >
        {order.status === "planned" && <a href={`${base}/start`} class={buttonClass()}>{t.start}
        </a>}
        {order.status === "started" && (
          <a href={`${base}/finish`} class={buttonClass()}>{t.finish}</a>
        )}
      </PageTitle>
      {data.notice && <Notice>{t[data.notice]}</Notice>}
      <FormErrors errors={data.errors} />
      <p class="mb-4 text-sm">
        {t.bom}:{" "}
        <a href={`/admin/production/boms/${bom.id}`} class={linkClass}>
          {bom.outputItemCode} · {m.boms.version(bom.version)}
        </a>{" "}
        · {t.outputLocation}: {order.outputLocation}
      </p>

      {y && (
        <section aria-labelledby="yield" class="mb-6">
          <h2 id="yield" class="text-lg font-semibold mb-2">{t.yield}</h2>
          <dl
            class={`grid grid-cols-2 md:grid-cols-5 gap-3 rounded border p-3 ${
              y.flagged ? "border-red-400 bg-red-50" : "border-gray-200 bg-white"
            }`}
            data-yield
          >
            <div>
              <dt class="text-xs text-gray-600">{t.expectedQty}</dt>
              <dd class="font-semibold">{num(lang, y.expectedQty)}</dd>
            </div>
            <div>
              <dt class="text-xs text-gray-600">{t.actualQty}</dt>
              <dd class="font-semibold">{num(lang, y.actualQty)}</dd>
            </div>
            <div>
              <dt class="text-xs text-gray-600">{t.yieldPct}</dt>
              <dd class="font-semibold">{pct(lang, y.yieldBp)}</dd>
            </div>
            <div>
              <dt class="text-xs text-gray-600">{t.lossPct}</dt>
              <dd class="font-semibold" data-loss>{pct(lang, y.lossBp)}</dd>
            </div>
            <div>
              <dt class="text-xs text-gray-600">{t.bomLoss}</dt>
              <dd class="font-semibold">
                {pct(lang, y.bomLossBp)} (+{pct(lang, y.toleranceBp)})
              </dd>
            </div>
          </dl>
          {y.flagged && <Notice kind="error">{t.flagged}</Notice>}
        </section>
      )}

      <h2 class="text-lg font-semibold mb-2">{t.inputs}</h2>
      <Table head={[m.common.item, m.boms.role, t.required, t.consumed, t.expectedForOutput]}>
        {inputs.map((i) => (
          <tr>
            <td class={td}>{i.itemCode}</td>
            <td class={td}>{m.roles[i.role]}</td>
            <td class={td}>{num(lang, i.requiredQty)}</td>
            <td class={td}>{num(lang, i.consumed)}</td>
            <td class={td}>{num(lang, i.expectedForOutput)}</td>
          </tr>
        ))}
      </Table>

      {consumptions.length > 0 && (
        <>
          <h2 class="text-lg font-semibold mb-2">{t.consumption}</h2>
          <Table head={[m.common.item, t.lot, m.common.qty, t.attrs, t.picked]}>
            {consumptions.map((c) => (
              <tr data-consumed={c.lotCode}>
                <td class={td}>{c.itemCode}</td>
                <td class={td}>{c.lotCode}</td>
                <td class={td}>{num(lang, c.qty)}</td>
                <td class={td}>
                  {c.attrs && c.attrs.fat !== undefined
                    ? `${num(lang, Number(c.attrs.fat), 2)} / ${num(lang, Number(c.attrs.snf), 2)}`
                    : "—"}
                </td>
                <td class={td}>{t.pickedHow[c.picked]}</td>
              </tr>
            ))}
          </Table>
        </>
      )}

      {outputs.length > 0 && (
        <>
          <h2 class="text-lg font-semibold mb-2">{t.outputs}</h2>
          <Table head={[t.kindCol, m.common.item, t.lot, m.common.qty, t.expires]}>
            {outputs.map((o) => (
              <tr data-output={o.lotCode}>
                <td class={td}>{t.kind[o.kind]}</td>
                <td class={td}>{o.itemCode}</td>
                <td class={td}>{o.lotCode}</td>
                <td class={td}>{num(lang, o.qty)}</td>
                <td class={td}>{day(lang, o.expiresOn)}</td>
              </tr>
            ))}
          </Table>
        </>
      )}

      {order.note && <p class="text-sm text-gray-700 mb-4">{t.note}: {order.note}</p>}

      {order.status === "planned" && (
        <PostForm csrf={data.csrf} actionField="cancel" action={base}>
          <Button kind="danger">{t.cancel}</Button>
        </PostForm>
      )}
      <p class="mt-6">
        <a href="/admin/production/orders" class={linkClass}>{m.common.back}</a>
      </p>
    </>
  );
}
