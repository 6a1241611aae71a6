/**
 * What the recall context asks the others, handed to createRecall by contexts.ts: inventory's
 * lineage over lots, intake's origins of raw milk, the farm's cows and milkings, the shop's
 * orders and customers.
 */
import type { Db, Tx } from "@/services/platform/tx.ts";
import type { Actor, LotStatus, MoveRef } from "@/services/inventory/mod.ts";
import type { DescribeOptions, LotTrace } from "@/services/inventory/lineage.ts";
import type { FarmForRecall } from "@/services/farm/trace.ts";
import type { IntakeForRecall } from "@/services/intake/trace.ts";
import type { ShopForRecall } from "@/services/shop/recall_port.ts";

export interface InventoryForRecall {
  traceUp(db: Db, lotIds: number[], opts?: DescribeOptions): Promise<LotTrace>;
  traceDown(db: Db, lotIds: number[], opts?: DescribeOptions): Promise<LotTrace>;
  describeLots(db: Db, lotIds: number[], opts?: DescribeOptions): Promise<LotTrace>;
  lotsOfRefs(db: Db, refs: MoveRef[]): Promise<number[]>;
  lotIdByCode(db: Db, code: string): Promise<number | null>;
  setLotStatus(
    tx: Tx,
    s: { lotId: number; status: LotStatus; reason: string; actor: Actor },
  ): Promise<void>;
}

export type { FarmForRecall, IntakeForRecall, ShopForRecall };

export interface RecallPorts {
  inventory: InventoryForRecall;
  intake: IntakeForRecall;
  farm: FarmForRecall;
  shop: ShopForRecall;
}
