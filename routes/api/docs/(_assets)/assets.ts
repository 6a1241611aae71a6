/**
 * Swagger UI's files from node_modules/swagger-ui-dist (the npm package, never a CDN), read once
 * and kept gzipped: the bundle is ~1.5 MB and every docs visit would otherwise compress it again.
 */
const DIST = new URL("../../../../node_modules/swagger-ui-dist/", import.meta.url);

export const ASSETS: Record<string, string> = {
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
  "swagger-ui.css": "text/css; charset=utf-8",
};

/** Changes with the package's version (cache busting for the immutable assets). */
export const ASSET_VERSION: string = (() => {
  try {
    return JSON.parse(Deno.readTextFileSync(new URL("package.json", DIST))).version;
  } catch {
    return "0";
  }
})();

const loaded = new Map<string, Promise<{ raw: Uint8Array; gzip: Uint8Array }>>();

export function asset(name: string): Promise<{ raw: Uint8Array; gzip: Uint8Array }> | null {
  if (!(name in ASSETS)) return null;
  let p = loaded.get(name);
  if (!p) {
    p = (async () => {
      const raw = await Deno.readFile(new URL(name, DIST));
      const stream = new Blob([raw]).stream().pipeThrough(new CompressionStream("gzip"));
      return { raw, gzip: new Uint8Array(await new Response(stream).arrayBuffer()) };
    })();
    loaded.set(name, p);
    p.catch(() => loaded.delete(name));
  }
  return p;
}
