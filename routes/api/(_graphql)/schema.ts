/**
 * The GraphQL schema of /api/graphql (issue 16 §5) over the contexts' doors (no SQL here): the
 * catalogue (shop), tanks, devices and alarms (iot), and live telemetry and alarm changes as
 * subscriptions (iot's live feed, fed by MQTT). Every root field names the one API scope it
 * needs (the same scopes as REST /api/v1); `requiredScopes` reads them off an operation before it
 * runs. Query depth and cost are bounded by validation rules.
 */
import {
  type DocumentNode,
  type FragmentDefinitionNode,
  GraphQLError,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from "graphql";
import { createSchema } from "graphql-yoga";
import type { ApiPrincipal, ApiScope } from "@/services/api/mod.ts";
import type { AppDeps } from "@/state.ts";
import type { LiveFilter } from "@/services/iot/mod.ts";

export interface GraphqlContext {
  deps: AppDeps;
  principal: ApiPrincipal | null;
  /** Aborted when the client goes away (ends live subscriptions). */
  signal: AbortSignal;
}

/** The scope each root field needs. */
export const FIELD_SCOPES: Record<string, Record<string, ApiScope>> = {
  Query: {
    products: "catalog:read",
    product: "catalog:read",
    tanks: "iot:read",
    devices: "iot:read",
    alarms: "iot:read",
  },
  Subscription: { telemetry: "iot:read", alarmChanged: "iot:read" },
};

export const MAX_DEPTH = 6;
export const MAX_COST = 500;

const typeDefs = /* GraphQL */ `
  "Prices are integer poisha (1 taka = 100 poisha); times are ISO 8601."
  type Query {
    "Products in the catalogue (scope catalog:read)."
    products(search: String, category: String, page: Int = 1): ProductPage!
    "One product by its slug (scope catalog:read)."
    product(slug: String!): Product
    "Milk tanks and whether they are on hold (scope iot:read)."
    tanks: [Tank!]!
    "Devices: milk meters, thermometers, collars… (scope iot:read)."
    devices(type: String, limit: Int = 50): [Device!]!
    "Alarms, active by default (scope iot:read)."
    alarms(state: AlarmState = active, deviceId: ID, tankId: ID, limit: Int = 50): [Alarm!]!
  }

  type Subscription {
    "Live readings as devices publish them (scope iot:read)."
    telemetry(deviceIds: [ID!], tankIds: [ID!], metrics: [String!]): Reading!
    "Alarms opened, acknowledged or resolved (scope iot:read)."
    alarmChanged(tankIds: [ID!]): AlarmChange!
  }

  enum AlarmState { active open acknowledged resolved all }

  type ProductPage { items: [Product!]! total: Int! page: Int! pages: Int! }
  type Product {
    slug: String!
    nameEn: String!
    nameBn: String!
    category: String
    variants: [Variant!]!
  }
  type Variant {
    sku: String!
    packQty: String!
    unit: String!
    priceMinor: Int!
    stockAvailable: Int
  }
  type Tank { id: ID! name: String! capacityL: Float status: String! heldBecause: String }
  type Device {
    id: ID!
    type: String!
    name: String!
    tankId: ID
    animalTag: String
    lastReadingAt: String
    latestAlarms(limit: Int = 5): [Alarm!]!
  }
  type Alarm {
    id: ID!
    rule: String!
    deviceId: ID!
    "The device that raised it."
    device: Device
    tankId: ID
    animalTag: String
    severity: String!
    state: String!
    message: String!
    value: Float
    openedAt: String!
    resolvedAt: String
  }
  type Reading {
    deviceId: ID!
    deviceType: String
    tankId: ID
    animalTag: String
    values: [Value!]!
  }
  type Value { metric: String! value: Float! at: String! }
  type AlarmChange {
    alarmId: ID!
    deviceId: ID!
    tankId: ID
    severity: String!
    state: String!
    message: String!
    value: Float
    at: String!
  }
`;

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const clampLimit = (n: number | null | undefined, max: number) =>
  Math.min(Math.max(Number(n ?? 50) | 0, 1), max);

function alarmOut(a: import("@/services/iot/mod.ts").Alarm) {
  return {
    id: a.id,
    rule: a.ruleName,
    deviceId: a.deviceId,
    tankId: a.tankId,
    animalTag: a.animalTag,
    severity: a.severity,
    state: a.state,
    message: a.message,
    value: a.value,
    openedAt: a.openedAt.toISOString(),
    resolvedAt: iso(a.resolvedAt),
  };
}

function deviceOut(d: import("@/services/iot/mod.ts").Device) {
  return {
    id: d.id,
    type: d.type,
    name: d.name,
    tankId: d.tankId,
    animalTag: d.animalTag,
    lastReadingAt: iso(d.lastReadingAt),
  };
}

function productOut(p: {
  slug: string;
  nameEn: string;
  nameBn: string;
  categorySlug?: string;
  variants: {
    sku?: string;
    packQty: string;
    unit: string;
    priceMinor: number;
    stockAvailable?: number;
  }[];
}) {
  return {
    slug: p.slug,
    nameEn: p.nameEn,
    nameBn: p.nameBn,
    category: p.categorySlug ?? null,
    variants: p.variants.map((v) => ({
      sku: v.sku ?? "",
      packQty: v.packQty,
      unit: v.unit,
      priceMinor: v.priceMinor,
      stockAvailable: v.stockAvailable ?? null,
    })),
  };
}

function bad(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "BAD_USER_INPUT" } });
}

/** Live events of a filter, as an async iterator that ends when the client goes away. */
async function* live(ctx: GraphqlContext, filter: LiveFilter) {
  const feed = await ctx.deps.iot.openLiveFeed(filter, ctx.signal);
  try {
    await feed.ready;
    for await (const e of feed) yield e;
  } finally {
    await feed.close();
  }
}

const ID_LIST = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;
function ids(list: string[] | null | undefined, what: string): string[] | undefined {
  if (!list) return undefined;
  if (list.length > 50 || !list.every((s) => ID_LIST.test(s))) throw bad(`Bad ${what}`);
  return list;
}

export const schema = createSchema<GraphqlContext>({
  typeDefs,
  resolvers: {
    Query: {
      products: async (
        _: unknown,
        a: { search?: string; category?: string; page?: number },
        ctx,
      ) => {
        if (a.search && a.search.length > 100) throw bad("search: at most 100 characters");
        if (a.category && !/^[a-z0-9-]{1,60}$/.test(a.category)) throw bad("category: a slug");
        const page = Math.min(Math.max(a.page ?? 1, 1), 500);
        const r = await ctx.deps.shop.search({ q: a.search ?? "", category: a.category, page });
        return {
          items: r.items.map((p) => productOut(p as never)),
          total: r.total,
          page: r.page,
          pages: r.pages,
        };
      },
      product: async (_: unknown, a: { slug: string }, ctx) => {
        if (!/^[a-z0-9-]{1,100}$/.test(a.slug)) return null;
        const p = await ctx.deps.shop.product(a.slug);
        return p && p.active ? productOut(p) : null;
      },
      tanks: async (_: unknown, _a: unknown, ctx) =>
        (await ctx.deps.iot.listTanks()).map((t) => ({
          id: t.id,
          name: t.name,
          capacityL: t.capacityL,
          status: t.status,
          heldBecause: t.hold?.reason ?? null,
        })),
      devices: async (_: unknown, a: { type?: string; limit?: number }, ctx) => {
        const r = await ctx.deps.iot.listDevices({
          type: a.type as never,
          limit: clampLimit(a.limit, 200),
        });
        return r.devices.map(deviceOut);
      },
      alarms: async (
        _: unknown,
        a: { state: string; deviceId?: string; tankId?: string; limit?: number },
        ctx,
      ) =>
        (await ctx.deps.iot.listAlarms({
          state: a.state as never,
          deviceId: a.deviceId,
          tankId: a.tankId,
          limit: clampLimit(a.limit, 200),
        })).map(alarmOut),
    },
    Device: {
      latestAlarms: async (d: { id: string }, a: { limit?: number }, ctx: GraphqlContext) =>
        (await ctx.deps.iot.listAlarms({
          state: "all",
          deviceId: d.id,
          limit: clampLimit(a.limit, 20),
        })).map(alarmOut),
    },
    Alarm: {
      device: async (a: { deviceId: string }, _a: unknown, ctx: GraphqlContext) => {
        const d = await ctx.deps.iot.getDevice(a.deviceId);
        return d && deviceOut(d);
      },
    },
    Subscription: {
      telemetry: {
        subscribe: async function* (
          _: unknown,
          a: { deviceIds?: string[]; tankIds?: string[]; metrics?: string[] },
          ctx: GraphqlContext,
        ) {
          const filter: LiveFilter = {
            alarms: false,
            deviceIds: ids(a.deviceIds, "deviceIds"),
            tankIds: ids(a.tankIds, "tankIds"),
            metrics: ids(a.metrics, "metrics"),
          };
          for await (const e of live(ctx, filter)) {
            if (e.kind !== "reading") continue;
            yield {
              telemetry: {
                deviceId: e.deviceId,
                deviceType: e.type,
                tankId: e.tankId,
                animalTag: e.animalTag,
                values: e.readings.map((r) => ({
                  metric: r.metric,
                  value: r.value,
                  at: new Date(r.at).toISOString(),
                })),
              },
            };
          }
        },
      },
      alarmChanged: {
        subscribe: async function* (_: unknown, a: { tankIds?: string[] }, ctx: GraphqlContext) {
          const filter: LiveFilter = { readings: false, tankIds: ids(a.tankIds, "tankIds") };
          for await (const e of live(ctx, filter)) {
            if (e.kind === "alarm") yield { alarmChanged: e.alarm };
          }
        },
      },
    },
  },
});

// ---- what an operation needs, before it runs --------------------------------------------------

/** The operation a request runs (by name, or the only one). */
export function operationOf(
  doc: DocumentNode,
  name: string | null | undefined,
): OperationDefinitionNode | null {
  const ops = doc.definitions.filter((d): d is OperationDefinitionNode =>
    d.kind === Kind.OPERATION_DEFINITION
  );
  if (name) return ops.find((o) => o.name?.value === name) ?? null;
  return ops.length === 1 ? ops[0] : null;
}

/**
 * The scopes an operation's root fields need (fragments on the root type followed); null when a
 * root field has no scope in FIELD_SCOPES. Fields of the schema itself (`__schema`, `__type`,
 * `__typename`) need none.
 */
export function requiredScopes(
  doc: DocumentNode,
  op: OperationDefinitionNode,
): ApiScope[] | null {
  const root = op.operation === "subscription"
    ? "Subscription"
    : op.operation === "mutation"
    ? "Mutation"
    : "Query";
  const fragments = fragmentsOf(doc);
  const out = new Set<ApiScope>();
  let unknown = false;
  const walk = (set: SelectionSetNode, seen: Set<string>) => {
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) {
        const scope = FIELD_SCOPES[root]?.[s.name.value];
        if (scope) out.add(scope);
        else if (!s.name.value.startsWith("__")) unknown = true;
      } else if (s.kind === Kind.INLINE_FRAGMENT) walk(s.selectionSet, seen);
      else if (!seen.has(s.name.value) && fragments.has(s.name.value)) {
        walk(fragments.get(s.name.value)!.selectionSet, new Set([...seen, s.name.value]));
      }
    }
  };
  walk(op.selectionSet, new Set());
  // A root field without a scope here is refused (never run unchecked).
  return unknown ? null : [...out];
}

function fragmentsOf(doc: DocumentNode): Map<string, FragmentDefinitionNode> {
  return new Map(
    doc.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((f) => [f.name.value, f]),
  );
}

/** The fields that return lists (their selections are paid once per item). */
const LIST_FIELDS = new Set([
  "items",
  "variants",
  "values",
  "tanks",
  "devices",
  "alarms",
  "latestAlarms",
]);
const LIST_FACTOR = 5;

/**
 * Depth and cost limits as one validation rule: an operation nested deeper than `maxDepth`
 * fields, or selecting more than `maxCost` fields in all (fragments expanded; a list field's
 * selections count LIST_FACTOR times, since each list item costs them again), is refused before it
 * runs.
 */
export function limitsRule(maxDepth = MAX_DEPTH, maxCost = MAX_COST): ValidationRule {
  return (context: ValidationContext) => {
    const fragments = fragmentsOf(context.getDocument());
    const measure = (
      set: SelectionSetNode,
      depth: number,
      seen: Set<string>,
    ): { depth: number; cost: number } => {
      let deepest = depth;
      let cost = 0;
      for (const s of set.selections) {
        if (s.kind === Kind.FIELD) {
          cost += 1;
          if (s.selectionSet) {
            const inner = measure(s.selectionSet, depth + 1, seen);
            deepest = Math.max(deepest, inner.depth);
            cost += inner.cost * (LIST_FIELDS.has(s.name.value) ? LIST_FACTOR : 1);
          } else deepest = Math.max(deepest, depth);
        } else if (s.kind === Kind.INLINE_FRAGMENT) {
          const inner = measure(s.selectionSet, depth, seen);
          deepest = Math.max(deepest, inner.depth);
          cost += inner.cost;
        } else {
          const f = fragments.get(s.name.value);
          if (!f || seen.has(f.name.value)) continue; // unknown or cyclic: other rules report it
          const inner = measure(f.selectionSet, depth, new Set([...seen, f.name.value]));
          deepest = Math.max(deepest, inner.depth);
          cost += inner.cost;
        }
      }
      return { depth: deepest, cost };
    };
    return {
      OperationDefinition(node) {
        const m = measure(node.selectionSet, 1, new Set());
        if (m.depth > maxDepth) {
          context.reportError(
            new GraphQLError(
              `The query is nested ${m.depth} levels deep; at most ${maxDepth} are allowed`,
              { nodes: [node], extensions: { code: "QUERY_TOO_DEEP" } },
            ),
          );
        }
        if (m.cost > maxCost) {
          context.reportError(
            new GraphQLError(
              `The query costs ${m.cost}; at most ${maxCost} is allowed (ask for fewer fields or items)`,
              { nodes: [node], extensions: { code: "QUERY_TOO_COSTLY" } },
            ),
          );
        }
      },
    };
  };
}
