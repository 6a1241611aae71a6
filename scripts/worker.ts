/**
 * `deno task worker <name> [args…]`: runs workers/<name>.ts on its own. Every worker exports
 * `main(args)`, built on the one bootstrap (workers/bootstrap.ts `runWorker`: config → database →
 * migrations → start → signals → stop). Workers talk to the rest only through PostgreSQL, KV and
 * MQTT, so any of them can run in its own process as well as inside main.ts.
 */
const [name, ...rest] = Deno.args;
const known: string[] = [];
// A worker is a workers/*.ts that exports main(args); the others are job modules the schedulers
// run (under their leader lock), not processes of their own.
for await (const e of Deno.readDir(new URL("../workers/", import.meta.url))) {
  if (!e.isFile || !e.name.endsWith(".ts")) continue;
  const text = await Deno.readTextFile(new URL(`../workers/${e.name}`, import.meta.url));
  if (/^export function main\(/m.test(text)) known.push(e.name.slice(0, -3));
}
known.sort();
if (!name || !known.includes(name)) {
  console.error(`usage: deno task worker <name>\nworkers: ${known.join(", ")}`);
  Deno.exit(2);
}
const mod = await import(`../workers/${name}.ts`);
if (typeof mod.main !== "function") {
  console.error(`workers/${name}.ts exports no main(args) (see workers/bootstrap.ts)`);
  Deno.exit(2);
}
await mod.main(rest);
