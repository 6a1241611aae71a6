/**
 * compose.yaml, checked the way `docker compose config` would read it (no Docker here): it parses
 * with its anchors merged, every app service runs a role of deploy/entrypoint.sh whose deno task
 * and worker exist, the app containers are read-only and non-root, two web replicas sit behind
 * the TLS proxy whose backend is the web port, health checks use real routes, the files it mounts
 * exist (or, for secrets, their examples do), and HAProxy and Prometheus accept their
 * configuration (when haproxy, openssl and promtool are installed, as in CI).
 */
import { deepStrictEqual as assertEquals, equal, ok } from "node:assert/strict";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { commandProblem, dockerfileStage, exists, readText, ROOT, routeExists } from "./_lib.ts";
import { onPath } from "../ops/_helpers.ts";

const compose = parseYaml(readText("compose.yaml"), { merge: true }) as any;
const services = compose.services as Record<string, any>;
const appServices = Object.entries(services).filter(([, s]) =>
  String(s.image).includes("smart-dairy")
);

Deno.test("compose.yaml: every app service runs an entrypoint role whose deno task (and worker) exists", () => {
  ok(appServices.length >= 6, `app services: ${appServices.map(([n]) => n)}`);
  const problems = appServices.map(([name, s]) => {
    ok(Array.isArray(s.command), `${name}: command must be a list`);
    const p = commandProblem(s.command);
    return p && `${name}: ${p}`;
  }).filter(Boolean);
  assertEquals(problems, []);
  const roles = appServices.map(([, s]) => s.command.join(" ")).sort();
  for (const want of ["migrate", "web", "worker ingest", "worker outbox", "worker schedulers"]) {
    ok(roles.includes(want), `no service runs "${want}"`);
  }
});

Deno.test("compose.yaml: the app runs read-only as the image's user, after the migration, with shared state", () => {
  const user = dockerfileStage("runtime", "USER").at(-1);
  for (const [name, s] of appServices) {
    equal(s.read_only, true, name);
    equal(s.user, user, name);
    assertEquals(s.cap_drop, ["ALL"], name);
    ok(s.tmpfs.includes("/tmp"), name);
    ok(s.tmpfs.includes("/data") || s.volumes?.some((v: string) => v.endsWith(":/data")), name);
    ok(/^postgres:\/\//.test(s.environment.DATABASE_URL), `${name}: DATABASE_URL`);
    equal(s.environment.KV_URL, "http://denokv:4512", name);
    ok(s.environment.DENO_KV_ACCESS_TOKEN, `${name}: DENO_KV_ACCESS_TOKEN`);
    ok(s.environment.MQTT_URL.startsWith("mqtt://mosquitto:"), name);
    if (name !== "migrate") {
      equal(s.depends_on.migrate.condition, "service_completed_successfully", name);
    }
  }
  equal(services.migrate.restart, "no");
  equal(services.migrate.depends_on.postgres.condition, "service_healthy");
  ok(services.postgres.image.includes("timescale/timescaledb"), "PostgreSQL with TimescaleDB");
  ok(services.postgres.healthcheck.test.includes("pg_isready"));
  ok(/mosquitto|emqx/.test(services.mosquitto.image));
  ok(services.denokv.image.includes("denokv"));
  ok(services.denokv.command.includes("--access-token"));
  // Every ingest keeps its own MQTT session.
  const ids = appServices.filter(([, s]) => s.command.join(" ") === "worker ingest")
    .map(([, s]) => s.environment.INGEST_CLIENT_ID);
  ok(ids.length >= 2, "two ingest workers");
  equal(new Set(ids).size, ids.length, "one INGEST_CLIENT_ID each");
  for (const id of ids) ok(/^sd-ingest-[A-Za-z0-9_-]+$/.test(id), id);
});

Deno.test("compose.yaml: two web replicas behind the TLS proxy, on the port the image listens on, health-checked on real routes", () => {
  const web = services.web;
  equal(web.deploy.replicas, 2);
  equal(web.environment.PORT, "8000");
  assertEquals(dockerfileStage("runtime", "EXPOSE"), ["8000"]);
  const check = readText("deploy/healthcheck.ts");
  ok(check.includes("/healthz") && routeExists("/healthz"));
  ok(web.healthcheck.test.includes("/app/deploy/healthcheck.ts"));
  const haproxy = readText("deploy/compose/haproxy.cfg");
  ok(/server-template web \d+ web:8000 check/.test(haproxy), "the proxy's backend is web:8000");
  ok(/option httpchk GET \/readyz/.test(haproxy) && routeExists("/readyz"));
  ok(/bind :8443 ssl crt \/etc\/haproxy\/certs\/site\.pem/.test(haproxy), "TLS on 8443");
  assertEquals(services.proxy.ports, ["80:8080", "443:8443"]);
  // Only the proxy's X-Forwarded-For is believed: its fixed address.
  equal(web.environment.TRUSTED_PROXIES, services.proxy.networks.default.ipv4_address);
  const subnet = compose.networks.default.ipam.config[0].subnet as string;
  ok(
    services.proxy.networks.default.ipv4_address.startsWith(
      subnet.split(".").slice(0, 3).join("."),
    ),
  );
  // No app port is published: everything comes through the proxy.
  for (const [name, s] of appServices) equal(s.ports, undefined, name);
  // Workers' health checks ask their own listener.
  for (const [name, s] of appServices.filter(([, s]) => s.command[0] === "worker")) {
    equal(s.environment.HEALTHCHECK_PORT, s.environment.METRICS_PORT, name);
  }
});

Deno.test("compose.yaml: every mounted file exists, secrets have their examples, dashboards and rules are ops/'s", () => {
  const ignored = readText("deploy/compose/.gitignore").split("\n").filter(Boolean);
  const secret = (p: string) =>
    ignored.some((g) => {
      const rel = p.replace(/^\.\/deploy\/compose\//, "");
      return g.includes("*")
        ? new RegExp(`^${g.replace(".", "\\.").replace("*", "[^/]*")}$`).test(rel)
        : rel === g;
    });
  const missing: string[] = [];
  for (const [name, s] of Object.entries(services)) {
    for (const v of (s.volumes ?? []) as string[]) {
      const src = v.split(":")[0];
      if (!src.startsWith("./")) continue;
      if (secret(src)) continue;
      if (!exists(src)) missing.push(`${name}: ${src}`);
    }
    for (const f of (s.env_file ?? []) as string[]) {
      if (!exists(`${f}.example`)) missing.push(`${name}: ${f}.example`);
    }
  }
  assertEquals(missing, []);
  ok(exists("deploy/compose/env.example"));
  const graf = services.grafana.volumes as string[];
  ok(graf.includes("./ops/grafana:/var/lib/grafana/dashboards/smart-dairy:ro"));
  ok(
    services.prometheus.volumes.includes(
      "./ops/prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro",
    ),
  );
  const dash = parseYaml(readText("deploy/compose/grafana/dashboards.yml"));
  equal(dash.providers[0].options.path, "/var/lib/grafana/dashboards/smart-dairy");
  // Prometheus scrapes every worker service on its metrics port.
  const prom = readText("deploy/compose/prometheus/prometheus.yml");
  for (const [name, s] of appServices.filter(([, s]) => s.command[0] === "worker")) {
    ok(prom.includes(`"${name}:${s.environment.METRICS_PORT}"`), `prometheus misses ${name}`);
  }
});

Deno.test({
  name: "promtool accepts the compose Prometheus configuration with ops/'s rules",
  ignore: !onPath("promtool"),
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      await Deno.writeTextFile(join(dir, "metrics_token"), "a-test-token-of-enough-length\n");
      await Deno.copyFile(join(ROOT, "ops/prometheus/alerts.yml"), join(dir, "alerts.yml"));
      const conf = readText("deploy/compose/prometheus/prometheus.yml")
        .replaceAll("/etc/prometheus/metrics_token", join(dir, "metrics_token"));
      await Deno.writeTextFile(join(dir, "prometheus.yml"), conf);
      const out = await new Deno.Command("promtool", {
        args: ["check", "config", join(dir, "prometheus.yml")],
        stdout: "piped",
        stderr: "piped",
      }).output();
      const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
      equal(out.code, 0, text);
      ok(/SUCCESS: 1 rule files found/.test(text), text);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "haproxy -c accepts the compose proxy configuration with a TLS certificate",
  ignore: !onPath("haproxy") || !onPath("openssl"),
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      const ssl = await new Deno.Command("openssl", {
        args: [
          "req",
          "-x509",
          "-newkey",
          "rsa:2048",
          "-nodes",
          "-days",
          "1",
          "-subj",
          "/CN=localhost",
          "-keyout",
          join(dir, "key.pem"),
          "-out",
          join(dir, "crt.pem"),
        ],
        stdout: "null",
        stderr: "null",
      }).output();
      equal(ssl.code, 0);
      await Deno.writeTextFile(
        join(dir, "site.pem"),
        (await Deno.readTextFile(join(dir, "crt.pem"))) +
          (await Deno.readTextFile(join(dir, "key.pem"))),
      );
      const conf = readText("deploy/compose/haproxy.cfg")
        .replace("/etc/haproxy/certs/site.pem", join(dir, "site.pem"));
      await Deno.writeTextFile(join(dir, "haproxy.cfg"), conf);
      const out = await new Deno.Command("haproxy", {
        args: ["-c", "-f", join(dir, "haproxy.cfg")],
        stdout: "piped",
        stderr: "piped",
      }).output();
      const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
      equal(out.code, 0, text);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
