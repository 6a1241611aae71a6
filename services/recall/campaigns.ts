/**
 * Recall campaigns: a person opens a recall from a trace's start and a reason; the lots it reaches
 * are frozen into the campaign, the stock still left of them goes on hold, and the customer orders
 * that got them are listed; one click queues a message to each customer (once per order).
 */
import { z } from "zod";
import { appendAudit } from "@/services/audit/mod.ts";
import { dhakaYear } from "@/services/platform/dhaka.ts";
import { NotFoundError, parseInput } from "@/services/platform/errors.ts";
import { inTx, type Sql } from "@/services/platform/tx.ts";
import type { Actor } from "@/services/inventory/mod.ts";
import type { RecallPorts } from "./ports.ts";
import type { TracedOrder, Tracer, TraceStart } from "./trace.ts";

export interface Campaign {
  id: number;
  code: string;
  start: TraceStart;
  reason: string;
  lotIds: number[];
  openedAt: Date;
  openedBy: string;
  notifiedAt: Date | null;
  notifiedBy: string | null;
  orders: {
    ref: { kind: string; id: string };
    number: string;
    lots: Record<string, number>;
    notifiedAt: Date | null;
  }[];
}

/** A recall's code as printed (RC-2026-001); anything else names no recall. */
const CODE = /^RC-[0-9]{4}-[0-9]{3,}$/;

async function idOfCode(sql: Sql, code: string): Promise<number> {
  const c = code.trim().toUpperCase();
  const [row] = CODE.test(c) ? await sql`select id from recall_campaigns where code = ${c}` : [];
  if (!row) throw new NotFoundError("no_recall");
  return Number(row.id);
}

const reasonSchema = z.object({
  reason: z.string().trim().min(3, "reason_required").max(500, "too_long")
    .refine((v) => !v.includes("\u0000"), "reason_required"),
});

export function createCampaigns(
  sql: Sql,
  ports: RecallPorts,
  tracer: Tracer,
  clock: { now(): Date },
) {
  async function get(id: number): Promise<Campaign> {
    const [c] = await sql`select * from recall_campaigns where id = ${id}`;
    if (!c) throw new NotFoundError("no_recall");
    const orders = await sql`
      select * from recall_orders where recall_id = ${id} order by order_number`;
    return {
      id: Number(c.id),
      code: c.code,
      start: c.start,
      reason: c.reason,
      lotIds: c.lot_ids.map(Number),
      openedAt: c.opened_at,
      openedBy: c.opened_by_name,
      notifiedAt: c.notified_at ?? null,
      notifiedBy: c.notified_by_name ?? null,
      orders: orders.map((o) => ({
        ref: { kind: o.ref_kind, id: o.ref_id },
        number: o.order_number,
        lots: o.lots,
        notifiedAt: o.notified_at ?? null,
      })),
    };
  }

  return {
    get,
    /** A recall by its code, with its customers as the shop knows them now. */
    async byCode(code: string): Promise<{ campaign: Campaign; orders: TracedOrder[] }> {
      const campaign = await get(await idOfCode(sql, code));
      const { lots } = await ports.inventory.describeLots(sql, campaign.lotIds);
      const lotByCode = new Map(lots.map((l) => [l.code, l]));
      const frozen = new Map(campaign.orders.map((o) => [o.ref.id, o]));
      const orders = await ports.shop.ordersOf(sql, [...frozen.keys()]);
      return {
        campaign,
        orders: orders.map((o) => ({
          ...o,
          ref: { kind: "shop_order", id: o.id },
          got: Object.entries(frozen.get(o.id)?.lots ?? {}).map(([lotCode, qty]) => {
            const lot = lotByCode.get(lotCode);
            return {
              lotId: lot?.id ?? 0,
              lotCode,
              itemCode: lot?.itemCode ?? "",
              itemName: lot?.itemName ?? { en: lotCode, bn: lotCode },
              qty,
              base: lot?.base ?? "pc",
              state: "sold" as const,
            };
          }),
        })),
      };
    },
    async list(): Promise<
      {
        id: number;
        code: string;
        reason: string;
        openedAt: Date;
        orders: number;
        notifiedAt: Date | null;
      }[]
    > {
      const rows = await sql`
        select c.id, c.code, c.reason, c.opened_at, c.notified_at,
          (select count(*) from recall_orders o where o.recall_id = c.id)::int as orders
        from recall_campaigns c order by c.opened_at desc limit 200`;
      return rows.map((r) => ({
        id: Number(r.id),
        code: r.code,
        reason: r.reason,
        openedAt: r.opened_at,
        orders: r.orders,
        notifiedAt: r.notified_at ?? null,
      }));
    },

    /** Opens a recall: freezes its lots and orders, holds what stock is left. */
    async open(start: TraceStart, input: Record<string, unknown>, actor: Actor): Promise<Campaign> {
      const { reason } = parseInput(reasonSchema, input);
      const reached = await tracer.reach(start);
      const at = clock.now();
      const id = await inTx(sql, async (tx) => {
        const [{ n }] = await tx`select nextval('recall_seq')::int as n`;
        const code = `RC-${dhakaYear(at)}-${String(n).padStart(3, "0")}`;
        const lotIds = reached.lots.map((l) => l.id);
        const [c] = await tx`
          insert into recall_campaigns (code, start, reason, lot_ids, opened_at, opened_by, opened_by_name)
          values (${code}, ${tx.json(start as never)}, ${reason}, ${lotIds}::bigint[], ${at},
            ${actor.id}, ${actor.name})
          returning id`;
        // What each customer order got of the recalled lots (lot code → quantity).
        const codeOf = new Map(reached.lots.map((l) => [l.id, l.code]));
        const got = new Map<string, Record<string, number>>();
        for (const d of reached.destinations) {
          if (d.ref.kind !== "shop_order") continue;
          const lots = got.get(d.ref.id) ?? {};
          const code = codeOf.get(d.lotId)!;
          lots[code] = (lots[code] ?? 0) + d.qty;
          got.set(d.ref.id, lots);
        }
        const numbers = await ports.shop.orderNumbers(tx, [...got.keys()]);
        const ids = [...got.keys()];
        await tx`
          insert into recall_orders (recall_id, ref_kind, ref_id, order_number, lots)
          select ${c.id}, 'shop_order', u.id, u.number, u.lots::jsonb
          from unnest(${ids}::text[], ${ids.map((id) => numbers.get(id) ?? "?")}::text[],
            ${ids.map((id) => JSON.stringify(got.get(id)))}::text[]) as u(id, number, lots)`;
        for (const lot of reached.lots) {
          if (lot.onHand > 0 && lot.status !== "hold" && lot.status !== "rejected") {
            await ports.inventory.setLotStatus(tx, {
              lotId: lot.id,
              status: "hold",
              reason: `Recall ${code}: ${reason}`.slice(0, 500),
              actor,
            });
          }
        }
        await appendAudit(tx, {
          actorId: actor.id,
          action: "recall.open",
          entity: "recall",
          entityId: code,
          data: { start, reason, lots: lotIds.length, orders: got.size },
          at,
        });
        return Number(c.id);
      });
      return await get(id);
    },

    /** Queues the recall message to every customer of the campaign (once each). */
    async notify(code: string, actor: Actor): Promise<{ queued: number }> {
      const id = await idOfCode(sql, code);
      const campaign = await get(id);
      const at = clock.now();
      return await inTx(sql, async (tx) => {
        // The campaign froze its lots: describe them, no walking again.
        const { lots } = await ports.inventory.describeLots(tx, campaign.lotIds);
        const skus = [...new Set(lots.map((l) => l.shopSku).filter((s): s is string => !!s))];
        const orderIds = campaign.orders.filter((o) => o.ref.kind === "shop_order").map((o) =>
          o.ref.id
        );
        const queued = await ports.shop.notifyRecall(tx, orderIds, { code: campaign.code, skus });
        await tx`update recall_orders set notified_at = coalesce(notified_at, ${at}) where recall_id = ${id}`;
        await tx`
          update recall_campaigns set notified_at = coalesce(notified_at, ${at}),
            notified_by_name = coalesce(notified_by_name, ${actor.name})
          where id = ${id}`;
        await appendAudit(tx, {
          actorId: actor.id,
          action: "recall.notify",
          entity: "recall",
          entityId: campaign.code,
          data: { orders: orderIds.length, queued },
          at,
        });
        return { queued };
      });
    },
  };
}
