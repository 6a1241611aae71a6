/**
 * The Prometheus rules and the Grafana dashboard: promtool accepts the rules and the example
 * configuration, the rules' unit tests pass (each alert fires on its figures), and every metric
 * the rules and the dashboard read is one that some process of ours exports (a renamed metric
 * would otherwise leave an alert silently empty). promtool comes with Debian's `prometheus`
 * package; the tests that need it are reported as ignored without it.
 */
import { deepStrictEqual as assertEquals, equal, ok } from "node:assert/strict";
import { join } from "node:path";
import { onPath, ROOT } from "./_helpers.ts";

const PROM = join(ROOT, "ops/prometheus");
const noPromtool = !onPath("promtool");

async function promtool(...args: string[]) {
  const out = await new Deno.Command("promtool", {
    args,
    cwd: PROM,
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  const dec = new TextDecoder();
  return { code: out.code, text: dec.decode(out.stdout) + dec.decode(out.stderr) };
}

Deno.test(
  { name: "promtool check rules: the alerting rules are valid", ignore: noPromtool },
  async () => {
    const r = await promtool("check", "rules", "alerts.yml");
    equal(r.code, 0, r.text);
    ok(/SUCCESS: \d+ rules found/.test(r.text), r.text);
  },
);

Deno.test(
  { name: "promtool test rules: each alert fires on its figures", ignore: noPromtool },
  async () => {
    const r = await promtool("test", "rules", "alerts_test.yml");
    equal(r.code, 0, r.text);
  },
);

Deno.test(
  { name: "promtool check config: the example scrape configuration", ignore: noPromtool },
  async () => {
    const r = await promtool("check", "config", "--syntax-only", "prometheus.yml");
    equal(r.code, 0, r.text);
  },
);

/** Names registered with metrics.counter/gauge/histogram anywhere in our code. */
async function exportedMetrics(): Promise<Set<string>> {
  const names = new Set<string>();
  const walk = async (dir: string) => {
    for await (const e of Deno.readDir(join(ROOT, dir))) {
      const path = `${dir}/${e.name}`;
      if (e.isDirectory) await walk(path);
      else if (/\.tsx?$/.test(e.name)) {
        const text = await Deno.readTextFile(join(ROOT, path));
        for (const m of text.matchAll(/\.(counter|gauge|histogram)\(\s*"([a-z_:][a-z0-9_:]*)"/g)) {
          names.add(m[2]);
          if (m[1] === "histogram") {
            ["_bucket", "_sum", "_count"].forEach((s) => names.add(m[2] + s));
          }
        }
      }
    }
  };
  for (const dir of ["services", "workers", "framework", "server.ts"]) {
    if (dir.endsWith(".ts")) {
      const text = await Deno.readTextFile(join(ROOT, dir));
      for (const m of text.matchAll(/\.(counter|gauge|histogram)\(\s*"([a-z_:][a-z0-9_:]*)"/g)) {
        names.add(m[2]);
        if (m[1] === "histogram") ["_bucket", "_sum", "_count"].forEach((s) => names.add(m[2] + s));
      }
    } else await walk(dir);
  }
  return names;
}

/** Metric names in PromQL expressions read from a scrape job (job="smartdairy"). */
function ourMetricsIn(exprs: string[]): Set<string> {
  const out = new Set<string>();
  for (const e of exprs) {
    for (const m of e.matchAll(/([a-z_:][a-z0-9_:]*)\{[^}]*job="smartdairy"/g)) out.add(m[1]);
  }
  return out;
}

Deno.test("the rules and the dashboard read only metrics our processes export", async () => {
  const exported = await exportedMetrics();
  exported.add("up"); // Prometheus' own, per scrape target
  const rules = await Deno.readTextFile(join(PROM, "alerts.yml"));
  const dashboard = JSON.parse(
    await Deno.readTextFile(join(ROOT, "ops/grafana/smart-dairy.json")),
  ) as { panels: { title: string; targets: { expr: string }[] }[] };
  const ruleExprs = [...rules.matchAll(/expr: \|?\s*\n?([\s\S]*?)\n\s+(?:for|labels):/g)]
    .map((m) => m[1]);
  const dashExprs = dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr));
  const used = ourMetricsIn([...ruleExprs, ...dashExprs]);
  ok(used.size >= 12, `found only ${[...used].join(", ")}`);
  assertEquals([...used].filter((m) => !exported.has(m)), [], "unknown metrics");
  // The figures the requirements name each have an alert.
  for (
    const alert of [
      "HighServerErrorRate",
      "DatabaseSlowQueries",
      "DatabaseCacheHitLow",
      "OutboxLagging",
      "IngestLagging",
      "DiskAlmostFull",
      "MemoryAlmostFull",
      "DatabasePoolSaturated",
      "BackupTooOld",
      "IngestSilent",
    ]
  ) ok(rules.includes(`alert: ${alert}\n`), `alert ${alert}`);
  // And every panel has a query.
  for (const p of dashboard.panels) ok(p.targets.length > 0 && p.targets[0].expr, p.title);
});
