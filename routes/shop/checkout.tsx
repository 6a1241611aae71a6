import type { Handlers, PageProps } from "@/framework/mod.ts";
import { deleteCookie, getCookies, zodFields } from "@/framework/mod.ts";
import { secureCookies, type SessionUser, startSession } from "@/plugins/session.ts";
import { formatTaka } from "@/services/i18n/mod.ts";
import {
  ADDRESS_FIELDS,
  type CartView,
  checkoutCatalogs,
  type CheckoutForm,
  checkoutSchema,
  type Coverage,
  formToken,
  isGuestId,
  minOrderShortMinor,
  type PaymentMethod,
  placeGroups,
  placeValue,
  resolvePlace,
  ShopError,
} from "@/services/shop/mod.ts";
import { ShopLayout } from "@/components/ShopLayout.tsx";
import { Field, inputClass, PostForm } from "@/components/ui.tsx";
import { ShopContactFields, ShopStreetField } from "@/components/ShopAddressFields.tsx";
import {
  addressValues,
  cartOwner,
  clientIp,
  dateLabel,
  field,
  GUEST_COOKIE,
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
  /** Not signed in: the order is confirmed with a code sent to the phone. */
  guest: boolean;
  /** The code step of guest checkout: where the code went. */
  codeSentTo: string | null;
  /** How much the order lacks of the chosen area's minimum (0: enough). */
  shortMinor: number;
}

const FIELDS = [
  ...ADDRESS_FIELDS,
  "deliveryDate",
  "slotCode",
  "paymentMethod",
  "discountCode",
  "note",
] as const;

/** The form values the code step of guest checkout carries back (hidden). */
const CARRIED = [...FIELDS, "place"] as const;

/** The words of guest checkout, the area picker and the minimum order. */
const cmsgs = (ctx: { state: ShopState }) => checkoutCatalogs[ctx.state.lang];

async function load(
  ctx: ShopCtx,
  values: Record<string, string>,
  errors: Record<string, string>,
  formError: string | null,
  status = 200,
  codeSentTo: string | null = null,
) {
  const user: SessionUser | null = ctx.state.user ?? null;
  const shop = ctx.state.deps.shop;
  const t = msgs(ctx);
  const owner = cartOwner(ctx);
  const [{ view: cart }, cov, slots, balanceMinor] = await Promise.all([
    shop.viewCart(owner),
    shop.coverage(),
    shop.slots(),
    user ? shop.balance(user.id) : Promise.resolve(0),
  ]);
  // The area picker's value from the place the values name (a remembered address).
  if (!values.place && values.upazilaId && values.zoneId) {
    values.place = placeValue(Number(values.upazilaId), Number(values.zoneId));
  }
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
      discountMinor =
        (await shop.checkCode(values.discountCode, cart.subtotalMinor, user?.id ?? null))
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
      methods: shop.offeredMethods(!!user),
      balanceMinor,
      values,
      errors,
      formError,
      discountMinor,
      feeMinor: zone ? zone.feeMinor + (slot?.extraFeeMinor ?? 0) : null,
      guest: !user,
      codeSentTo,
      shortMinor: zone ? minOrderShortMinor(zone, cart.subtotalMinor, discountMinor) : 0,
    } satisfies Data,
  };
}

/** Reads the posted checkout form; the area ("place") fills division, district, thana, zone. */
async function readForm(ctx: ShopCtx): Promise<Record<string, string>> {
  const form = ctx.form;
  const values: Record<string, string> = { token: formToken.parse(field(form, "token")) };
  for (const k of FIELDS) values[k] = field(form, k);
  values.place = field(form, "place");
  if (values.place) {
    const geo = resolvePlace(await ctx.state.deps.shop.coverage(), values.place);
    values.divisionId = geo ? String(geo.divisionId) : "";
    values.districtId = geo ? String(geo.districtId) : "";
    values.upazilaId = geo ? String(geo.upazilaId) : "";
    values.zoneId = geo ? String(geo.zoneId) : "";
  }
  // The page posts one (date, slot) pair; its parts are checked like separate fields.
  const when = field(form, "when");
  if (when) {
    const m = when.match(WHEN_RE);
    values.deliveryDate = m?.[1] ?? "";
    values.slotCode = m?.[2] ?? "";
  }
  return values;
}

/** The minimum-order message naming the amount short and the area, or null. */
function shortText(ctx: ShopCtx, page: { data: Data }): string | null {
  const d = page.data;
  const zone = d.coverage.zones.find((z) => String(z.id) === d.values.zoneId);
  if (!zone || d.shortMinor <= 0) return null;
  const lang = ctx.state.lang;
  return cmsgs(ctx).addMore(
    formatTaka(d.shortMinor, lang),
    lang === "bn" ? zone.nameBn : zone.nameEn,
  );
}

/** Places the order of the signed-in customer; a refusal re-renders the form. */
async function place(
  ctx: ShopCtx,
  user: SessionUser,
  values: Record<string, string>,
  form: CheckoutForm,
  owner = cartOwner(ctx)!,
) {
  const r = await ctx.state.deps.shop.checkout(owner, {
    userId: user.id,
    lang: ctx.state.lang,
    form,
    clientIp: clientIp(ctx),
  }, values.token);
  if (r.ok) return ctx.redirect(r.redirectUrl);
  const text = shopErrorText(ctx, r.error)!;
  const page = await load(ctx, values, {}, text, r.status);
  // Below the area's minimum: say by how much, for which area.
  const short = r.code === "min_order" ? shortText(ctx, page) : null;
  const shown = short ?? text;
  page.data.formError = shown;
  if (r.field) page.data.errors[r.field === "zoneId" ? "place" : r.field] = shown;
  return page;
}

export const handler: Handlers<Data, ShopState> = {
  async GET(ctx) {
    const user = ctx.state.user ?? null;
    const shop = ctx.state.deps.shop;
    const owner = cartOwner(ctx);
    const cart = owner ? await shop.cart(owner) : { items: [] };
    if (cart.items.length === 0) return ctx.redirect("/shop/cart");
    const values: Record<string, string> = user
      ? await (async () => {
        const d = await shop.checkoutDefaults(user.id);
        return {
          ...addressValues(d, user.displayName, d.phone),
          paymentMethod: d.paymentMethod ?? "",
          discountCode: (cart as { discountCode?: string }).discountCode ?? "",
          note: "",
        };
      })()
      : {
        recipient: "",
        phone: "",
        line: "",
        paymentMethod: "",
        discountCode: (cart as { discountCode?: string }).discountCode ?? "",
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
    const t = msgs(ctx);
    const c = cmsgs(ctx);
    const values = await readForm(ctx);
    // "Change details" on the code step: the form again, as the guest typed it.
    if (!ctx.state.user && field(ctx.form, "step") === "edit") {
      return await load(ctx, values, {}, null);
    }
    const parsed = checkoutSchema.safeParse(values);
    if (!parsed.success) {
      const errors: Record<string, string> = {};
      for (const [k, msgsList] of Object.entries(zodFields(parsed.error))) {
        const key = ["divisionId", "districtId", "upazilaId", "zoneId"].includes(k) ? "place" : k;
        errors[key] ??= t.checkout.fields[msgsList[0]] ?? msgsList[0];
      }
      return await load(ctx, values, errors, t.checkout.fixErrors, 422);
    }
    const user = ctx.state.user;
    // One order per checkout form, however often it is submitted.
    if (user) return await place(ctx, user, values, parsed.data);

    // A guest: first the form and the area's minimum, then a code to the phone, then the order.
    if (!cartOwner(ctx)) return ctx.redirect("/shop/cart");
    const identity = ctx.state.deps.identity;
    const code = field(ctx.form, "code");
    if (field(ctx.form, "step") !== "code") {
      const asked = `${values.deliveryDate}/${values.slotCode}`;
      const page = await load(ctx, values, {}, null);
      if (!page.data.cart.ok) return ctx.redirect("/shop/cart");
      // A (date, slot) pair no longer open is refused here, before any code is sent.
      if (asked !== `${values.deliveryDate}/${values.slotCode}`) {
        const text = shopErrorText(ctx, new ShopError("past_cutoff"))!;
        page.status = 422;
        page.data.formError = text;
        page.data.errors.deliveryDate = text;
        return page;
      }
      const short = shortText(ctx, page);
      if (short) {
        page.status = 422;
        page.data.formError = short;
        page.data.errors.place = short;
        return page;
      }
      const sent = await identity.startGuestCode({
        phone: values.phone,
        name: values.recipient,
        locale: ctx.state.lang,
      });
      if (!sent.ok) {
        page.status = 429;
        page.data.formError = c.codeFailed.throttled;
        return page;
      }
      page.data.codeSentTo = sent.sentTo;
      return page;
    }
    const r = await identity.completeGuestCode({
      phone: values.phone,
      code,
      ip: clientIp(ctx) ?? "local",
    });
    if (!r.ok) {
      const text = c.codeFailed[r.reason] ?? r.message;
      const page = await load(ctx, values, { code: text }, text, 422, "…");
      page.data.codeSentTo = ctx.form?.get("sentTo")?.toString() || "…";
      return page;
    }
    if (r.needsSecondFactor) {
      // The account has a second step: the verify page says why it is asked here; the guest
      // cart joins the account's once signed in (the shop's middleware).
      await startSession(ctx, r.user, { stage: "second_factor", next: "/shop/checkout" });
      return ctx.redirect("/signin/verify?why=checkout");
    }
    await startSession(ctx, r.user, { stage: "signed_in" });
    const shop = ctx.state.deps.shop;
    const guestId = getCookies(ctx.req)[GUEST_COOKIE];
    const guestCart = isGuestId(guestId) ? guestId : null;
    const dropGuestCart = async () => {
      if (!guestCart) return;
      await shop.mergeGuestCart(guestCart, r.user.id);
      deleteCookie(ctx.responseHeaders, GUEST_COOKIE, {
        secure: secureCookies(ctx.state.deps.config),
      });
    };
    if (r.mustEnrollSecondFactor) {
      await dropGuestCart();
      return ctx.redirect(`/account/two-factor?next=${encodeURIComponent("/shop/checkout")}`);
    }
    // The order is what the guest reviewed: placed from the guest cart, so an existing
    // customer's own saved cart is neither added to it nor lost (it stays for later).
    const owner = guestCart ? shop.ownerOfGuest(guestCart) : cartOwner(ctx)!;
    const placed = await place(ctx, ctx.state.user!, values, parsed.data, owner);
    // Placed: the guest cart is empty now. Refused: what the guest chose joins the account's
    // cart, and the form shows the refusal with that cart.
    await dropGuestCart();
    if (placed instanceof Response || !guestCart) return placed;
    return await load(ctx, values, placed.data.errors, placed.data.formError, placed.status);
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
  const w = checkoutCatalogs[lang];
  const zone = data.coverage.zones.find((z) => String(z.id) === v.zoneId);
  if (data.codeSentTo !== null) {
    return (
      <ShopLayout state={state} path={url.pathname}>
        <CodeStep data={data} lang={lang} />
      </ShopLayout>
    );
  }
  return (
    <ShopLayout state={state} path={url.pathname}>
      <h1 class="text-2xl font-bold mb-4">{t.checkout.title}</h1>
      {data.guest && (
        <p class="rounded bg-blue-50 text-blue-900 p-3 mb-4 text-sm" data-testid="guest-intro">
          {w.guestIntro} {w.haveAccount}{" "}
          <a href="/signin?next=%2Fshop%2Fcheckout" class="underline font-medium">{w.signIn}</a>
        </p>
      )}
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
      <PostForm
        csrf={data.csrf}
        action="/shop/checkout"
        class="grid gap-6 lg:grid-cols-3"
        novalidate
      >
        <input type="hidden" name="token" value={data.token} />
        <div class="lg:col-span-2 space-y-6">
          <fieldset class="bg-white border border-gray-200 rounded-lg p-4">
            <legend class="font-semibold px-1">{t.checkout.contact}</legend>
            <ShopContactFields t={t} values={v} errors={e} />
          </fieldset>
          <fieldset class="bg-white border border-gray-200 rounded-lg p-4">
            <legend class="font-semibold px-1">{t.checkout.address}</legend>
            <AreaFields data={data} lang={lang} />
            <ShopStreetField t={t} values={v} errors={e} />
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
          {zone && (
            <p class="text-sm mb-3" data-testid="min-order">
              {w.minimumFor(formatTaka(zone.minOrderMinor, lang), name(zone))}
              {data.shortMinor > 0 && (
                <strong class="block text-red-800">
                  {w.addMore(formatTaka(data.shortMinor, lang), name(zone))}
                </strong>
              )}
            </p>
          )}
          <ShopSubmit primary class="w-full py-3" testId="place-order">
            {t.checkout.place}
          </ShopSubmit>
        </aside>
      </PostForm>
    </ShopLayout>
  );
}

/** The area first: the served thanas grouped by zone (fee, minimum); the rest follows. */
function AreaFields({ data, lang }: { data: Data; lang: "en" | "bn" }) {
  const w = checkoutCatalogs[lang];
  const v = data.values;
  const err = data.errors.place ?? data.errors.zoneId ?? data.errors.upazilaId;
  const name = (x: { nameEn: string; nameBn: string }) => (lang === "bn" ? x.nameBn : x.nameEn);
  const upazila = data.coverage.upazilas.find((u) => String(u.id) === v.upazilaId);
  const district = upazila && data.coverage.districts.find((d) => d.id === upazila.districtId);
  const division = district && data.coverage.divisions.find((d) => d.id === district.divisionId);
  return (
    <Field id="place" label={w.place} error={err ? [err] : []}>
      <select
        id="place"
        name="place"
        required
        aria-describedby="place-hint"
        class={inputClass(!!err)}
        data-testid="place"
      >
        <option value="">{lang === "bn" ? "বেছে নিন…" : "Choose…"}</option>
        {placeGroups(data.coverage).map((g) => (
          <optgroup
            label={w.zoneTerms(
              name(g.zone),
              formatTaka(g.zone.feeMinor, lang),
              formatTaka(g.zone.minOrderMinor, lang),
            )}
          >
            {g.upazilas.map((u) => (
              <option
                value={placeValue(u.id, g.zone.id)}
                selected={placeValue(u.id, g.zone.id) === v.place}
              >
                {name(u)} ({name(g.zone)})
              </option>
            ))}
          </optgroup>
        ))}
      </select>
      <p id="place-hint" class="text-sm text-gray-600 mt-1">
        {district && division ? w.filledFrom(name(district), name(division)) : w.placeHint}
      </p>
    </Field>
  );
}

/** Guest checkout's last step: the code sent to the phone; the form rides along hidden. */
function CodeStep({ data, lang }: { data: Data; lang: "en" | "bn" }) {
  const w = checkoutCatalogs[lang];
  const e = data.errors;
  return (
    <section class="max-w-md">
      <h1 class="text-2xl font-bold mb-4">{w.codeTitle}</h1>
      {data.formError && (
        <p role="alert" class="rounded bg-red-100 text-red-900 p-3 mb-4" data-testid="code-error">
          {data.formError}
        </p>
      )}
      <p class="mb-2" data-testid="code-sent">{w.codeSent(data.codeSentTo ?? "")}</p>
      <p class="mb-4 text-sm text-gray-700">{w.codeWhy}</p>
      <PostForm csrf={data.csrf} action="/shop/checkout" novalidate>
        <input type="hidden" name="token" value={data.token} />
        <input type="hidden" name="step" value="code" />
        <input type="hidden" name="sentTo" value={data.codeSentTo ?? ""} />
        {CARRIED.map((k) => <input type="hidden" name={k} value={data.values[k] ?? ""} />)}
        <Field id="code" label={w.code} error={e.code ? [e.code] : []}>
          <input
            id="code"
            name="code"
            inputmode="numeric"
            autocomplete="one-time-code"
            pattern="[0-9]*"
            maxLength={6}
            required
            class={inputClass(!!e.code)}
          />
        </Field>
        <ShopSubmit primary class="w-full py-3" testId="confirm-code">{w.confirm}</ShopSubmit>
      </PostForm>
      <PostForm csrf={data.csrf} action="/shop/checkout" class="mt-4 text-sm">
        <input type="hidden" name="token" value={data.token} />
        <input type="hidden" name="step" value="edit" />
        {CARRIED.map((k) => <input type="hidden" name={k} value={data.values[k] ?? ""} />)}
        <button type="submit" class="underline" data-testid="change-details">
          {w.changeDetails}
        </button>
      </PostForm>
    </section>
  );
}
