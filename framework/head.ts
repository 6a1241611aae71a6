import type { ComponentChildren, VNode } from "preact";
import { activeCollector } from "./islands.ts";

/** Adds its children to the document's <head> (title, meta, links). Renders nothing in place. */
export function Head(props: { children?: ComponentChildren }): null {
  activeCollector()?.head.push(props.children as VNode);
  return null;
}
