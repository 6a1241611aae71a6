/**
 * GraphQL at /api/graphql (issue 16 §5), served by GraphQL Yoga over the contexts' doors
 * (routes/api/(_graphql)/schema.ts). Queries by GET or POST; subscriptions (live telemetry and
 * alarm changes) over server-sent events (`Accept: text/event-stream`, the GraphQL-over-SSE
 * "distinct connections" mode). Callers authenticate as on REST /api/v1: a bearer API key or
 * OAuth access token whose scopes cover every root field the operation selects (the call counts
 * once against the hourly limit). Operations on the schema itself (introspection) need no key,
 * like the OpenAPI document. Depth and cost are bounded (QUERY_TOO_DEEP, QUERY_TOO_COSTLY).
 */
import type { Handlers } from "@/framework/mod.ts";
import { parse } from "graphql";
import { createYoga, type Plugin, type YogaServerInstance } from "graphql-yoga";
import { ApiAuthError, type ApiPrincipal, type ApiScope, grants } from "@/services/api/mod.ts";
import type { AppDeps, State } from "@/state.ts";
import {
  type GraphqlContext,
  limitsRule,
  operationOf,
  requiredScopes,
  schema,
} from "./(_graphql)/schema.ts";

/** How a caller is authenticated for a scope (services/api's authenticateApiRequest). */
export type Authenticate = (
  req: Request,
  opts: { scope: ApiScope },
) => Promise<{ principal: ApiPrincipal; headers: Record<string, string> }>;

// deno-lint-ignore ban-types
type Yoga = YogaServerInstance<GraphqlContext, {}>;
/** The depth and cost limits as one more validation rule. */
const limits: Plugin = { onValidate: ({ addValidationRule }) => addValidationRule(limitsRule()) };
const servers = new WeakMap<AppDeps, Yoga>();

function yogaFor(deps: AppDeps): Yoga {
  let y = servers.get(deps);
  if (!y) {
    y = createYoga<GraphqlContext>({
      schema,
      graphqlEndpoint: "/api/graphql",
      // No GraphiQL (it loads from a CDN, which our CSP and policy refuse) and no landing page.
      graphiql: false,
      landingPage: false,
      // Resolver errors reach the caller as "Unexpected error." (the log has the detail),
      // except GraphQLErrors thrown on purpose (bad arguments).
      maskedErrors: true,
      logging: false,
      plugins: [limits],
    });
    servers.set(deps, y);
  }
  return y;
}

/** The largest document read (tokens): bounds the parser's work before anything else. */
const MAX_TOKENS = 5000;

function problem(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
) {
  return Response.json({ errors: [{ message, extensions: { code } }] }, {
    status,
    headers: { ...headers, "cache-control": "no-store" },
  });
}

/** The query text and operation name of a GraphQL request (GET query string or JSON body). */
function paramsOf(url: URL, method: string, body: string | null) {
  if (method === "GET") {
    return {
      query: url.searchParams.get("query"),
      operationName: url.searchParams.get("operationName"),
    };
  }
  try {
    const b = JSON.parse(body ?? "");
    return {
      query: typeof b?.query === "string" ? b.query : null,
      operationName: typeof b?.operationName === "string" ? b.operationName : null,
    };
  } catch {
    return { query: null, operationName: null };
  }
}

/**
 * The handler, with authentication handed in (tests may pass their own; the app passes the API
 * context's). The document is parsed here first (bounded), its root fields give the scopes, and
 * only then does Yoga run it.
 */
export function graphqlHandler(authenticate: (deps: AppDeps) => Authenticate) {
  return async (req: Request, deps: AppDeps): Promise<Response> => {
    const url = new URL(req.url);
    const body = req.method === "POST" ? await req.text() : null;
    const { query, operationName } = paramsOf(url, req.method, body);
    let principal: ApiPrincipal | null = null;
    let extra: Record<string, string> = {};
    // Nothing reaches Yoga that was not read here first: a body in another form (application/
    // graphql, multipart, a batch) or a document this check cannot read is refused, never run
    // unchecked.
    if (!query) {
      return problem(
        400,
        "BAD_REQUEST",
        "Send { query, variables, operationName } as JSON (POST) or in the query string (GET)",
      );
    }
    let scopes: ApiScope[] | null;
    try {
      const doc = parse(query, { maxTokens: MAX_TOKENS });
      const op = operationOf(doc, operationName);
      if (!op) {
        return problem(400, "BAD_REQUEST", "Name the operation to run (operationName)");
      }
      scopes = requiredScopes(doc, op);
    } catch (e) {
      return problem(400, "GRAPHQL_PARSE_FAILED", (e as Error).message.slice(0, 300));
    }
    if (scopes === null) return problem(400, "BAD_REQUEST", "Unknown root field");
    if (scopes.length) {
      try {
        const r = await authenticate(deps)(req, { scope: scopes[0] });
        const missing = scopes.filter((s) => !grants(r.principal.scopes, s));
        if (missing.length) {
          return problem(
            403,
            "insufficient_scope",
            `This key lacks the scope ${missing.join(", ")}`,
          );
        }
        principal = r.principal;
        extra = r.headers;
      } catch (e) {
        if (e instanceof ApiAuthError) return problem(e.status, e.code, e.message, e.headers);
        throw e;
      }
    }
    const forwarded = new Request(req.url, {
      method: req.method,
      headers: req.headers,
      body,
      signal: req.signal,
    });
    const res = await yogaFor(deps).fetch(forwarded, { deps, principal, signal: req.signal });
    if (!Object.keys(extra).length) return res;
    const headers = new Headers(res.headers);
    for (const [k, v] of Object.entries(extra)) headers.set(k, v);
    return new Response(res.body, { status: res.status, headers });
  };
}

const handle = graphqlHandler((deps) => deps.api.authenticateApiRequest);

export const handler: Handlers<unknown, State> = {
  GET: (ctx) => handle(ctx.req, ctx.state.deps),
  POST: (ctx) => handle(ctx.req, ctx.state.deps),
};
