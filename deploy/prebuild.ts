/**
 * Image build step (Dockerfile): compiles every entrypoint into DENO_DIR and builds the island
 * bundles once with the esbuild binary that ships in node_modules, so an image whose bundler or
 * modules cannot work fails at build time, not at its first start. Prints what it built.
 *
 *   deno run -A deploy/prebuild.ts
 */
import { loadIslands } from "@/framework/islands.ts";
import { buildBundle, stopBundler } from "@/framework/bundler.ts";
import { join } from "@/framework/path.ts";

const root = join(import.meta.dirname!, "..");
const islands = await loadIslands(join(root, "islands"), root);
const bundle = await buildBundle(islands, { root });
let bytes = 0;
for (const f of bundle.files.values()) bytes += f.encoded.identity.length;
console.log(
  `island bundles: ${islands.length} islands, ${bundle.files.size} files, ` +
    `${Math.round(bytes / 1024)} KiB, build ${bundle.buildId}`,
);
await stopBundler();
