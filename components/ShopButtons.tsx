/**
 * The shop's buttons: a submit button and a link that looks like one, each with its own look
 * (`class`) and the name tests find it by (`testId`).
 */
import type { ComponentChildren } from "preact";

/** A submit button of a shop form. */
export function ShopSubmit(props: { class: string; testId?: string; children: ComponentChildren }) {
  return (
    <button type="submit" class={props.class} data-testid={props.testId}>
      {props.children}
    </button>
  );
}

/** A link styled as a button (`rel` for links that leave the site). */
export function ShopButtonLink(
  props: {
    href: string;
    class: string;
    testId?: string;
    rel?: string;
    children: ComponentChildren;
  },
) {
  return (
    <a href={props.href} rel={props.rel} class={props.class} data-testid={props.testId}>
      {props.children}
    </a>
  );
}
