/**
 * What the packaging tests read: the repository's deno tasks, its workers, its routes, the roles
 * of deploy/entrypoint.sh and the Helm templates with their Go-template actions neutralised (no
 * `helm` here: neither Debian nor the npm registry ships it), so that each template still parses
 * as YAML and its structure can be checked.
 */
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { parse as parseYaml, parseAllDocuments } from "yaml";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const CHART = join(ROOT, "deploy/helm/smart-dairy");

export function readText(path: string): string {
  return Deno.readTextFileSync(join(ROOT, path));
}

export function exists(path: string): boolean {
  try {
    Deno.statSync(join(ROOT, path));
    return true;
  } catch {
    return false;
  }
}

/** deno.json's tasks by name. */
export function denoTasks(): Record<string, string> {
  return JSON.parse(readText("deno.json")).tasks;
}

/** The workers `deno task worker <name>` accepts (scripts/worker.ts: workers/*.ts with a main). */
export function workerNames(): string[] {
  return [...Deno.readDirSync(join(ROOT, "workers"))]
    .filter((e) =>
      e.isFile && e.name.endsWith(".ts") &&
      /^export function main\(/m.test(readText(`workers/${e.name}`))
    )
    .map((e) => e.name.slice(0, -3)).sort();
}

/** A GET route exists for `path` (routes/<path>.ts or .tsx). */
export function routeExists(path: string): boolean {
  const base = path.replace(/^\//, "");
  return exists(`routes/${base}.ts`) || exists(`routes/${base}.tsx`);
}

/**
 * The roles of deploy/entrypoint.sh and the deno task each runs: `role)` case arms whose body
 * execs `deno task [--frozen] <task>`.
 */
export function entrypointRoles(): Map<string, string | null> {
  const text = readText("deploy/entrypoint.sh");
  const roles = new Map<string, string | null>();
  const arms = text.split(/\n(?=[a-z*]+\)\n)/);
  for (const arm of arms) {
    const m = /^([a-z]+)\)\n([\s\S]*?);;/.exec(arm);
    if (!m) continue;
    const execs = [...m[2].matchAll(/exec deno task (?:--frozen )?("\$@"|[a-z:_-]+)/g)]
      .map((x) => x[1]);
    const last = execs.at(-1);
    roles.set(m[1], last === undefined || last === '"$@"' ? null : last);
  }
  return roles;
}

/**
 * The deno command line a container runs for `args` (the entrypoint's arguments), or an error.
 * `worker <name>` must name a worker; `task <name>` a task.
 */
export function commandProblem(args: string[]): string | null {
  const [role, ...rest] = args;
  const roles = entrypointRoles();
  if (!roles.has(role)) return `entrypoint.sh has no role "${role}"`;
  const tasks = denoTasks();
  const task = role === "task" ? rest[0] : roles.get(role)!;
  if (!task || !(task in tasks)) return `deno.json has no task "${task}" (role ${role})`;
  if (role === "worker" && !workerNames().includes(rest[0])) {
    return `no worker "${rest[0]}" (workers: ${workerNames().join(", ")})`;
  }
  return null;
}

/**
 * A Helm template as YAML documents: lines that hold only template actions (if/range/with/end,
 * includes, toYaml blocks, comments) are dropped and every inline action becomes the scalar
 * TEMPLATE. Both branches of every condition are kept. Returns the parsed documents (null ones
 * dropped) and the parse errors.
 */
export function neutralise(text: string): { docs: any[]; errors: string[] } {
  const lines = text.split("\n").filter((l) => !/^\s*\{\{.*\}\}\s*$/.test(l))
    .map((l) => l.replace(/\{\{-?[\s\S]*?-?\}\}/g, "TEMPLATE"));
  const errors: string[] = [];
  const docs: any[] = [];
  for (const doc of parseAllDocuments(lines.join("\n"))) {
    for (const e of doc.errors) errors.push(e.message);
    const v = doc.toJS();
    if (v) docs.push(v);
  }
  return { docs, errors };
}

/** Every template of the chart, neutralised: [file, documents]. */
export function chartTemplates(): { file: string; raw: string; docs: any[]; errors: string[] }[] {
  const dir = join(CHART, "templates");
  return [...Deno.readDirSync(dir)].filter((e) => e.name.endsWith(".yaml"))
    .map((e) => e.name).sort().map((file) => {
      const raw = Deno.readTextFileSync(join(dir, file));
      return { file, raw, ...neutralise(raw) };
    });
}

export function chartValues(): any {
  return parseYaml(Deno.readTextFileSync(join(CHART, "values.yaml")));
}

/** The values of one instruction (USER, EXPOSE, …) in the Dockerfile's stage `stage`. */
export function dockerfileStage(stage: string, instr: string): string[] {
  const text = readText("Dockerfile").replace(/\\\n/g, " ");
  const body = text.split(/^FROM /m).find((s) => new RegExp(`^\\S+ AS ${stage}\\n`).test(s));
  if (!body) throw new Error(`the Dockerfile has no stage "${stage}"`);
  return [...body.matchAll(new RegExp(`^${instr} (.+)$`, "gm"))].map((m) => m[1].trim());
}

/** The Dockerfile's default target is the runtime stage (its last FROM is `FROM runtime`). */
export function dockerfileDefaultStage(): string {
  const froms = [...readText("Dockerfile").matchAll(/^FROM (\S+)(?: AS (\S+))?$/gm)];
  const last = froms.at(-1)!;
  return last[2] ?? last[1];
}
