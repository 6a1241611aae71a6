/**
 * Contract tests: requests generated from the OpenAPI document itself (fast-check; path, query
 * and body values drawn from each parameter's JSON Schema, mixed with hostile values), every
 * response checked against what the document declares for it — a declared status, the declared
 * JSON Schema for successes (ajv, draft 2020-12), problem+json with the Problem schema for
 * errors — and malformed bodies answered 400/415/422, never 5xx.
 */
import { equal, ok } from "node:assert/strict";
import fc from "fast-check";
import { Ajv2020 } from "ajv/dist/2020.js";
import { withShop } from "@/tests/shop/_helpers.ts";
import { API_SCOPES } from "@/services/api/mod.ts";
import { api, partnerKey } from "./_helpers.ts";

type Json = Record<string, any>;

const HOSTILE = fc.oneof(
  fc.constantFrom("", "\u0000", "%00", "-1", "0", "1e309", "9".repeat(40), "null", "../..", "☃"),
  fc.string({ maxLength: 30 }),
);

/** An arbitrary for values valid under a JSON Schema (the subset Zod 4 emits). */
function arb(s: Json, root: Json): fc.Arbitrary<unknown> {
  if (s.$ref) return arb(resolve(root, s.$ref), root);
  if (s.enum) return fc.constantFrom(...s.enum);
  if ("const" in s) return fc.constant(s.const);
  if (s.anyOf || s.oneOf) return fc.oneof(...(s.anyOf ?? s.oneOf).map((x: Json) => arb(x, root)));
  if (Array.isArray(s.type)) {
    return fc.oneof(...s.type.map((t: string) => arb({ ...s, type: t }, root)));
  }
  switch (s.type) {
    case "null":
      return fc.constant(null);
    case "boolean":
      return fc.boolean();
    case "integer":
      return fc.integer({
        min: Math.max(s.minimum ?? -1000, -1e9),
        max: Math.min(s.maximum ?? 1_000_000, 1e9),
      });
    case "number":
      return fc.double({
        min: Math.max(s.minimum ?? -1000, -1e9),
        max: Math.min(s.maximum ?? 1000, 1e9),
        noNaN: true,
        noDefaultInfinity: true,
      });
    case "string":
      if (s.format === "date-time") {
        return fc.date({
          min: new Date("2020-01-01"),
          max: new Date("2030-01-01"),
          noInvalidDate: true,
        })
          .map((d) => d.toISOString());
      }
      if (s.format === "uuid") return fc.uuid();
      if (s.pattern) {
        return fc.stringMatching(new RegExp(s.pattern)).filter((x) =>
          x.length <= (s.maxLength ?? 200)
        );
      }
      return fc.string({ minLength: s.minLength ?? 0, maxLength: Math.min(s.maxLength ?? 20, 20) });
    case "array":
      return fc.array(arb(s.items ?? {}, root), {
        minLength: s.minItems ?? 0,
        maxLength: Math.min(s.maxItems ?? 3, 3),
      });
    case "object": {
      const props = s.properties ?? {};
      const rec: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [k, v] of Object.entries(props)) rec[k] = arb(v as Json, root);
      return fc.record(rec, { requiredKeys: s.required ?? [] });
    }
    default:
      return fc.jsonValue();
  }
}

function resolve(root: Json, ref: string): Json {
  return ref.replace(/^#\//, "").split("/").reduce((o: Json, k) => o[k], root);
}

/** The item schema with nothing required (a sparse-fields answer has only what was asked). */
function relaxed(s: Json): Json {
  if (s.type === "object" && s.properties?.data?.items) {
    const items = { ...s.properties.data.items };
    delete items.required;
    return { ...s, properties: { ...s.properties, data: { ...s.properties.data, items } } };
  }
  return s;
}

interface Op {
  path: string;
  method: string;
  op: Json;
}

function operations(doc: Json): Op[] {
  const out: Op[] = [];
  for (const [path, item] of Object.entries(doc.paths as Json)) {
    for (const [method, op] of Object.entries(item as Json)) out.push({ path, method, op });
  }
  return out;
}

Deno.test("contract: generated requests get declared statuses and schema-valid bodies", async () => {
  await withShop(async (s) => {
    const { key } = await partnerKey(s, [...API_SCOPES], { limit: 1_000_000 });
    const doc: Json = await (await s.fetch("/api/v1/openapi.json")).json();
    const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
    const problemSchema = ajv.compile(doc.components.schemas.Problem);
    const ops = operations(doc);
    // Real values for path parameters too, so that successes are drawn, not only refusals.
    const slugs = (await s.sql`select slug from shop_products where active`).map((r) => r.slug);
    const known: Record<string, fc.Arbitrary<string>> = { slug: fc.constantFrom(...slugs) };
    ok(ops.length >= 20);
    let requests = 0;
    const seen = new Map<string, Set<number>>();
    for (const { path, method, op } of ops) {
      const params: Json[] = op.parameters ?? [];
      const pathParams = params.filter((p) => p.in === "path");
      const queryParams = params.filter((p) => p.in === "query");
      const bodySchema = op.requestBody?.content?.["application/json"]?.schema;
      const okSchema = op.responses["200"] ?? op.responses["201"];
      const okStatus = op.responses["200"] ? 200 : 201;
      const validate = ajv.compile(okSchema.content["application/json"].schema);
      const validateSparse = ajv.compile(relaxed(okSchema.content["application/json"].schema));
      const request = fc.record({
        path: fc.record(Object.fromEntries(pathParams.map((p) => [
          p.name,
          fc.oneof(
            { weight: 4, arbitrary: known[p.name] ?? arb(p.schema, doc).map(String) },
            { weight: 2, arbitrary: arb(p.schema, doc).map(String) },
            HOSTILE,
          ),
        ]))),
        query: fc.oneof(
          fc.constant({}),
          fc.record(
            Object.fromEntries(queryParams.map((p) => [
              p.name,
              fc.oneof({ weight: 4, arbitrary: arb(p.schema, doc).map(String) }, HOSTILE),
            ])),
            { requiredKeys: [] },
          ),
        ),
        body: bodySchema
          ? fc.oneof({ weight: 3, arbitrary: arb(bodySchema, doc) }, fc.jsonValue())
          : fc.constant(undefined),
        idem: fc.uuid(),
      });
      await fc.assert(
        fc.asyncProperty(request, async (r) => {
          let url = path.replace(
            /\{(\w+)\}/g,
            (_, n) => encodeURIComponent(String((r.path as Json)[n]) || "x"),
          );
          const q = new URLSearchParams(r.query as Record<string, string>).toString();
          if (q) url += `?${q}`;
          const res = await api(s, key, url, {
            method: method.toUpperCase(),
            ...(bodySchema ? { json: r.body, idem: r.idem } : {}),
          });
          requests++;
          const text = await res.text();
          const where = `${method.toUpperCase()} ${url} → ${res.status} ${text.slice(0, 300)}`;
          ok(res.status < 500, where);
          (seen.get(op.operationId) ?? seen.set(op.operationId, new Set()).get(op.operationId)!)
            .add(res.status);
          ok(String(res.status) in op.responses, `undeclared status: ${where}`);
          if (res.status === okStatus) {
            const body = JSON.parse(text);
            const check = "fields" in (r.query as Json) ? validateSparse : validate;
            ok(check(body), `${where}\n${JSON.stringify(check.errors)}`);
          } else {
            equal(res.headers.get("content-type"), "application/problem+json", where);
            ok(problemSchema(JSON.parse(text)), where);
          }
        }),
        { numRuns: 15 },
      );
    }
    // The generator reaches successes, not only refusals.
    const succeeded = [...seen].filter(([, st]) => st.has(200) || st.has(201)).map(([id]) => id);
    ok(succeeded.includes("listProducts") && succeeded.includes("getProduct"), String(succeeded));
    console.log(
      `contract: ${requests} requests over ${ops.length} operations; ` +
        `successes in ${succeeded.length}: ${succeeded.join(", ")}`,
    );
  });
});

Deno.test("contract: malformed bodies get 400/415/422 problem+json, never 5xx", async () => {
  await withShop(async (s) => {
    const { key } = await partnerKey(s, [...API_SCOPES], { limit: 1_000_000 });
    const doc: Json = await (await s.fetch("/api/v1/openapi.json")).json();
    const posts = operations(doc).filter((o) => o.method === "post" && o.op.requestBody);
    ok(posts.length >= 4);
    const raw = fc.oneof(
      fc.string({ maxLength: 50 }),
      fc.constantFrom("{", "[1,", '{"a":', "\u0000", '{"lines":[{"sku":"\u0000","qty":1e309}]}'),
      fc.jsonValue().map((v) => JSON.stringify(v)),
    );
    for (const { path } of posts) {
      const url = path.replace(/\{\w+\}/g, "00000000-0000-4000-8000-000000000000");
      await fc.assert(
        fc.asyncProperty(
          raw,
          fc.constantFrom("application/json", "text/plain"),
          fc.uuid(),
          async (body, type, idem) => {
            const res = await api(s, key, url, {
              method: "POST",
              body,
              headers: { "content-type": type, "idempotency-key": idem },
            });
            const text = await res.text();
            ok(res.status < 500, `${url} ${JSON.stringify(body)} → ${res.status} ${text}`);
            ok(
              [400, 403, 404, 409, 415, 422].includes(res.status),
              `${url} → ${res.status} ${text}`,
            );
            equal(res.headers.get("content-type"), "application/problem+json");
          },
        ),
        { numRuns: 25 },
      );
    }
  });
});
