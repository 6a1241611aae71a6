/**
 * Islands: components from `islands/` that ship JavaScript. On the server a Preact `options.vnode`
 * hook swaps each island for a wrapper that (only for the outermost island) records the island and
 * its props for the page and surrounds its HTML with `<!--frsh:island:Name:index:key-->` markers.
 * JSX passed to an island (children or any other prop) is rendered on the server inside a
 * `<frsh-slot>` element and kept as-is on the client.
 */
import { type ComponentType, createContext, Fragment, h, options, type VNode } from "preact";
import { useContext } from "preact/hooks";
import { join, relative, SEPARATOR, toFileUrl } from "./path.ts";

export interface IslandInfo {
  /** Unique name used in markers and the boot script, e.g. "Counter" or "CartButton_Mini". */
  name: string;
  /** Absolute path of the module. */
  file: string;
  /** Path relative to the project, for messages. */
  label: string;
  exportName: string;
  component: ComponentType<any>;
  /**
   * Class-like words from the island's string literals: an island may switch to classes the
   * server HTML never showed, so their CSS is shipped with every page that uses the island.
   */
  classHints: string;
}

/** The words of every string literal in a source text that could be Tailwind classes. */
export function classHintsOf(source: string): string {
  const words = new Set<string>();
  for (const m of source.matchAll(/"([^"\\\n]*)"|'([^'\\\n]*)'|`([^`\\]*)`/g)) {
    for (const w of (m[1] ?? m[2] ?? m[3] ?? "").split(/\s+/)) {
      if (/^[a-z!-][a-z0-9:_\-\[\]\/\.%#!]*$/.test(w) && /[-:]/.test(w)) words.add(w);
    }
  }
  return [...words].join(" ");
}

export interface IslandUse {
  info: IslandInfo;
  props: Record<string, unknown>;
  /** Names of props that were JSX and are rendered as slots. */
  slots: string[];
}

/** What the current server render collects; renders are synchronous, so one at a time. */
export interface RenderCollector {
  islands: IslandUse[];
  head: VNode[];
  /** This render's CSP nonce (render.ts): only elements carrying it are the page's own. */
  nonce: string;
}

let current: RenderCollector | null = null;
export function withCollector<T>(collector: RenderCollector, fn: () => T): T {
  const prev = current;
  current = collector;
  try {
    return fn();
  } finally {
    current = prev;
  }
}
export function activeCollector(): RenderCollector | null {
  return current;
}

/**
 * The CSP nonce of the page being rendered, for a component's own inline `<script>` or
 * `<style>` (`nonce={renderNonce()}`): the policy allows only elements that carry it, so markup
 * that slipped into the page any other way stays blocked. Undefined outside a server render.
 */
export function renderNonce(): string | undefined {
  return current?.nonce || undefined;
}

const InIsland = createContext(false);
const wrappers = new Map<ComponentType<any>, ComponentType<any>>();
const inner = new WeakSet<ComponentType<any>>();

export function isJsx(v: unknown): boolean {
  if (Array.isArray(v)) return v.some(isJsx);
  // Signals also pose as vnodes (to render as text), so they are ruled out by their brand.
  return typeof v === "object" && v !== null && (v as { constructor?: unknown }).constructor ===
      undefined &&
    "type" in v && "props" in v &&
    (v as { brand?: symbol }).brand !== Symbol.for("preact-signals");
}

function Slot(props: { id: string; children?: unknown }) {
  // Islands inside a slot are server content again, so they get markers of their own.
  return h(
    "frsh-slot",
    { "data-frsh-slot": props.id },
    h(InIsland.Provider, { value: false }, props.children as VNode),
  );
}

function makeWrapper(info: IslandInfo): ComponentType<any> {
  // Called as a plain function so that the vnode hook does not wrap it again.
  const Inner = (props: Record<string, unknown>) =>
    (info.component as (p: unknown) => VNode)(props);
  inner.add(Inner);
  const Wrapper = (props: Record<string, unknown>) => {
    const nested = useContext(InIsland);
    const collector = current;
    if (nested || !collector) return h(Inner, props);
    const index = collector.islands.length;
    const serial: Record<string, unknown> = {};
    const rendered: Record<string, unknown> = {};
    const slots: string[] = [];
    for (const [k, v] of Object.entries(props)) {
      if (k === "key" || k === "ref") continue;
      if (isJsx(v)) {
        slots.push(k);
        rendered[k] = h(Slot, { id: `${index}:${k}`, children: v });
      } else {
        serial[k] = v;
        rendered[k] = v;
      }
    }
    collector.islands.push({ info, props: serial, slots });
    return h(
      Fragment,
      null,
      h(Fragment, { UNSTABLE_comment: `frsh:island:${info.name}:${index}:` } as any),
      h(InIsland.Provider, { value: true }, h(Inner, rendered)),
      h(Fragment, { UNSTABLE_comment: "/frsh:island" } as any),
    );
  };
  (Wrapper as { displayName?: string }).displayName = `Island(${info.name})`;
  return Wrapper;
}

let hooked = false;
function installHook() {
  if (hooked) return;
  hooked = true;
  const prev = options.vnode;
  options.vnode = (vnode) => {
    const wrapper = typeof vnode.type === "function" && !inner.has(vnode.type as ComponentType)
      ? wrappers.get(vnode.type as ComponentType)
      : undefined;
    if (wrapper) (vnode as { type: unknown }).type = wrapper;
    prev?.(vnode);
  };
}

const ISLAND_FILE = /\.(tsx|jsx|ts|js)$/;

/** Imports every island module under `dir` and registers its exported components. */
export async function loadIslands(dir: string, projectRoot: string): Promise<IslandInfo[]> {
  installHook();
  const files: string[] = [];
  const walk = async (d: string) => {
    for await (const e of Deno.readDir(d)) {
      const full = join(d, e.name);
      // "(_name)" folders hold modules the islands import, not islands (as in Fresh 2).
      if (e.isDirectory) {
        if (!e.name.startsWith("(_")) await walk(full);
      } else if (ISLAND_FILE.test(e.name) && !/_test\./.test(e.name)) files.push(full);
    }
  };
  try {
    await walk(dir);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return [];
    throw e;
  }
  files.sort();
  const out: IslandInfo[] = [];
  const names = new Set<string>();
  for (const file of files) {
    const mod = await import(toFileUrl(file).href);
    const classHints = classHintsOf(await Deno.readTextFile(file));
    const base = relative(dir, file).replace(ISLAND_FILE, "").split(SEPARATOR).join("_")
      .replace(/[^A-Za-z0-9_]/g, "_");
    for (const [exportName, value] of Object.entries(mod)) {
      if (typeof value !== "function") continue;
      const name = exportName === "default" ? base : `${base}_${exportName}`;
      if (names.has(name)) throw new Error(`Two islands are named ${name}`);
      names.add(name);
      const info: IslandInfo = {
        name,
        file,
        label: relative(projectRoot, file),
        exportName,
        component: value as ComponentType,
        classHints,
      };
      if (!wrappers.has(info.component)) wrappers.set(info.component, makeWrapper(info));
      out.push(info);
    }
  }
  return out;
}
