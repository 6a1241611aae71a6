/**
 * The shop's buttons: a submit button, a one-button form and a link that looks like a button,
 * each with its own look (`class`) and the name tests find it by (`testId`).
 */
import type { ComponentChildren } from "preact";

/** A submit button of a shop form. */
/**
 * The look of the page's main action (`primary`: `class` adds layout, e.g. width and height), or
 * `class` alone.
 */
function look(props: { class?: string; primary?: boolean }): string | undefined {
  return props.primary
    ? `rounded bg-brand-600 text-white font-semibold px-4 ${props.class}`
    : props.class;
}

export function ShopSubmit(
  props: { class?: string; primary?: boolean; testId?: string; children: ComponentChildren },
) {
  return (
    <button type="submit" class={look(props)} data-testid={props.testId}>
      {props.children}
    </button>
  );
}

/** A link styled as a button (`rel` for links that leave the site). */
export function ShopButtonLink(
  props: {
    href: string;
    class?: string;
    primary?: boolean;
    testId?: string;
    rel?: string;
    children: ComponentChildren;
  },
) {
  return (
    <a href={props.href} rel={props.rel} class={look(props)} data-testid={props.testId}>
      {props.children}
    </a>
  );
}

/**
 * A form of one button posting `fields` as hidden inputs after the CSRF token `csrf` (to `action`,
 * or to the page itself).
 */
export function ShopPostButton(props: {
  csrf: ComponentChildren;
  fields: Record<string, string | number>;
  action?: string;
  formClass?: string;
  class: string;
  testId?: string;
  children: ComponentChildren;
}) {
  return (
    <form method="post" action={props.action} class={props.formClass}>
      {props.csrf}
      {Object.entries(props.fields).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      <ShopSubmit class={props.class} testId={props.testId}>{props.children}</ShopSubmit>
    </form>
  );
}
