/** The farm's audit rows: who changed what, written in the change's own transaction. */
import { appendAudit } from "@/services/audit/mod.ts";
import type { Tx } from "@/services/platform/db.ts";

/** Appends the audit row of `actorId`'s `action` on one `entity` (its id and what was written). */
export async function auditFarm(
  tx: Tx,
  actorId: string | null,
  action: string,
  entity: string,
  entityId: string | number | null,
  data: unknown,
): Promise<void> {
  await appendAudit(tx, { actorId, action, entity, entityId, data });
}
