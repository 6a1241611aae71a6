/**
 * Server rendering: runs Preact's renderToString with the island collector active, then adds to
 * the document the page's <Head> content, the Twind CSS the page uses (inline), modulepreload links
 * and the boot script for the islands the page actually rendered. A page that rendered no island
 * gets no script at all. Every inline script and style of the finished document (ours and those
 * pages render themselves) is hashed for the Content Security Policy, so the page's bytes are the
 * same for every request and can be cached compressed.
 */
import { createHash } from "node:crypto";
import type { VNode } from "preact";
import { renderToString } from "preact-render-to-string";
import { extract, type Twind } from "@twind/core";
import { type Bundle, moduleGraph } from "./bundler.ts";
import { type RenderCollector, withCollector } from "./islands.ts";
import { SerializeError, stringify } from "./serializer.ts";
import type { InlineHashes } from "./types.ts";

export interface RenderEnv {
  bundle: Bundle;
  tw: Twind;
  /** CSS by the set of class attributes a page used: pages of one shape share their CSS. */
  cssCache?: Map<string, string>;
}

const CSS_CACHE_MAX = 500;

/** The Twind CSS for these class attribute values, from the cache when the set was seen. */
function cssFor(classes: Set<string>, env: RenderEnv): string {
  const key = [...classes].sort().join("\n");
  const hit = env.cssCache?.get(key);
  if (hit !== undefined) return hit;
  const { css } = extract(`<i class="${[...classes].join(" ")}"></i>`, env.tw);
  if (env.cssCache) {
    if (env.cssCache.size >= CSS_CACHE_MAX) env.cssCache.delete(env.cssCache.keys().next().value!);
    env.cssCache.set(key, css);
  }
  return css;
}

const isSignal = (v: unknown) =>
  typeof v === "object" && v !== null &&
  (v as { brand?: symbol }).brand === Symbol.for("preact-signals");

const escapeAttr = (s: string) => s.replace(/&/g, "&amp;").replace(/"/g, "&quot;");

export interface RenderedDocument {
  html: string;
  /** CSP sources for the document's inline scripts and styles. */
  hashes: InlineHashes;
}

/** Script types a browser runs (others, like JSON data blocks, are not subject to CSP). */
const EXECUTABLE = /^(|module|text\/javascript|application\/javascript)$/i;
const INLINE_SCRIPT = /<script\b([^>]*)>([\s\S]*?)<\/script>/gi;
const INLINE_STYLE = /<style\b([^>]*)>([\s\S]*?)<\/style>/gi;

const sha256 = (text: string) =>
  `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;

/**
 * The CSP hash sources of a document's own inline scripts and styles — those carrying the
 * render's nonce (renderNonce()), in order, without repeats — and that nonce when any element
 * carries it. An element without it (markup that got into the page some other way) is neither
 * hashed nor nonced, so the browser refuses it.
 */
export function inlineHashes(html: string, nonce: string): InlineHashes {
  const own = (attrs: string) => attrs.includes(` nonce="${nonce}"`);
  let nonced = false;
  const scripts = new Set<string>();
  for (const m of html.matchAll(INLINE_SCRIPT)) {
    const attrs = m[1];
    if (!own(attrs)) continue;
    nonced = true;
    if (/\ssrc\s*=/i.test(attrs)) continue;
    const type = attrs.match(/\stype\s*=\s*"([^"]*)"/i)?.[1] ??
      attrs.match(/\stype\s*=\s*([^\s>]+)/i)?.[1] ?? "";
    if (EXECUTABLE.test(type.trim())) scripts.add(sha256(m[2]));
  }
  const styles = new Set<string>();
  for (const m of html.matchAll(INLINE_STYLE)) if (own(m[1])) styles.add(sha256(m[2]));
  return {
    script: [...scripts].join(" "),
    style: [...styles].join(" "),
    ...(nonced ? { nonce } : {}),
  };
}

/** Renders a full document, with the CSP hashes of its inline scripts and styles. */
export function renderDocument(tree: VNode, env: RenderEnv): RenderedDocument {
  // One nonce per render (a cached page keeps its render's: the same bytes for everyone).
  const nonce = encodeBase64(crypto.getRandomValues(new Uint8Array(16)));
  const collector: RenderCollector = { islands: [], head: [], nonce };
  let html = withCollector(collector, () => renderToString(tree));
  const head = collector.head.map((v) => renderToString(v)).join("");

  let scripts = "";
  let preload = "";
  if (collector.islands.length > 0) {
    let state: string;
    try {
      state = stringify(
        { islands: collector.islands.map((u) => [u.info.name, u.props, u.slots]) },
        { isSignal },
      );
    } catch (e) {
      if (e instanceof SerializeError && e.path[0] === "islands") {
        const use = collector.islands[Number(e.path[1])];
        const prop = e.path.slice(3).join(".");
        throw new Error(
          `Island ${use?.info.name} (${use?.info.label}) got a prop that cannot be sent to the ` +
            `browser: "${prop}" — ${e.message}`,
        );
      }
      throw e;
    }
    const names = [...new Set(collector.islands.map((u) => u.info.name))];
    const { bundle } = env;
    const entries = names.map((n) => bundle.islandUrls.get(n)!);
    preload = moduleGraph(bundle, [bundle.runtimeUrl, ...entries])
      .map((u) => `<link rel="modulepreload" href="${escapeAttr(u)}">`).join("");
    const imports = names.map((n, i) => `import*as i${i} from"${bundle.islandUrls.get(n)}";`).join(
      "",
    );
    const map = names.map((n, i) => {
      const info = collector.islands.find((u) => u.info.name === n)!.info;
      return `${JSON.stringify(n)}:i${i}[${JSON.stringify(info.exportName)}]`;
    }).join(",");
    scripts =
      `<script id="__FRSH_STATE" type="application/json" nonce="${nonce}">${state}</script>` +
      `<script type="module" nonce="${nonce}">import{boot}from"${bundle.runtimeUrl}";${imports}` +
      `boot({${map}},"__FRSH_STATE")</script>`;
  }

  const classes = new Set<string>();
  for (const m of html.matchAll(/\sclass="([^"]*)"/g)) classes.add(m[1]);
  for (const u of collector.islands) if (u.info.classHints) classes.add(u.info.classHints);
  const css = cssFor(classes, env);
  const slotCss = collector.islands.some((u) => u.slots.length)
    ? "frsh-slot{display:contents}"
    : "";
  const style = `<style nonce="${nonce}">${slotCss}${css}</style>`;

  const headExtra = head + style + preload;
  html = html.includes("</head>")
    ? html.replace("</head>", headExtra + "</head>")
    : headExtra + html;
  if (scripts) {
    html = html.includes("</body>") ? html.replace("</body>", scripts + "</body>") : html + scripts;
  }
  if (html.startsWith("<html")) html = "<!DOCTYPE html>" + html;
  return { html, hashes: inlineHashes(html, nonce) };
}

const encodeBase64 = (b: Uint8Array) => btoa(String.fromCharCode(...b));
