import type { Lang } from "@/services/i18n/mod.ts";
import type { Coverage, ShopMessages } from "@/services/shop/mod.ts";
import { Field, inputClass } from "@/components/ui.tsx";
import { ShopCoveragePicker } from "@/components/ShopCoveragePicker.tsx";

type Values = Record<string, string>;

/** Who receives the delivery and their phone (checkout and new subscriptions). */
export function ShopContactFields(
  { t, values: v, errors: e }: { t: ShopMessages; values: Values; errors: Values },
) {
  return (
    <div class="grid gap-x-4 sm:grid-cols-2">
      <Field
        id="recipient"
        label={t.checkout.recipient}
        error={e.recipient ? [e.recipient] : []}
      >
        <input
          id="recipient"
          name="recipient"
          value={v.recipient}
          autocomplete="name"
          required
          class={inputClass(!!e.recipient)}
        />
      </Field>
      <Field id="phone" label={t.checkout.phone} error={e.phone ? [e.phone] : []}>
        <input
          id="phone"
          name="phone"
          type="tel"
          inputmode="tel"
          value={v.phone}
          autocomplete="tel"
          placeholder="01712-345678"
          required
          class={inputClass(!!e.phone)}
        />
      </Field>
    </div>
  );
}

/** The street line of a delivery address (after the place is picked). */
export function ShopStreetField(
  { t, values: v, errors: e }: { t: ShopMessages; values: Values; errors: Values },
) {
  return (
    <Field id="line" label={t.checkout.line} error={e.line ? [e.line] : []}>
      <input
        id="line"
        name="line"
        value={v.line}
        autocomplete="street-address"
        placeholder={t.checkout.linePlaceholder}
        required
        class={inputClass(!!e.line)}
      />
    </Field>
  );
}

/** Where to deliver: the place picker (division → zone) and the street line. */
export function ShopPlaceFields(
  props: {
    t: ShopMessages;
    lang: Lang;
    coverage: Coverage;
    showFees: boolean;
    values: Values;
    errors: Values;
  },
) {
  const { t, values: v, errors: e } = props;
  return (
    <>
      <ShopCoveragePicker
        coverage={props.coverage}
        lang={props.lang}
        showFees={props.showFees}
        value={v}
        errors={e}
        labels={t.checkout}
      />
      <ShopStreetField t={t} values={v} errors={e} />
    </>
  );
}
