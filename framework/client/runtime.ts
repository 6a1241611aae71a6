/**
 * The browser side of islands: finds the `<!--frsh:island:…-->` markers the server left, rebuilds
 * each island's props (signals included) and hydrates the island in place. Slots (JSX the server
 * rendered into an island) keep their server HTML.
 */
import { type ComponentType, h, hydrate, type VNode } from "preact";
import { signal } from "@preact/signals";
import { parse } from "../serializer.ts";

interface IslandState {
  /** One entry per island instance: [name, props, slot names]. */
  islands: [string, Record<string, unknown>, string[]][];
}

/** A stand-in parent that lets Preact hydrate the nodes between two comment markers. */
function rootBetween(start: Comment, end: Comment) {
  const parent = start.parentNode as Node & ParentNode;
  const between = () => {
    const out: ChildNode[] = [];
    for (let n = start.nextSibling; n && n !== end; n = n.nextSibling) out.push(n);
    return out;
  };
  return {
    nodeType: 1,
    parentNode: parent,
    namespaceURI: (parent as Element).namespaceURI,
    ownerDocument: parent.ownerDocument,
    get firstChild() {
      const n = start.nextSibling;
      return n === end ? null : n;
    },
    get childNodes() {
      return between();
    },
    insertBefore(node: Node, ref: Node | null) {
      return parent.insertBefore(node, ref ?? end);
    },
    appendChild(node: Node) {
      return parent.insertBefore(node, end);
    },
    removeChild(node: Node) {
      return parent.removeChild(node);
    },
    contains(node: Node) {
      return between().some((c) => c === node || c.contains(node));
    },
  } as unknown as Element;
}

export function boot(components: Record<string, ComponentType<any>>, stateId: string) {
  const el = document.getElementById(stateId);
  if (!el) return;
  const state = parse(el.textContent ?? "", { signal }) as IslandState;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_COMMENT);
  const open: { node: Comment; name: string; index: number }[] = [];
  const found: { start: Comment; end: Comment; name: string; index: number }[] = [];
  for (let n = walker.nextNode() as Comment | null; n; n = walker.nextNode() as Comment | null) {
    const text = n.data;
    if (text.startsWith("frsh:island:")) {
      const [, , name, index] = text.split(":");
      open.push({ node: n, name, index: Number(index) });
    } else if (text === "/frsh:island") {
      const start = open.pop();
      if (start) found.push({ start: start.node, end: n, name: start.name, index: start.index });
    }
  }
  // Outer islands first: their slots keep the inner islands' server HTML in place.
  found.sort((a, b) => a.index - b.index);
  for (const { start, end, name, index } of found) {
    const Component = components[name];
    const entry = state.islands[index];
    if (!Component || !entry) continue;
    const [, props, slots] = entry;
    const full: Record<string, unknown> = { ...props };
    for (const slot of slots) {
      const id = `${index}:${slot}`;
      const slotEl = document.querySelector(`frsh-slot[data-frsh-slot="${id}"]`);
      full[slot] = h("frsh-slot", {
        "data-frsh-slot": id,
        dangerouslySetInnerHTML: { __html: slotEl?.innerHTML ?? "" },
      }) as VNode;
    }
    hydrate(h(Component, full), rootBetween(start, end));
  }
}
