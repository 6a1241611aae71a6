/**
 * The Helm chart (deploy/helm/smart-dairy): every template parses as YAML once its template
 * actions are neutralised (tests/deploy/_lib.ts; `helm` itself cannot be installed here), and the
 * chart keeps its promises: probes on routes that exist, ports that match the image, the
 * migration Job as a pre-install/pre-upgrade hook after the configuration it reads, non-root and
 * read-only containers, an HPA of 3–20 on CPU, workers that exist, PDBs and NetworkPolicies.
 */
import { deepStrictEqual as assertEquals, equal, ok } from "node:assert/strict";
import {
  chartTemplates,
  chartValues,
  commandProblem,
  denoTasks,
  dockerfileDefaultStage,
  dockerfileStage,
  routeExists,
  workerNames,
} from "./_lib.ts";

const templates = chartTemplates();
const values = chartValues();
const all = templates.flatMap((t) => t.docs.map((d) => ({ file: t.file, doc: d })));
const ofKind = (kind: string) => all.filter((x) => x.doc.kind === kind);
const containersOf = (doc: any): any[] =>
  (doc.spec?.template?.spec ?? doc.spec?.jobTemplate?.spec?.template?.spec)?.containers ?? [];

Deno.test("every chart template parses as YAML and names its apiVersion and kind", () => {
  ok(templates.length >= 6, `templates: ${templates.map((t) => t.file)}`);
  for (const t of templates) {
    assertEquals(t.errors, [], `${t.file}: ${t.errors.join("; ")}`);
    for (const d of t.docs) ok(d.apiVersion && d.kind, `${t.file}: a document without kind`);
  }
  const kinds = new Set(all.map((x) => x.doc.kind));
  for (
    const k of [
      "Deployment",
      "StatefulSet",
      "Service",
      "HorizontalPodAutoscaler",
      "Job",
      "CronJob",
      "PodDisruptionBudget",
      "NetworkPolicy",
      "Secret",
      "ConfigMap",
    ]
  ) ok(kinds.has(k), `no ${k} in the chart`);
});

Deno.test("the web probes hit /healthz and /readyz, routes the app has, on the port the image listens on", () => {
  const web = ofKind("Deployment").find((x) => x.file === "web.yaml")!.doc;
  const [c] = containersOf(web);
  assertEquals(c.args, ["web"]);
  equal(commandProblem(c.args), null, commandProblem(c.args) ?? "");
  const paths = [c.startupProbe, c.livenessProbe, c.readinessProbe].map((p) => p.httpGet.path);
  assertEquals(paths, ["/healthz", "/healthz", "/readyz"]);
  for (const p of paths) ok(routeExists(p), `no route for ${p}`);
  for (const p of [c.startupProbe, c.livenessProbe, c.readinessProbe]) {
    equal(p.httpGet.port, "http");
  }
  equal(c.ports[0].name, "http");
  const webYaml = templates.find((t) => t.file === "web.yaml")!.raw;
  ok(webYaml.includes("containerPort: {{ .Values.web.port }}"), "containerPort is not web.port");
  // The image listens on PORT=8000 and exposes it; the chart's ConfigMap sets PORT from web.port.
  equal(values.web.port, 8000);
  assertEquals(dockerfileStage("runtime", "EXPOSE"), ["8000"]);
  ok(dockerfileStage("runtime", "ENV").some((e) => /\bPORT=8000\b/.test(e)));
  ok(
    templates.find((t) => t.file === "config.yaml")!.raw.includes(
      "PORT: {{ .Values.web.port | quote }}",
    ),
  );
});

Deno.test("the web HPA scales 3–20 on CPU and the Deployment leaves replicas to it", () => {
  const hpa = ofKind("HorizontalPodAutoscaler")[0].doc;
  equal(hpa.spec.metrics[0].resource.name, "cpu");
  equal(hpa.spec.scaleTargetRef.kind, "Deployment");
  equal(values.web.autoscaling.enabled, true);
  equal(values.web.autoscaling.minReplicas, 3);
  equal(values.web.autoscaling.maxReplicas, 20);
  const raw = templates.find((t) => t.file === "web.yaml")!.raw;
  ok(/\{\{- if not \.Values\.web\.autoscaling\.enabled \}\}\n\s+replicas:/.test(raw));
  ok(values.web.resources.requests.cpu, "an HPA on CPU needs a CPU request");
});

Deno.test("migrations run as a pre-install/pre-upgrade hook, after the configuration it reads", () => {
  const job = ofKind("Job")[0].doc;
  const a = job.metadata.annotations;
  equal(a["helm.sh/hook"], "pre-install,pre-upgrade");
  ok(a["helm.sh/hook-delete-policy"].includes("before-hook-creation"));
  const [c] = containersOf(job);
  assertEquals(c.args, ["migrate"]);
  equal(commandProblem(c.args), null, commandProblem(c.args) ?? "");
  equal(job.spec.template.spec.restartPolicy, "Never");
  // The ConfigMap and Secret it reads are hooks too, created before it (lower weight).
  for (const kind of ["ConfigMap", "Secret"]) {
    const d = ofKind(kind)[0].doc;
    equal(d.metadata.annotations["helm.sh/hook"], "pre-install,pre-upgrade", kind);
    ok(
      Number(d.metadata.annotations["helm.sh/hook-weight"]) < Number(a["helm.sh/hook-weight"]),
      `${kind} must be created before the migration Job`,
    );
  }
  // The web Deployment is no hook: Helm applies it only after the hooks succeeded.
  const web = ofKind("Deployment").find((x) => x.file === "web.yaml")!.doc;
  equal(web.metadata.annotations?.["helm.sh/hook"], undefined);
});

Deno.test("every app container runs as the image's non-root user with a read-only root file system", () => {
  equal(values.podSecurityContext.runAsNonRoot, true);
  const user = dockerfileStage("runtime", "USER").at(-1)!;
  equal(`${values.podSecurityContext.runAsUser}:${values.podSecurityContext.runAsGroup}`, user);
  equal(dockerfileDefaultStage(), "runtime");
  equal(values.securityContext.readOnlyRootFilesystem, true);
  equal(values.securityContext.allowPrivilegeEscalation, false);
  assertEquals(values.securityContext.capabilities.drop, ["ALL"]);
  let n = 0;
  for (const t of templates) {
    // Each container block (from "- name: x" followed by "image:" to the next such block)
    // carries the chart's securityContext.
    const starts = [...t.raw.matchAll(/\n( +)- name: [^\n]+\n\1 {2}image: /g)].map((m) => m.index!);
    const containers = starts.map((s, i) => t.raw.slice(s, starts[i + 1]));
    for (const block of containers) {
      n++;
      ok(
        /securityContext:\n\s+\{\{- toYaml \$?\.Values\.securityContext \| nindent \d+ \}\}/.test(
          block,
        ),
        `${t.file}: a container without the chart's securityContext`,
      );
    }
    for (const d of t.docs) {
      const spec = d.spec?.template?.spec ?? d.spec?.jobTemplate?.spec?.template?.spec;
      if (spec) ok("securityContext" in spec || /sd\.podCommon/.test(t.raw), `${t.file}: pod`);
    }
  }
  ok(n >= 5, `containers checked: ${n}`);
  // /data and /tmp are the writable places (emptyDirs), as in the image.
  const helpers = Deno.readTextFileSync(
    new URL("../../deploy/helm/smart-dairy/templates/_helpers.tpl", import.meta.url),
  );
  ok(helpers.includes("mountPath: /data") && helpers.includes("mountPath: /tmp"));
  ok(dockerfileStage("runtime", "ENV").some((e) => /\bDATA_DIR=\/data\b/.test(e)));
});

Deno.test("the workers are the app's workers, probed on their metrics port; ingest keeps a session per pod", () => {
  const names = Object.keys(values.workers);
  ok(names.length >= 3);
  for (const name of names) {
    equal(commandProblem(["worker", name]), null, commandProblem(["worker", name]) ?? "");
  }
  ok(workerNames().includes("ingest") && workerNames().includes("outbox"));
  const raw = templates.find((t) => t.file === "workers.yaml")!.raw;
  ok(raw.includes(`args: ["worker", {{ $name | quote }}]`));
  const [c] = containersOf(templates.find((t) => t.file === "workers.yaml")!.docs[0]);
  assertEquals(
    [c.startupProbe, c.livenessProbe, c.readinessProbe].map((
      p,
    ) => [p.httpGet.path, p.httpGet.port]),
    [["/healthz", "metrics"], ["/healthz", "metrics"], ["/readyz", "metrics"]],
  );
  ok(raw.includes("- { name: METRICS_PORT, value: {{ $.Values.metricsPort | quote }} }"));
  ok(raw.includes("containerPort: {{ $.Values.metricsPort }}"));
  equal(values.workers.ingest.kind, "StatefulSet");
  ok(raw.includes(`- { name: INGEST_CLIENT_ID, value: "sd-ingest-$(POD_NAME)" }`));
});

Deno.test("backups and drills are CronJobs running the backup tasks; PDBs and NetworkPolicies guard the pods", () => {
  const raw = templates.find((t) => t.file === "backup-cronjobs.yaml")!.raw;
  const tasks = denoTasks();
  for (const task of ["backup", "drill"]) {
    ok(tasks[task]?.includes("scripts/backup.ts"), `deno.json task ${task}`);
    ok(raw.includes(`"args" (list "task" "${task}"`), `no CronJob for ${task}`);
  }
  equal(ofKind("CronJob")[0].doc.spec.concurrencyPolicy, "Forbid");
  const pdbs = ofKind("PodDisruptionBudget").map((x) => x.file);
  ok(pdbs.includes("web.yaml") && pdbs.includes("workers.yaml"));
  const nps = ofKind("NetworkPolicy").map((x) => x.doc);
  const deny = nps.find((n) => n.metadata.name === "TEMPLATE-default-deny")!;
  assertEquals(deny.spec.policyTypes, ["Ingress", "Egress"]);
  const web = nps.find((n) => n.metadata.name === "TEMPLATE-web")!;
  equal(web.spec.ingress[0].ports[0].port, "TEMPLATE");
  ok(
    templates.find((t) => t.file === "networkpolicy.yaml")!.raw.includes(
      "- { port: {{ .Values.web.port }}, protocol: TCP }",
    ),
  );
});

Deno.test("values.yaml documents every setting: each group of top-level keys opens with a comment", () => {
  const text = Deno.readTextFileSync(
    new URL("../../deploy/helm/smart-dairy/values.yaml", import.meta.url),
  );
  const undocumented = text.split(/\n\s*\n/).filter((block) => /^[A-Za-z]\w*:/m.test(block))
    .filter((block) => !block.trimStart().startsWith("#"))
    .map((block) => block.trim().split("\n")[0]);
  assertEquals(undocumented, []);
  for (const key of ["image", "env", "secrets", "web", "workers", "migrate", "backup", "denokv"]) {
    ok(new RegExp(`^${key}:`, "m").test(text), `values.yaml has no ${key}`);
  }
});
