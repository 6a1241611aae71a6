import type { Context, PageProps } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import type { OrderDetail } from "@/services/production/mod.ts";
import { Button, linkClass, PostForm } from "@/components/ui.tsx";
import {
  type Errors,
  FormErrors,
  Input,
  NoteInput,
  NotNow,
  num,
  orderKey,
  PageTitle,
  productionForm,
} from "../../(_prod)/prod.tsx";

interface Data {
  csrf: string;
  d: OrderDetail;
  values: Record<string, string>;
  errors: Errors;
}

async function pageData(ctx: Context<State>, id: number): Promise<Data> {
  const production = ctx.state.deps.production;
  const d = await production.getOrder(id);
  ctx.state.title = `${ctx.state.t.production.orders.finishTitle(d.order.number)} — Smart Dairy`;
  // By-products prefilled with what the BoM expects of the planned batch.
  const values: Record<string, string> = { producedOn: production.today() };
  for (const b of d.bom.byproducts) {
    values[`byp_${b.itemCode}`] = String(
      Math.round(b.qty * d.order.plannedQty / d.bom.outputQty),
    );
  }
  return { csrf: await ctx.csrfToken(), d, values, errors: {} };
}

export const handler = productionForm<Data, number>({
  key: orderKey,
  page: pageData,
  async run(ctx, id, v, actor) {
    const byproducts = Object.entries(v).filter(([k, q]) => k.startsWith("byp_") && q.trim() !== "")
      .map(([k, qty]) => ({ itemCode: k.slice(4), qty }));
    await ctx.state.deps.production.finishOrder(id, {
      actualQty: v.actualQty,
      producedOn: v.producedOn,
      byproducts,
      note: v.note,
    }, actor);
    return `/admin/production/orders/${id}?finished`;
  },
  again: async (ctx, id, values, errors) => ({ ...(await pageData(ctx, id)), values, errors }),
});

export default function FinishOrder({ data, state }: PageProps<Data, State>) {
  const m = state.t.production;
  const t = m.orders;
  const lang = state.lang;
  const { order, bom } = data.d;
  const base = `/admin/production/orders/${order.id}`;
  const f = { values: data.values, errors: data.errors };
  if (order.status !== "started") {
    return <NotNow title={t.finishTitle(order.number)} order={order} m={m} />;
  }
  return (
    <>
      <PageTitle
        title={t.finishTitle(order.number)}
        intro={`${order.outputItemCode} · ${t.planned} ${num(lang, order.plannedQty)}`}
      />
      <FormErrors errors={data.errors} shown={["actualQty", "producedOn", "note"]} />
      <PostForm csrf={data.csrf} action={`${base}/finish`} class="max-w-xl" novalidate>
        <Input id="actualQty" label={t.actualOutput} inputMode="numeric" {...f} />
        <Input id="producedOn" label={t.producedOn} type="date" {...f} />
        {bom.byproducts.map((b) => (
          <Input
            id={`byp_${b.itemCode}`}
            label={`${t.byproduct}: ${b.itemCode}`}
            inputMode="numeric"
            {...f}
          />
        ))}
        <NoteInput label={t.note} {...f} />
        <Button>{t.finish}</Button>
      </PostForm>
      <p class="mt-6">
        <a href={base} class={linkClass}>{m.common.back}</a>
      </p>
    </>
  );
}
