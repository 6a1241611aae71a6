import type { Handlers, PageProps } from "@/framework/mod.ts";
import { zodFields } from "@/framework/mod.ts";
import { assertSignedIn } from "@/plugins/session.ts";
import {
  addDays,
  ADDRESS_FIELDS,
  BILLINGS,
  type Coverage,
  type SubItem,
  subscriptionSchema,
  type VariantInfo,
} from "@/services/shop/mod.ts";
import { ShopLayout } from "@/components/ShopLayout.tsx";
import { Field, inputClass, PostForm } from "@/components/ui.tsx";
import { ShopContactFields, ShopPlaceFields } from "@/components/ShopAddressFields.tsx";
import { QuantityGrid, readItems } from "../(_lib)/subs.tsx";
import {
  addressValues,
  dateLabel,
  field,
  msgs,
  type ShopCtx,
  shopErrorText,
  type ShopState,
} from "../(_lib)/web.ts";
import { ShopSubmit } from "@/components/ShopButtons.tsx";

interface Data {
  csrf: string;
  variants: VariantInfo[];
  coverage: Coverage;
  dates: string[];
  values: Record<string, string>;
  items: SubItem[];
  errors: Record<string, string>;
  formError: string | null;
}

const FIELDS = [
  ...ADDRESS_FIELDS,
  "startDate",
  "billing",
] as const;

async function render(
  ctx: ShopCtx,
  values: Record<string, string>,
  items: SubItem[],
  errors: Record<string, string>,
  formError: string | null,
  status = 200,
) {
  const shop = ctx.state.deps.shop;
  const first = await shop.firstChangeableDate();
  ctx.state.title = `${msgs(ctx).subs.create} — ${ctx.state.t.site.name}`;
  return {
    status,
    data: {
      csrf: await ctx.csrfToken(),
      variants: await shop.subscribableVariants(),
      coverage: await shop.coverage(),
      dates: Array.from({ length: 14 }, (_, i) => addDays(first, i)),
      values: { startDate: first, billing: "per_delivery", ...values },
      items,
      errors,
      formError,
    },
  };
}

export const handler: Handlers<Data, ShopState> = {
  async GET(ctx) {
    const user = assertSignedIn(ctx);
    const d = await ctx.state.deps.shop.checkoutDefaults(user.id);
    return await render(
      ctx,
      addressValues(d, user.displayName, d.contact?.phone ?? null),
      [],
      {},
      null,
    );
  },
  async POST(ctx) {
    const user = assertSignedIn(ctx);
    const t = msgs(ctx);
    const values: Record<string, string> = {};
    for (const k of FIELDS) values[k] = field(ctx.form, k);
    const items = readItems(ctx.form, await ctx.state.deps.shop.subscribableVariants());
    const parsed = subscriptionSchema.safeParse({ ...values, items });
    if (!parsed.success) {
      const errors: Record<string, string> = {};
      for (const [k, m] of Object.entries(zodFields(parsed.error))) {
        errors[k.split(".")[0]] ??= k.startsWith("items")
          ? t.subs.mustHaveItem
          : t.checkout.fields[m[0]] ?? m[0];
      }
      return await render(ctx, values, items, errors, t.checkout.fixErrors, 422);
    }
    try {
      const id = await ctx.state.deps.shop.subscribe(user.id, ctx.state.lang, parsed.data);
      return ctx.redirect(`/shop/subscriptions/${id}?saved=1`);
    } catch (e) {
      const text = shopErrorText(ctx, e);
      if (text === null) throw e;
      return await render(ctx, values, items, {}, text, 422);
    }
  },
};

export default function NewSubscription({ data, state, url }: PageProps<Data, ShopState>) {
  const t = msgs({ state });
  const { lang } = state;
  const v = data.values;
  const e = data.errors;
  return (
    <ShopLayout state={state} path={url.pathname}>
      <h1 class="text-2xl font-bold mb-2">{t.subs.create}</h1>
      <p class="mb-4 text-gray-800">{t.subs.intro}</p>
      {data.formError && (
        <p role="alert" class="rounded bg-red-100 text-red-900 p-3 mb-4">{data.formError}</p>
      )}
      <PostForm csrf={data.csrf} class="space-y-5" novalidate>
        <section class="bg-white border rounded-lg p-4">
          <h2 class="font-semibold mb-2">{t.subs.items}</h2>
          {e.items && <p role="alert" class="text-sm text-red-700 mb-2">{e.items}</p>}
          <QuantityGrid variants={data.variants} items={data.items} t={t} lang={lang} />
        </section>
        <section class="bg-white border rounded-lg p-4 grid gap-x-4 sm:grid-cols-2">
          <Field
            id="startDate"
            label={t.subs.startDate}
            error={e.startDate ? [e.startDate] : []}
          >
            <select id="startDate" name="startDate" class={inputClass(!!e.startDate)}>
              {data.dates.map((d) => (
                <option value={d} selected={d === v.startDate}>{dateLabel(d, lang)}</option>
              ))}
            </select>
          </Field>
          <fieldset class="mb-4">
            <legend class="block text-sm font-medium mb-1">{t.subs.billing}</legend>
            {BILLINGS.map((b) => (
              <label class="flex gap-2 items-start mb-1 text-sm">
                <input
                  type="radio"
                  name="billing"
                  value={b}
                  checked={v.billing === b}
                  class="mt-1"
                />
                {t.subs.billings[b]}
              </label>
            ))}
          </fieldset>
        </section>
        <section class="bg-white border rounded-lg p-4">
          <h2 class="font-semibold mb-2">{t.checkout.address}</h2>
          <ShopContactFields t={t} values={v} errors={e} />
          <ShopPlaceFields
            t={t}
            lang={lang}
            coverage={data.coverage}
            showFees={false}
            values={v}
            errors={e}
          />
        </section>
        <ShopSubmit primary class="py-3" testId="save-subscription">
          {t.subs.save}
        </ShopSubmit>
      </PostForm>
    </ShopLayout>
  );
}
