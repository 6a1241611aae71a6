import { type Handlers, HttpError, type PageProps } from "@/framework/mod.ts";
import { assertSignedIn, userCan } from "@/plugins/session.ts";
import { formatTaka } from "@/services/i18n/mod.ts";
import {
  customerMayCancel,
  type OrderDetail,
  packLabel,
  PAYMENT_METHODS,
  type PaymentMethod,
  z,
} from "@/services/shop/mod.ts";
import { ShopLayout } from "@/components/ShopLayout.tsx";
import { ShopStatusBadge } from "@/components/ShopStatusBadge.tsx";
import {
  cartOwner,
  clientIp,
  dateLabel,
  dhakaStamp,
  field,
  msgs,
  type ShopCtx,
  shopErrorText,
  type ShopState,
} from "../(_lib)/web.ts";
import { ShopPostButton, ShopSubmit } from "@/components/ShopButtons.tsx";

interface Data {
  order: OrderDetail;
  csrf: string;
  mayCancel: boolean;
  methods: PaymentMethod[];
  slotName: string;
  bankAccount: string;
  error: string | null;
}

async function loadOwn(ctx: ShopCtx): Promise<OrderDetail> {
  const user = assertSignedIn(ctx);
  const order = await ctx.state.deps.shop.order(ctx.params.number);
  if (!order || (order.userId !== user.id && !userCan(ctx, "sales.manage"))) {
    throw new HttpError(404);
  }
  return order;
}

async function page(ctx: ShopCtx, order: OrderDetail, error: string | null, status = 200) {
  const shop = ctx.state.deps.shop;
  const slots = await shop.slots(false);
  const slot = slots.find((s) => s.code === order.slotCode);
  ctx.state.title = `${msgs(ctx).orders.number} ${order.number} — ${ctx.state.t.site.name}`;
  return {
    status,
    data: {
      order,
      csrf: await ctx.csrfToken(),
      mayCancel: order.userId === ctx.state.user?.id && customerMayCancel(order, shop.now()),
      methods: shop.offeredMethods(false),
      slotName: slot ? (ctx.state.lang === "bn" ? slot.nameBn : slot.nameEn) : order.slotCode,
      bankAccount: ctx.state.deps.config.PAYMENT_BANK_ACCOUNT,
      error,
    },
  };
}

const actionSchema = z.discriminatedUnion("action", [
  z.object({ action: z.literal("cancel") }),
  z.object({ action: z.literal("reorder") }),
  z.object({ action: z.literal("pay"), method: z.enum(PAYMENT_METHODS) }),
]);

export const handler: Handlers<Data, ShopState> = {
  async GET(ctx) {
    return await page(ctx, await loadOwn(ctx), null);
  },
  async POST(ctx) {
    const user = assertSignedIn(ctx);
    const order = await loadOwn(ctx);
    const t = msgs(ctx);
    const parsed = actionSchema.safeParse({
      action: field(ctx.form, "action"),
      method: field(ctx.form, "method"),
    });
    if (!parsed.success) return await page(ctx, order, t.checkout.fields.method_required, 422);
    const a = parsed.data;
    const shop = ctx.state.deps.shop;
    const here = `/shop/orders/${order.number}`;
    try {
      if (a.action === "cancel") {
        await shop.cancelOrder(order.id, user.id);
        return ctx.redirect(`${here}?cancelled=1`);
      }
      if (a.action === "reorder") {
        await shop.reorder(order.id, cartOwner(ctx, true)!);
        return ctx.redirect("/shop/cart");
      }
      return ctx.redirect(
        await shop.payAgain(order, a.method, user.id, { clientIp: clientIp(ctx) }),
      );
    } catch (e) {
      const text = shopErrorText(ctx, e);
      if (text === null) throw e;
      return await page(ctx, await loadOwn(ctx), text, 409);
    }
  },
};

const STEPS = ["pending_payment", "confirmed", "packed", "out_for_delivery", "delivered"] as const;

export default function OrderPage({ data, state, url }: PageProps<Data, ShopState>) {
  const { lang } = state;
  const t = msgs({ state });
  const o = data.order;
  const q = url.searchParams;
  const csrf = <input type="hidden" name="_csrf" value={data.csrf} />;
  const due = o.totalMinor - o.paidMinor;
  const banner = q.get("placed") === "1"
    ? t.orders.thanks
    : q.get("cancelled") === "1"
    ? t.orders.cancelled
    : q.get("pay") === "ok"
    ? t.orders.paidNow
    : q.get("pay") === "failed"
    ? t.orders.payFailed
    : q.get("pay") === "cancelled"
    ? t.orders.payCancelled
    : q.get("pay") === "pending"
    ? t.orders.payPending
    : null;
  const bad = q.get("pay") === "failed" || q.get("pay") === "cancelled";
  const stepIndex = STEPS.indexOf(o.status as typeof STEPS[number]);
  const lastBank = o.payments.filter((p) => p.method === "bank_transfer").at(-1);
  // While a bank transfer is awaited, offer the other ways to pay rather than a second reference.
  const bankWaiting = o.paymentMethod === "bank_transfer" && lastBank?.status === "pending";
  const retryMethods = data.methods.filter((m) => !(bankWaiting && m === "bank_transfer"));
  return (
    <ShopLayout state={state} path={url.pathname}>
      <div class="flex flex-wrap items-center gap-3 mb-2">
        <h1 class="text-2xl font-bold" data-testid="order-number">{t.orders.number} {o.number}</h1>
        <span data-testid="order-status">
          <ShopStatusBadge status={o.status} label={t.orders.statuses[o.status]} />
        </span>
      </div>
      <p class="text-gray-700 mb-4">
        {t.orders.delivery}: {t.orders.slotOn(dateLabel(o.deliveryDate, lang), data.slotName)}
      </p>
      {banner && (
        <p
          role="status"
          class={`rounded p-3 mb-4 ${
            bad ? "bg-amber-100 text-amber-900" : "bg-green-100 text-green-900"
          }`}
          data-testid="order-banner"
        >
          {banner}
        </p>
      )}
      {data.error && (
        <p role="alert" class="rounded bg-red-100 text-red-900 p-3 mb-4">{data.error}</p>
      )}
      {o.status !== "cancelled" && o.status !== "refunded" && (
        <ol class="flex flex-wrap gap-2 mb-5 text-xs" aria-label={t.orders.timeline}>
          {STEPS.map((s, i) => (
            <li
              class={`rounded-full px-3 py-1 ${
                i <= stepIndex ? "bg-brand-700 text-white" : "bg-gray-200 text-gray-700"
              }`}
              aria-current={i === stepIndex ? "step" : undefined}
            >
              {t.orders.statuses[s]}
            </li>
          ))}
        </ol>
      )}
      <div class="grid gap-6 lg:grid-cols-3">
        <div class="lg:col-span-2 space-y-4">
          <section class="bg-white border border-gray-200 rounded-lg p-4">
            <h2 class="font-semibold mb-2">{t.orders.lines}</h2>
            <ul class="divide-y text-sm">
              {o.lines.map((l) => (
                <li class="py-2 flex justify-between gap-3">
                  <span>
                    {l.qty} × {lang === "bn" ? l.nameBn : l.nameEn}{" "}
                    ({packLabel(l.packQty, l.unit, lang)})
                  </span>
                  <span class="whitespace-nowrap">{formatTaka(l.lineTotalMinor, lang)}</span>
                </li>
              ))}
            </ul>
            <dl class="grid grid-cols-2 gap-y-1 text-sm mt-3 border-t pt-3">
              <dt>{t.cart.subtotal}</dt>
              <dd class="text-right">{formatTaka(o.subtotalMinor, lang)}</dd>
              {o.discountMinor > 0 && (
                <>
                  <dt>{t.cart.discount}</dt>
                  <dd class="text-right text-green-800">−{formatTaka(o.discountMinor, lang)}</dd>
                </>
              )}
              <dt>{t.checkout.deliveryFee}</dt>
              <dd class="text-right">{formatTaka(o.deliveryFeeMinor, lang)}</dd>
              <dt class="font-semibold">{t.cart.total}</dt>
              <dd class="text-right font-semibold" data-testid="order-total">
                {formatTaka(o.totalMinor, lang)}
              </dd>
              <dt class="text-gray-600">{t.cart.vatIncluded}</dt>
              <dd class="text-right text-gray-600">{formatTaka(o.vatMinor, lang)}</dd>
              <dt>{t.orders.paid}</dt>
              <dd class="text-right">{formatTaka(o.paidMinor, lang)}</dd>
              {o.refundedMinor > 0 && (
                <>
                  <dt>{t.orders.refunded}</dt>
                  <dd class="text-right">{formatTaka(o.refundedMinor, lang)}</dd>
                </>
              )}
            </dl>
          </section>
          {o.status === "pending_payment" && o.paymentMethod === "bank_transfer" && lastBank && (
            <section
              class="bg-white border border-gray-200 rounded-lg p-4"
              data-testid="bank-instructions"
            >
              <h2 class="font-semibold mb-2">{t.orders.bankTitle}</h2>
              <p class="text-sm mb-2">{t.orders.bankText(o.number)}</p>
              <dl class="grid grid-cols-3 gap-y-1 text-sm">
                <dt>{t.orders.bankAccount}</dt>
                <dd class="col-span-2">{data.bankAccount}</dd>
                <dt>{t.orders.reference}</dt>
                <dd class="col-span-2 font-mono font-semibold">{o.number}</dd>
                <dt>{t.orders.amount}</dt>
                <dd class="col-span-2 font-semibold">{formatTaka(lastBank.amountMinor, lang)}</dd>
              </dl>
            </section>
          )}
          {o.paymentMethod === "cod" && due > 0 && o.status !== "cancelled" && (
            <p class="text-sm bg-white border rounded p-3">
              {t.orders.codText} {formatTaka(due, lang)}
            </p>
          )}
          {o.status === "pending_payment" && retryMethods.length > 0 && (
            <form
              method="post"
              class="bg-white border border-gray-200 rounded-lg p-4"
              data-testid="pay-form"
            >
              {csrf}
              <input type="hidden" name="action" value="pay" />
              <fieldset>
                <legend class="font-semibold mb-2">
                  {bankWaiting ? t.orders.payOtherWay : t.orders.payWith}
                </legend>
                {retryMethods.map((m, i) => (
                  <label class="flex gap-2 items-center mb-1">
                    <input
                      type="radio"
                      name="method"
                      value={m}
                      checked={m === o.paymentMethod ||
                        (i === 0 && !retryMethods.includes(o.paymentMethod))}
                    />
                    {t.checkout.methods[m]}
                  </label>
                ))}
              </fieldset>
              <ShopSubmit primary class="mt-2 py-2">
                {t.orders.payNow} {formatTaka(due, lang)}
              </ShopSubmit>
            </form>
          )}
        </div>
        <aside class="space-y-4">
          <section class="bg-white border border-gray-200 rounded-lg p-4 text-sm">
            <h2 class="font-semibold mb-2">{t.orders.address}</h2>
            <p>{o.contact.recipient}</p>
            <p>{o.contact.phone.replace(/^\+880/, "0")}</p>
            <p>{o.contact.line}</p>
            <p>
              {lang === "bn"
                ? `${o.zoneNameBn}, ${o.geoNames.upazilaBn}, ${o.geoNames.districtBn}, ${o.geoNames.divisionBn}`
                : `${o.zoneNameEn}, ${o.geoNames.upazila}, ${o.geoNames.district}, ${o.geoNames.division}`}
            </p>
            {o.note && <p class="text-gray-600 mt-1">“{o.note}”</p>}
          </section>
          <section class="bg-white border border-gray-200 rounded-lg p-4 text-sm">
            <h2 class="font-semibold mb-2">{t.orders.payments}</h2>
            <ul class="space-y-1">
              {o.payments.map((p) => (
                <li class="flex justify-between gap-2">
                  <span>{t.checkout.methods[p.method]}</span>
                  <span>
                    {formatTaka(p.amountMinor, lang)} · {t.orders.paymentStatus[p.status]}
                  </span>
                </li>
              ))}
            </ul>
          </section>
          <section class="bg-white border border-gray-200 rounded-lg p-4 text-sm">
            <h2 class="font-semibold mb-2">{t.orders.timeline}</h2>
            <ul class="space-y-1">
              {o.events.map((e) => (
                <li>
                  <span class="text-gray-600">{dhakaStamp(e.at, lang)}</span> ·{" "}
                  {t.orders.statuses[e.toStatus as keyof typeof t.orders.statuses] ?? e.toStatus}
                </li>
              ))}
            </ul>
          </section>
          <div class="flex flex-col gap-2">
            <ShopPostButton
              csrf={csrf}
              fields={{ action: "reorder" }}
              class="w-full rounded border border-brand-600 text-brand-700 font-semibold px-4 py-2"
            >
              {t.orders.reorder}
            </ShopPostButton>
            {data.mayCancel && (
              <details class="bg-white border border-gray-200 rounded-lg p-3 text-sm">
                <summary class="cursor-pointer text-red-700 font-medium">{t.orders.cancel}</summary>
                <p class="my-2">{t.orders.cancelUntil(dhakaStamp(o.cutoffAt, lang))}</p>
                <ShopPostButton
                  csrf={csrf}
                  fields={{ action: "cancel" }}
                  class="rounded bg-red-700 text-white px-3 py-2"
                  testId="cancel-order"
                >
                  {t.orders.cancelConfirm}
                </ShopPostButton>
              </details>
            )}
          </div>
        </aside>
      </div>
    </ShopLayout>
  );
}
