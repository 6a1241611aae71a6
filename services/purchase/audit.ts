/** Purchasing's audit lines: who did what to which of its records, in the caller's transaction. */
import { appendAudit } from "@/services/audit/mod.ts";
import type { Tx } from "@/services/platform/tx.ts";
import type { Actor } from "./port.ts";

/** One audit line: `actor` did `action` (purchase.order.create…) to `entity` (pur_order…) `id`. */
export function audit(
  tx: Tx,
  actor: Actor,
  action: string,
  [entity, entityId]: [string, string | number],
  data?: unknown,
): Promise<unknown> {
  return appendAudit(tx, { actorId: actor.id, action, entity, entityId, data });
}
