/**
 * The OpenAPI 3.1 document, generated from the endpoints' Zod schemas (Zod 4's JSON Schema
 * output, draft 2020-12 = OpenAPI 3.1's dialect). Nothing here is written by hand but the prose.
 */
import { z } from "@/services/api/mod.ts";
import { type Endpoint, listQuery } from "./endpoint.ts";
import { API_SCOPES, DEFAULT_RATE_LIMIT, TOKEN_TTL_SECONDS } from "@/services/api/mod.ts";

type Json = Record<string, unknown>;

function schemaOf(s: z.ZodType, io: "input" | "output"): Json {
  const j = z.toJSONSchema(s, { io, unrepresentable: "any", target: "draft-2020-12" }) as Json;
  delete j.$schema;
  return j;
}

const problem = z.object({
  type: z.string().describe("A URI naming the kind of problem"),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  instance: z.string().optional(),
  errors: z.array(z.object({
    location: z.enum(["body", "query", "path", "header"]),
    pointer: z.string().describe("JSON Pointer (RFC 6901) to the value, or the header's name"),
    detail: z.string(),
  })).optional(),
}).describe("RFC 9457 problem details");

const STATUS_TEXT: Record<number, string> = {
  400: "Malformed request (bad JSON, unknown or invalid parameter, bad cursor)",
  401: "No key or token, or an unknown, revoked or expired one",
  403: "The key or token lacks the scope, or the caller may not do this",
  404: "Not found (or not the caller's)",
  409: "Conflicts with the resource's state",
  415: "The body is not application/json",
  422: "The body fails validation; `errors` names each field",
  429: "Over the hourly limit; wait `Retry-After` seconds",
};

/** A response header's description and schema type. */
const header = (description: string, type = "integer") => ({ description, schema: { type } });

const rateHeaders = {
  "RateLimit-Limit": header("Requests allowed per hour"),
  "RateLimit-Remaining": header("Requests left in this hour"),
  "RateLimit-Reset": header("Seconds until the hour's count resets"),
  "RateLimit-Policy": header("The limit and window, e.g. `1000;w=3600`", "string"),
};

function parameters(e: Endpoint): Json[] {
  const out: Json[] = [];
  const add = (where: "path" | "query", obj: z.ZodObject<z.ZodRawShape>) => {
    const js = schemaOf(obj, "input");
    const props = (js.properties ?? {}) as Record<string, Json>;
    const required = new Set((js.required ?? []) as string[]);
    for (const [name, schema] of Object.entries(props)) {
      const { description, ...rest } = schema;
      out.push({
        name,
        in: where,
        required: where === "path" || (required.has(name) && !("default" in rest)),
        ...(description ? { description } : {}),
        schema: rest,
      });
    }
  };
  if (e.params) add("path", e.params);
  if (e.query) add("query", e.query);
  if (e.list) add("query", listQuery);
  if (e.idempotent) {
    out.push({
      name: "Idempotency-Key",
      in: "header",
      required: true,
      description: "A unique key per intended operation (e.g. a UUID); a repeat with the same " +
        "key and body returns the first answer",
      schema: { type: "string", minLength: 1, maxLength: 200 },
    });
  }
  return out;
}

function responseSchema(e: Endpoint): Json {
  const item = schemaOf(e.response, "output");
  if (!e.list) return item;
  return {
    type: "object",
    properties: {
      data: { type: "array", items: item },
      nextCursor: {
        type: ["string", "null"],
        description: "Pass as `cursor` for the next page; null on the last page",
      },
    },
    required: ["data", "nextCursor"],
    additionalProperties: false,
  };
}

function operation(e: Endpoint): Json {
  const status = String(e.status ?? 200);
  const errors = [
    ...new Set([400, 401, 403, 429, ...(e.body ? [415, 422] : []), ...(e.errors ?? [])]),
  ]
    .sort();
  const responses: Json = {
    [status]: {
      description: e.status === 201 ? "Created" : "OK",
      headers: {
        ...rateHeaders,
        ...(e.method === "GET" ? { ETag: header("Send back as If-None-Match", "string") } : {}),
      },
      content: { "application/json": { schema: responseSchema(e) } },
    },
    ...(e.method === "GET"
      ? { "304": { description: "Not modified (If-None-Match matched)" } }
      : {}),
  };
  for (const s of errors) {
    responses[String(s)] = { $ref: `#/components/responses/E${s}` };
  }
  return {
    operationId: e.id,
    summary: e.summary,
    ...(e.description ? { description: e.description } : {}),
    tags: [e.tag],
    ...(e.deprecated ? { deprecated: true } : {}),
    security: [{ apiKey: [] }, { oauth2: [e.scope] }],
    "x-scope": e.scope,
    parameters: parameters(e),
    ...(e.body
      ? {
        requestBody: {
          required: true,
          content: { "application/json": { schema: schemaOf(e.body, "input") } },
        },
      }
      : {}),
    responses,
  };
}

const TAG_TEXT: Record<string, string> = {
  catalog: "Products, pack prices and what is available by lot expiry date",
  orders: "B2B orders: place (with Idempotency-Key), read, cancel, status history",
  invoices: "A B2B account's invoices, credit notes and statement",
  deliveries: "The own fleet's routes and an order's tracking (partner keys)",
  farm: "Animals, milk records and herd events, read and created",
  iot: "Devices, latest readings, hourly and daily rollups, alarms",
};

export function buildOpenApi(endpoints: Endpoint[], origin: string): Json {
  const paths: Record<string, Json> = {};
  for (const e of endpoints) {
    (paths[e.path] ??= {})[e.method.toLowerCase()] = operation(e);
  }
  const errorResponses: Json = {};
  for (const [s, text] of Object.entries(STATUS_TEXT)) {
    errorResponses[`E${s}`] = {
      description: text,
      ...(s === "429"
        ? {
          headers: {
            "Retry-After": header("Seconds to wait"),
          },
        }
        : {}),
      content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
    };
  }
  const tags = [...new Set(endpoints.map((e) => e.tag))];
  return {
    openapi: "3.1.0",
    info: {
      title: "Smart Dairy API",
      version: "1.0.0",
      description: "Catalog, B2B orders and invoices, deliveries, the herd and IoT telemetry of " +
        `Smart Dairy Ltd. Authenticate with an API key (\`Authorization: Bearer sd_live_…\`) or ` +
        `an OAuth 2.0 client-credentials token (${TOKEN_TTL_SECONDS / 60} minutes). Each key may ` +
        `make ${DEFAULT_RATE_LIMIT} requests per hour unless agreed otherwise. See docs/api.md.`,
      contact: { name: "Smart Dairy API support", email: "api@smartdairy.com.bd" },
      license: { name: "Proprietary", identifier: "LicenseRef-Proprietary" },
    },
    servers: [{ url: origin }],
    tags: tags.map((name) => ({ name, description: TAG_TEXT[name] ?? name })),
    paths,
    components: {
      schemas: { Problem: schemaOf(problem, "output") },
      responses: errorResponses,
      securitySchemes: {
        apiKey: {
          type: "http",
          scheme: "bearer",
          description: "An API key `sd_live_…` from the back office or the B2B portal",
        },
        oauth2: {
          type: "oauth2",
          description: "Client credentials; tokens are ES256 JWTs verifiable with the JWKS at " +
            "/api/jwks.json",
          flows: {
            clientCredentials: {
              tokenUrl: `${origin}/api/oauth/token`,
              scopes: Object.fromEntries(API_SCOPES.map((s) => [s, s.replace(":", " — ")])),
            },
          },
        },
      },
    },
  };
}
