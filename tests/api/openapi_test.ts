/**
 * The OpenAPI document is generated from the endpoints' Zod schemas and passes the Redocly
 * linter (npm @redocly/openapi-core, its "recommended" rules) with no errors; the docs page and
 * Swagger UI's files are served from the npm package under our CSP.
 */
import { equal, ok } from "node:assert/strict";
import { createConfig, lintFromString } from "@redocly/openapi-core";
import { buildOpenApi } from "@/routes/api/(_api)/openapi.ts";
import { V1_ENDPOINTS } from "@/routes/api/(_api)/v1/index.ts";
import { withTestApp } from "@/tests/helpers/app.ts";

Deno.test("openapi: the generated document passes the Redocly linter with no errors", async () => {
  const doc = buildOpenApi(V1_ENDPOINTS, "https://smartdairy.com.bd");
  const config = await createConfig({ extends: ["recommended"] });
  const problems = await lintFromString({
    source: JSON.stringify(doc, null, 2),
    absoluteRef: "openapi.json",
    config,
  });
  const errors = problems.filter((p) => p.severity === "error");
  const warnings = problems.filter((p) => p.severity === "warn");
  if (warnings.length) {
    console.log(
      `openapi lint: ${warnings.length} warnings\n` +
        warnings.slice(0, 10).map((w) => `  ${w.ruleId}: ${w.message} (${w.location[0]?.pointer})`)
          .join("\n"),
    );
  }
  equal(
    errors.length,
    0,
    errors.map((e) => `${e.ruleId}: ${e.message} at ${e.location[0]?.pointer}`).join("\n"),
  );
  // Every operation is in it, with its scope.
  let ops = 0;
  for (const p of Object.values(doc.paths as Record<string, Record<string, unknown>>)) {
    ops += Object.keys(p).length;
  }
  equal(ops, V1_ENDPOINTS.length);
});

Deno.test("openapi: served at /api/v1/openapi.json; /api/docs runs Swagger UI from npm", async () => {
  await withTestApp(async (t) => {
    const res = await t.fetch("/api/v1/openapi.json");
    equal(res.status, 200);
    const doc = await res.json();
    equal(doc.openapi, "3.1.0");
    ok(doc.paths["/api/v1/products"].get);
    const page = await t.fetch("/api/docs");
    equal(page.status, 200);
    const html = await page.text();
    const csp = page.headers.get("content-security-policy")!;
    const nonce = /'nonce-([^']+)'/.exec(csp)![1];
    ok(html.includes(`nonce="${nonce}"`), "the inline script carries the CSP nonce");
    ok(!/https?:\/\/(?!localhost)/.test(html.replace(/<meta[^>]*>/g, "")), "no CDN");
    const js = await t.fetch(/src="([^"]+swagger-ui-bundle[^"]+)"/.exec(html)![1], {
      headers: { "accept-encoding": "gzip" },
    });
    equal(js.status, 200);
    equal(js.headers.get("content-encoding"), "gzip");
    ok((await js.arrayBuffer()).byteLength > 100_000);
    equal((await t.fetch("/api/docs/swagger-ui.css")).status, 200);
    equal((await t.fetch("/api/docs/other.js")).status, 404);
  });
});
