/**
 * Island bundles: esbuild builds the client runtime plus one entry per island, with code
 * splitting so Preact ships once, minified, into memory. Files are served under
 * `/_frsh/js/<buildId>/`, where the build id is a hash of the output, so they can be cached forever.
 * Each file is compressed once here (brotli and gzip) and served in the client's coding.
 */
import { encodeAll, type Encoded } from "./encoding.ts";
import * as esbuild from "esbuild";
import type { IslandInfo } from "./islands.ts";
import { join, resolve } from "./path.ts";

export interface BundleFile {
  /** The file as is, and compressed. */
  encoded: Encoded;
  contentType: string;
}

export interface Bundle {
  buildId: string;
  basePath: string;
  files: Map<string, BundleFile>;
  /** URL of the runtime and of each island's entry module. */
  runtimeUrl: string;
  islandUrls: Map<string, string>;
  /** For each output URL, the URLs it imports statically (for modulepreload). */
  imports: Map<string, string[]>;
}

/** Compressed outputs by their hashed file name (tests build the same bundles many times). */
const compressed = new Map<string, Promise<Encoded>>();

const RUNTIME = resolve(import.meta.dirname!, "client", "runtime.ts");

/** Resolves our import-map aliases ("@/…") for esbuild; npm packages come from node_modules. */
function aliasPlugin(root: string): esbuild.Plugin {
  return {
    name: "sd-alias",
    setup(build) {
      build.onResolve({ filter: /^@\// }, (args) => ({ path: join(root, args.path.slice(2)) }));
      build.onResolve({ filter: /^npm:/ }, async (args) => {
        const spec = args.path.slice(4).replace(/^(@?[^@/]+(?:\/[^@/]+)?)@[^/]+/, "$1");
        const r = await build.resolve(spec, { kind: args.kind, resolveDir: args.resolveDir });
        return { path: r.path, errors: r.errors };
      });
    },
  };
}

async function hashHex(data: Uint8Array[]): Promise<string> {
  const total = data.reduce((n, d) => n + d.length, 0);
  const all = new Uint8Array(total);
  let o = 0;
  for (const d of data) all.set(d, (o += d.length) - d.length);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", all));
  return [...digest.slice(0, 8)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export async function buildBundle(
  islands: IslandInfo[],
  opts: { root: string; dev?: boolean },
): Promise<Bundle> {
  const entryPoints: Record<string, string> = { runtime: RUNTIME };
  const byFile = new Map<string, string>();
  for (const island of islands) {
    const key = "island-" + island.file.replace(/^.*[\\/]/, "").replace(/\.[jt]sx?$/, "")
      .toLowerCase();
    if (!byFile.has(island.file)) {
      entryPoints[key] = island.file;
      byFile.set(island.file, key);
    }
  }
  const result = await esbuild.build({
    entryPoints,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "browser",
    target: ["es2020"],
    minify: !opts.dev,
    sourcemap: false,
    write: false,
    metafile: true,
    outdir: "/out",
    entryNames: "[name]-[hash]",
    chunkNames: "chunk-[hash]",
    jsx: "automatic",
    jsxImportSource: "preact",
    absWorkingDir: opts.root,
    plugins: [aliasPlugin(opts.root)],
    logLevel: "silent",
  });
  const buildId = await hashHex(result.outputFiles.map((f) => f.contents));
  const basePath = `/_frsh/js/${buildId}`;
  const files = new Map<string, BundleFile>();
  // Outputs are flat in the out dir; metafile paths are relative to the project, so keep the name.
  const urlOf = (outPath: string) => `${basePath}/${outPath.replace(/^.*[\\/]/, "")}`;
  const contentType = "text/javascript; charset=utf-8";
  await Promise.all(result.outputFiles.map(async (f) => {
    // Output names carry their content hash: a file built before is not compressed again.
    let encoded = compressed.get(f.path);
    if (!encoded) {
      compressed.set(f.path, encoded = encodeAll(new Uint8Array(f.contents), contentType));
      if (compressed.size > 500) compressed.delete(compressed.keys().next().value!);
    }
    files.set(urlOf(f.path), { encoded: await encoded, contentType });
  }));
  const imports = new Map<string, string[]>();
  const entryUrl = new Map<string, string>();
  for (const [out, meta] of Object.entries(result.metafile.outputs)) {
    const url = urlOf(out);
    imports.set(
      url,
      meta.imports.filter((i) => i.kind === "import-statement" && !i.external).map((i) =>
        urlOf(i.path)
      ),
    );
    if (meta.entryPoint) entryUrl.set(resolve(opts.root, meta.entryPoint), url);
  }
  const islandUrls = new Map<string, string>();
  for (const island of islands) {
    const url = entryUrl.get(island.file);
    if (!url) throw new Error(`esbuild produced no bundle for island ${island.label}`);
    islandUrls.set(island.name, url);
  }
  const runtimeUrl = entryUrl.get(RUNTIME);
  if (!runtimeUrl) throw new Error("esbuild produced no runtime bundle");
  return { buildId, basePath, files, runtimeUrl, islandUrls, imports };
}

/** All modules a set of entry URLs loads, entries first (for modulepreload links). */
export function moduleGraph(bundle: Bundle, entries: string[]): string[] {
  const seen = new Set<string>();
  const visit = (u: string) => {
    if (seen.has(u)) return;
    seen.add(u);
    for (const dep of bundle.imports.get(u) ?? []) visit(dep);
  };
  entries.forEach(visit);
  return [...seen];
}

export function stopBundler() {
  return esbuild.stop();
}
