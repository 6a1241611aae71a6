/**
 * The recall context's door (issue 12 §7): lineage from cow to customer and back, and recall
 * campaigns. `createRecall({ sql, clock, inventory, intake, farm, shop })` takes each context's
 * small recall port (their `forRecall()`), so it reads no table but its own.
 *
 * Owns (tables, migrations/0450_recall.sql): recall_campaigns, recall_orders; recall_seq.
 */
import type { Sql } from "@/services/platform/db.ts";
import { createCampaigns } from "./campaigns.ts";
import type { RecallPorts } from "./ports.ts";
import { createTrace } from "./trace.ts";

export type { Campaign } from "./campaigns.ts";
export type { OrderGot, TracedOrder, TraceResult, TraceStart } from "./trace.ts";
export type { RecallPorts } from "./ports.ts";
export { recallCatalogs } from "./messages.ts";
export type { RecallMessages } from "./messages.ts";

export interface RecallDeps extends RecallPorts {
  sql: Sql;
  clock: { now(): Date };
}

export function createRecall(deps: RecallDeps) {
  const { sql, clock, ...ports } = deps;
  const tracer = createTrace(sql, ports, clock);
  const campaigns = createCampaigns(sql, ports, tracer, clock);
  return {
    /** Reads a trace's start from a form or query string (ValidationError when it is wrong). */
    parseStart: tracer.parseStart,
    /** Back from an order; forward from a cow, tank, farmer or lot (a lot both ways). */
    trace: tracer.trace,
    recalls: campaigns.list,
    recall: campaigns.byCode,
    openRecall: campaigns.open,
    notifyRecall: campaigns.notify,
  };
}

export type Recall = ReturnType<typeof createRecall>;
