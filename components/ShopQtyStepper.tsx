/**
 * Quantity − n + for a cart line or a product card, as plain forms (no script): each button posts
 * on its own. In the cart the number is also a field (typed, then Update or Enter); on a card it
 * is the count in the cart, and the buttons come back to the card (`back`).
 */
import type { ComponentChildren } from "preact";

const BUTTON =
  "w-10 h-10 shrink-0 rounded border border-gray-300 bg-white text-lg leading-none font-semibold";

export function ShopQtyStepper(props: {
  /** The CSRF field. */
  csrf: ComponentChildren;
  variantId: number;
  qty: number;
  labels: { less: string; more: string; qty: string; update?: string };
  /** Card: − and + step the cart and come back to `back`; cart: they set the line. */
  back?: string;
  /** The count as shown on a card (Bangla digits in Bangla). */
  qtyText?: string;
  max?: number;
}) {
  const { csrf, variantId, qty, labels, back } = props;
  const id = `q-${variantId}`;
  const post = (fields: Record<string, string | number>, label: string, sign: string) => (
    <form method="post" action="/shop/cart" class="m-0">
      {csrf}
      {Object.entries(fields).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      <button type="submit" class={BUTTON} aria-label={label}>{sign}</button>
    </form>
  );
  const more = qty < (props.max ?? 99);
  return (
    <div class="flex flex-wrap items-center gap-1" data-testid={`qty-${variantId}`}>
      {back !== undefined
        ? post({ action: "less", variantId, back }, labels.less, "−")
        : post({ action: "set", variantId, qty: qty - 1 }, labels.less, "−")}
      {back !== undefined
        ? <span class="min-w-[2rem] text-center font-semibold">{props.qtyText ?? qty}</span>
        : (
          <>
            <form method="post" action="/shop/cart" id={id} class="hidden">
              {csrf}
              <input type="hidden" name="action" value="set" />
              <input type="hidden" name="variantId" value={variantId} />
            </form>
            <label class="sr-only" for={`${id}-n`}>{labels.qty}</label>
            <input
              id={`${id}-n`}
              form={id}
              name="qty"
              type="number"
              min="0"
              max="99"
              value={qty}
              inputmode="numeric"
              class="w-12 h-10 rounded border border-gray-300 px-1 text-center"
            />
          </>
        )}
      {more &&
        (back !== undefined
          ? post({ action: "add", variantId, qty: 1, back }, labels.more, "+")
          : post({ action: "set", variantId, qty: qty + 1 }, labels.more, "+"))}
      {back === undefined && labels.update && (
        <button
          type="submit"
          form={id}
          class="ml-1 h-10 rounded border border-gray-300 px-2 text-sm"
        >
          {labels.update}
        </button>
      )}
    </div>
  );
}
