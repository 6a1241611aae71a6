import type { Handlers, PageProps } from "@/framework/mod.ts";
import { zodFields } from "@/framework/mod.ts";
import { assertSignedIn } from "@/plugins/session.ts";
import { formatTaka } from "@/services/i18n/mod.ts";
import {
  ADDRESS_FIELDS,
  type CartView,
  checkoutSchema,
  type Coverage,
  formToken,
  type PaymentMethod,
} from "@/services/shop/mod.ts";
import { ShopLayout } from "@/components/ShopLayout.tsx";
import { Field, inputClass } from "@/components/ui.tsx";
import { ShopContactFields, ShopPlaceFields } from "@/components/ShopAddressFields.tsx";
import {
  addressValues,
  cartOwner,
  clientIp,
  dateLabel,
  field,
  msgs,
  num,
  type ShopCtx,
  shopErrorText,
  type ShopState,
} from "./(_lib)/web.ts";
import { ShopSubmit } from "@/components/ShopButtons.tsx";

/** The deliveries still open on one date: each option is a (date, slot) pair. */
interface WhenGroup {
  label: string;
  options: { value: string; label: string }[];
}

/** The form value of a (date, slot) pair: "2026-03-04/morning". */
const whenValue = (date: string, slot: string) => `${date}/${slot}`;
const WHEN_RE = /^(\d{4}-\d{2}-\d{2})\/([a-z0-9_]{2,20})$/;

interface Data {
  csrf: string;
  token: string;
  cart: CartView;
  coverage: Coverage;
  /** Only (date, slot) pairs whose cut-off has not passed. */
  when: WhenGroup[];
  /** Each slot's cut-off rule. */
  slotRules: string[];
  methods: PaymentMethod[];
  balanceMinor: number;
  values: Record<string, string>;
  errors: Record<string, string>;
  formError: string | null;
  discountMinor: number;
  feeMinor: number | null;
}

const FIELDS = [
  ...ADDRESS_FIELDS,
  "deliveryDate",
  "slotCode",
  "paymentMethod",
  "discountCode",
  "note",
] as const;

async function load(
  ctx: ShopCtx,
  values: Record<string, string>,
  errors: Record<string, string>,
  formError: string | null,
  status = 200,
) {
  const user = assertSignedIn(ctx);
  const shop = ctx.state.deps.shop;
  const t = msgs(ctx);
  const owner = cartOwner(ctx)!;
  const [{ view: cart }, cov, slots, balanceMinor] = await Promise.all([
    shop.viewCart(owner),
    shop.coverage(),
    shop.slots(),
    shop.balance(user.id),
  ]);
  const lang = ctx.state.lang;
  // Only the (date, slot) pairs whose cut-off is still ahead, grouped by date.
  const when: WhenGroup[] = [];
  for (const o of shop.openDeliveries(slots, 7)) {
    const label = dateLabel(o.date, lang);
    if (when.at(-1)?.label !== label) when.push({ label, options: [] });
    const fee = o.slot.extraFeeMinor > 0 ? ` (+${formatTaka(o.slot.extraFeeMinor, lang)})` : "";
    when.at(-1)!.options.push({
      value: whenValue(o.date, o.slot.code),
      label: `${label}, ${lang === "bn" ? o.slot.nameBn : o.slot.nameEn}${fee}`,
    });
  }
  // A pair that is not (or no longer) open is not shown; the soonest open one is chosen instead,
  // and the fee below is that of the chosen pair.
  const chosen = whenValue(values.deliveryDate ?? "", values.slotCode ?? "");
  if (!when.some((g) => g.options.some((o) => o.value === chosen))) {
    const first = when[0]?.options[0]?.value.match(WHEN_RE);
    values.deliveryDate = first?.[1] ?? "";
    values.slotCode = first?.[2] ?? "";
  }
  const slotRules = slots.map((slot) =>
    `${lang === "bn" ? slot.nameBn : slot.nameEn}: ${
      t.checkout.cutoffRule(slot.cutoffDaysBefore, num(slot.cutoffTime, lang))
    }`
  );
  const zone = cov.zones.find((z) => String(z.id) === values.zoneId);
  const slot = slots.find((s) => s.code === values.slotCode);
  let discountMinor = 0;
  if (values.discountCode) {
    try {
      discountMinor = (await shop.checkCode(values.discountCode, cart.subtotalMinor, user.id))
        .discountMinor;
    } catch (e) {
      const text = shopErrorText(ctx, e);
      if (text === null) throw e;
      errors.discountCode ??= text;
    }
  }
  ctx.state.title = `${t.checkout.title} — ${ctx.state.t.site.name}`;
  return {
    status,
    data: {
      csrf: await ctx.csrfToken(),
      token: values.token || crypto.randomUUID(),
      cart,
      coverage: cov,
      when,
      slotRules,
      methods: shop.offeredMethods(true),
      balanceMinor,
      values,
      errors,
      formError,
      discountMinor,
      feeMinor: zone ? zone.feeMinor + (slot?.extraFeeMinor ?? 0) : null,
    } satisfies Data,
  };
}

export const handler: Handlers<Data, ShopState> = {
  async GET(ctx) {
    const user = assertSignedIn(ctx);
    const shop = ctx.state.deps.shop;
    const cart = await shop.cart(cartOwner(ctx)!);
    if (cart.items.length === 0) return ctx.redirect("/shop/cart");
    const d = await shop.checkoutDefaults(user.id);
    const values: Record<string, string> = {
      ...addressValues(d, user.displayName, d.phone),
      paymentMethod: d.paymentMethod ?? "",
      discountCode: cart.discountCode ?? "",
      note: "",
    };
    const page = await load(ctx, values, {}, null);
    if (!page.data.cart.ok) return ctx.redirect("/shop/cart");
    if (!page.data.methods.includes(values.paymentMethod as PaymentMethod)) {
      values.paymentMethod = page.data.methods[0];
    }
    return page;
  },

  async POST(ctx) {
    const user = assertSignedIn(ctx);
    const t = msgs(ctx);
    const form = ctx.form;
    const values: Record<string, string> = { token: formToken.parse(field(form, "token")) };
    for (const k of FIELDS) values[k] = field(form, k);
    // The page posts one (date, slot) pair; its parts are checked like separate fields.
    const when = field(form, "when");
    if (when) {
      const m = when.match(WHEN_RE);
      values.deliveryDate = m?.[1] ?? "";
      values.slotCode = m?.[2] ?? "";
    }
    const parsed = checkoutSchema.safeParse(values);
    if (!parsed.success) {
      const errors: Record<string, string> = {};
      for (const [k, msgsList] of Object.entries(zodFields(parsed.error))) {
        errors[k] ??= t.checkout.fields[msgsList[0]] ?? msgsList[0];
      }
      return await load(ctx, values, errors, t.checkout.fixErrors, 422);
    }
    // One order per checkout form, however often it is submitted.
    const r = await ctx.state.deps.shop.checkout(cartOwner(ctx)!, {
      userId: user.id,
      lang: ctx.state.lang,
      form: parsed.data,
      clientIp: clientIp(ctx),
    }, values.token);
    if (r.ok) return ctx.redirect(r.redirectUrl);
    const text = shopErrorText(ctx, r.error)!;
    return await load(ctx, values, r.field ? { [r.field]: text } : {}, text, r.status);
  },
};

export default function Checkout({ data, state, url }: PageProps<Data, ShopState>) {
  const { lang } = state;
  const t = msgs({ state });
  const v = data.values;
  const e = data.errors;
  const c = data.cart;
  const name = (x: { nameEn: string; nameBn: string }) => (lang === "bn" ? x.nameBn : x.nameEn);
  const total = data.feeMinor === null
    ? null
    : c.subtotalMinor - data.discountMinor + data.feeMinor;
  return (
    <ShopLayout state={state} path={url.pathname}>
      <h1 class="text-2xl font-bold mb-4">{t.checkout.title}</h1>
      {data.formError && (
        <p
          role="alert"
          class="rounded bg-red-100 text-red-900 p-3 mb-4"
          data-testid="checkout-error"
        >
          {data.formError}
          {data.formError === t.errors.out_of_stock && (
            <>
              {" "}
              <a href="/shop/cart" class="underline">{t.shop.cart}</a>
            </>
          )}
        </p>
      )}
      <form method="post" action="/shop/checkout" class="grid gap-6 lg:grid-cols-3" novalidate>
        <input type="hidden" name="_csrf" value={data.csrf} />
        <input type="hidden" name="token" value={data.token} />
        <div class="lg:col-span-2 space-y-6">
          <fieldset class="bg-white border border-gray-200 rounded-lg p-4">
            <legend class="font-semibold px-1">{t.checkout.contact}</legend>
            <ShopContactFields t={t} values={v} errors={e} />
          </fieldset>
          <fieldset class="bg-white border border-gray-200 rounded-lg p-4">
            <legend class="font-semibold px-1">{t.checkout.address}</legend>
            <ShopPlaceFields
              t={t}
              lang={lang}
              coverage={data.coverage}
              showFees
              values={v}
              errors={e}
            />
            <details class="text-sm">
              <summary class="cursor-pointer text-gray-700">{t.checkout.feeByArea}</summary>
              <table class="mt-2 w-full text-left">
                <thead>
                  <tr>
                    <th class="py-1">{t.checkout.zone}</th>
                    <th>{t.checkout.deliveryFee}</th>
                    <th>{t.checkout.minimum}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.coverage.zones.map((z) => (
                    <tr class="border-t">
                      <td class="py-1">{name(z)}</td>
                      <td>{formatTaka(z.feeMinor, lang)}</td>
                      <td>{formatTaka(z.minOrderMinor, lang)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </details>
          </fieldset>
          <fieldset class="bg-white border border-gray-200 rounded-lg p-4">
            <legend class="font-semibold px-1">{t.checkout.when}</legend>
            <Field
              id="when"
              label={`${t.checkout.deliveryDate}, ${t.checkout.slot}`}
              error={e.deliveryDate || e.slotCode ? [e.deliveryDate ?? e.slotCode] : []}
            >
              <select
                id="when"
                name="when"
                required
                aria-describedby="when-rules"
                class={inputClass(!!(e.deliveryDate || e.slotCode))}
              >
                {data.when.map((g) => (
                  <optgroup label={g.label}>
                    {g.options.map((o) => (
                      <option
                        value={o.value}
                        selected={o.value === whenValue(v.deliveryDate, v.slotCode)}
                      >
                        {o.label}
                      </option>
                    ))}
                  </optgroup>
                ))}
              </select>
            </Field>
            <div id="when-rules" class="text-sm text-gray-600 mb-4">
              <p>{t.checkout.whenHint}</p>
              <ul class="list-disc ms-5">
                {data.slotRules.map((r) => <li>{r}</li>)}
              </ul>
            </div>
            <Field id="note" label={t.checkout.note} error={e.note ? [e.note] : []}>
              <input
                id="note"
                name="note"
                value={v.note}
                maxLength={300}
                class={inputClass(!!e.note)}
              />
            </Field>
          </fieldset>
          <fieldset class="bg-white border border-gray-200 rounded-lg p-4">
            <legend class="font-semibold px-1">{t.checkout.payment}</legend>
            {e.paymentMethod && (
              <p role="alert" class="text-sm text-red-700 mb-2">{e.paymentMethod}</p>
            )}
            {data.methods.map((m) => (
              <label class="flex gap-3 items-start rounded border border-gray-300 px-3 py-2 mb-2 cursor-pointer">
                <input
                  type="radio"
                  name="paymentMethod"
                  value={m}
                  checked={v.paymentMethod === m}
                  class="mt-1"
                  data-testid={`method-${m}`}
                />
                <span>
                  <span class="font-medium block">{t.checkout.methods[m]}</span>
                  <span class="text-sm text-gray-600">
                    {m === "balance"
                      ? `${t.checkout.methodHints.balance} ${
                        t.checkout.balanceNow(formatTaka(data.balanceMinor, lang))
                      }`
                      : t.checkout.methodHints[m]}
                  </span>
                </span>
              </label>
            ))}
          </fieldset>
        </div>
        <aside class="bg-white border border-gray-200 rounded-lg p-4 h-fit">
          <h2 class="font-semibold mb-2">{t.checkout.summary}</h2>
          <ul class="text-sm mb-3 space-y-1">
            {c.lines.map((l) => (
              <li class="flex justify-between gap-2">
                <span>{l.qty} × {l.variant ? name(l.variant) : ""}</span>
                <span>{formatTaka(l.lineTotalMinor, lang)}</span>
              </li>
            ))}
          </ul>
          <Field
            id="discountCode"
            label={t.checkout.discountCode}
            error={e.discountCode ? [e.discountCode] : []}
          >
            <input
              id="discountCode"
              name="discountCode"
              value={v.discountCode}
              autocomplete="off"
              class={`${inputClass(!!e.discountCode)} uppercase`}
            />
          </Field>
          <dl class="grid grid-cols-2 gap-y-1 text-sm mb-3">
            <dt>{t.cart.subtotal}</dt>
            <dd class="text-right">{formatTaka(c.subtotalMinor, lang)}</dd>
            {data.discountMinor > 0 && (
              <>
                <dt>{t.cart.discount}</dt>
                <dd class="text-right text-green-800">−{formatTaka(data.discountMinor, lang)}</dd>
              </>
            )}
            <dt>{t.checkout.deliveryFee}</dt>
            <dd class="text-right">
              {data.feeMinor === null ? "—" : formatTaka(data.feeMinor, lang)}
            </dd>
            <dt class="font-semibold text-base pt-1">{t.checkout.total}</dt>
            <dd class="text-right font-semibold text-base pt-1">
              {total === null ? "—" : formatTaka(total, lang)}
            </dd>
            <dt class="text-gray-600">{t.cart.vatIncluded}</dt>
            <dd class="text-right text-gray-600">{formatTaka(c.vatMinor, lang)}</dd>
          </dl>
          <ShopSubmit primary class="w-full py-3" testId="place-order">
            {t.checkout.place}
          </ShopSubmit>
        </aside>
      </form>
    </ShopLayout>
  );
}
