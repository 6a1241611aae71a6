import type { Lang } from "@/services/i18n/mod.ts";
import type { Coverage, ShopMessages } from "@/services/shop/mod.ts";
import { FormField, inputClass } from "@/components/FormField.tsx";
import { ShopCoveragePicker } from "@/components/ShopCoveragePicker.tsx";

type Values = Record<string, string>;

/** Who receives the delivery and their phone (checkout and new subscriptions). */
export function ShopContactFields(
  { t, values: v, errors: e }: { t: ShopMessages; values: Values; errors: Values },
) {
  return (
    <div class="grid gap-x-4 sm:grid-cols-2">
      <FormField
        id="recipient"
        label={t.checkout.recipient}
        errors={e.recipient ? [e.recipient] : []}
      >
        <input
          id="recipient"
          name="recipient"
          value={v.recipient}
          autocomplete="name"
          required
          class={inputClass(!!e.recipient)}
        />
      </FormField>
      <FormField id="phone" label={t.checkout.phone} errors={e.phone ? [e.phone] : []}>
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
      </FormField>
    </div>
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
      <FormField id="line" label={t.checkout.line} errors={e.line ? [e.line] : []}>
        <input
          id="line"
          name="line"
          value={v.line}
          autocomplete="street-address"
          placeholder={t.checkout.linePlaceholder}
          required
          class={inputClass(!!e.line)}
        />
      </FormField>
    </>
  );
}
