import type { Context, PageProps } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import { type BomListRow, OUTPUT_LOCATIONS } from "@/services/production/mod.ts";
import { Button, Field, PostForm, selectClass } from "@/components/ui.tsx";
import {
  type Errors,
  FormErrors,
  Input,
  NoteInput,
  PageTitle,
  productionForm,
} from "../(_prod)/prod.tsx";
import { type CalcState, readCalc, StandardiseForm } from "../(_prod)/Standardise.tsx";

interface Data {
  csrf: string;
  products: BomListRow[];
  values: Record<string, string>;
  errors: Errors;
  calc: CalcState;
}

async function pageData(ctx: Context<State>) {
  const production = ctx.state.deps.production;
  ctx.state.title = `${ctx.state.t.production.orders.newOrder} — Smart Dairy`;
  const products = (await production.listBoms()).filter((b) => b.inForce);
  const item = ctx.url.searchParams.get("item") ?? "";
  return {
    csrf: await ctx.csrfToken(),
    products,
    values: { plannedOn: production.today(), outputItemCode: item },
    errors: {},
    calc: readCalc(ctx.url, (v) => production.standardise(v)),
  };
}

export const handler = productionForm<Data>({
  page: (ctx) => pageData(ctx),
  async run(ctx, _, values, actor) {
    const o = await ctx.state.deps.production.createOrder(values, actor);
    return `/admin/production/orders/${o.id}?created`;
  },
  again: async (ctx, _, values, errors) => ({ ...(await pageData(ctx)), values, errors }),
});

export default function NewOrder({ data, state }: PageProps<Data, State>) {
  const m = state.t.production;
  const t = m.orders;
  const v = data.values;
  const err = (k: string) => data.errors[k];
  const f = { values: data.values, errors: data.errors };
  return (
    <>
      <PageTitle title={t.newOrder} />
      <FormErrors errors={data.errors} shown={["outputItemCode", "plannedQty", "plannedOn"]} />
      <PostForm csrf={data.csrf} action="/admin/production/orders/new" class="max-w-xl" novalidate>
        <Field id="outputItemCode" label={t.product} error={err("outputItemCode")}>
          <select id="outputItemCode" name="outputItemCode" class={`${selectClass} w-full`}>
            {data.products.map((p) => (
              <option value={p.outputItemCode} selected={v.outputItemCode === p.outputItemCode}>
                {state.lang === "bn" ? p.nameBn : p.nameEn} ({p.outputItemCode})
              </option>
            ))}
          </select>
        </Field>
        <Input id="plannedQty" label={t.plannedQty} inputMode="numeric" {...f} />
        <Input id="plannedOn" label={t.plannedOn} type="date" {...f} />
        <Field id="outputLocation" label={t.outputLocation} error={err("outputLocation")}>
          <select id="outputLocation" name="outputLocation" class={`${selectClass} w-full`}>
            {OUTPUT_LOCATIONS.map((l) => (
              <option value={l} selected={v.outputLocation === l}>{l}</option>
            ))}
          </select>
        </Field>
        <NoteInput label={t.note} {...f} />
        <Button>{t.create}</Button>
      </PostForm>
      <StandardiseForm
        t={m}
        lang={state.lang}
        action="/admin/production/orders/new"
        calc={data.calc}
      />
    </>
  );
}
