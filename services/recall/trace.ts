/**
 * The lineage of milk and products (issue 12 §7), put together from what each context knows:
 * back from an order (order → product lots → production → intake lots → tank sessions → cows, or
 * farmers' deliveries), and forward from a cow, a tank, a farmer or a lot (→ intake lots → every
 * lot made from them → the customer orders that got them, and the stock still left).
 */
import { z } from "zod";
import { addDays, daysBetween, dhakaDate, isDate } from "@/services/platform/dhaka.ts";
import { NotFoundError, parseInput, ValidationError } from "@/services/platform/errors.ts";
import type { Db } from "@/services/platform/tx.ts";
import type { LotTrace, TraceEdge, TraceLot } from "@/services/inventory/lineage.ts";
import type { IntakeOrigin } from "@/services/intake/trace.ts";
import type { MilkSession, TracedCow } from "@/services/farm/trace.ts";
import type { RecalledOrder } from "@/services/shop/recall_port.ts";
import type { RecallPorts } from "./ports.ts";

export type TraceStart =
  | { kind: "cow"; tag: string; from: string; to: string }
  | { kind: "tank"; tankId: string; from: string; to: string }
  | { kind: "farmer"; code: string; from: string; to: string }
  | { kind: "lot"; code: string }
  | { kind: "order"; number: string };

export interface OrderGot {
  lotId: number;
  lotCode: string;
  itemCode: string;
  itemName: { en: string; bn: string };
  qty: number;
  base: string;
  state: "sold" | "reserved";
}

export interface TracedOrder extends RecalledOrder {
  ref: { kind: string; id: string };
  got: OrderGot[];
}

export interface TraceResult {
  start: TraceStart;
  /** The cow a forward trace started from. */
  cow: TracedCow | null;
  lots: TraceLot[];
  edges: TraceEdge[];
  /** Where the raw milk on the chain came from. */
  origins: IntakeOrigin[];
  /** Cows whose milk is on the chain, with the sessions (back traces and lot traces). */
  cows: (TracedCow & { sessions: MilkSession[] })[];
  /** The newest orders (at most SHOWN_ORDERS) with their customers… */
  orders: TracedOrder[];
  /** …of this many customer orders that got something of the chain. */
  orderCount: number;
  /** Lots on the chain with stock left. */
  remaining: TraceLot[];
}

const MAX_DAYS = 3 * 366;
/** Orders a trace names with their customers (the recall report names every one). */
export const SHOWN_ORDERS = 200;
const dateField = z.string().trim().refine(isDate, "bad_date");

const startSchema = z.object({
  kind: z.enum(["cow", "tank", "farmer", "lot", "order"], "kind_required"),
  value: z.string().trim().min(1, "start_required").max(80, "too_long")
    .refine((v) => ![...v].some((ch) => ch < " "), "start_required"),
  from: dateField.optional(),
  to: dateField.optional(),
});

/** Reads a trace's start from a form or query; the period defaults to the last two years. */
export function parseStart(input: Record<string, unknown>, today: string): TraceStart {
  const clean = Object.fromEntries(
    Object.entries(input).filter(([, v]) => v !== "" && v !== undefined && v !== null),
  );
  const v = parseInput(startSchema, clean);
  if (v.kind === "lot") return { kind: "lot", code: v.value };
  if (v.kind === "order") return { kind: "order", number: v.value };
  const from = v.from ?? addDays(today, -730);
  const to = v.to ?? today;
  if (from > to) throw new ValidationError({ to: "period_reversed" });
  if (daysBetween(from, to) > MAX_DAYS) throw new ValidationError({ from: "period_too_long" });
  if (v.kind === "cow") return { kind: "cow", tag: v.value, from, to };
  if (v.kind === "tank") return { kind: "tank", tankId: v.value, from, to };
  return { kind: "farmer", code: v.value, from, to };
}

function groupCows(rows: (TracedCow & MilkSession)[]) {
  const byCow = new Map<number, TracedCow & { sessions: MilkSession[] }>();
  for (const r of rows) {
    let c = byCow.get(r.animalId);
    if (!c) {
      c = { animalId: r.animalId, tag: r.tag, name: r.name, sessions: [] };
      byCow.set(r.animalId, c);
    }
    c.sessions.push({ day: r.day, session: r.session });
  }
  return [...byCow.values()].sort((a, b) => a.tag.localeCompare(b.tag));
}

export function createTrace(sql: Db, ports: RecallPorts, clock: { now(): Date }) {
  const { inventory, intake, farm, shop } = ports;

  /** The intake lots a forward trace starts from (and the cow, for a cow). */
  async function startLots(start: TraceStart) {
    switch (start.kind) {
      case "cow": {
        const found = await farm.milkingsOfCow(sql, start.tag, start.from, start.to);
        if (!found) throw new NotFoundError("no_cow");
        return { cow: found.cow, lotIds: await intake.lotsOfSessions(sql, found.sessions) };
      }
      case "tank":
        return {
          cow: null,
          lotIds: await intake.lotsOfTank(sql, start.tankId, start.from, start.to),
        };
      case "farmer": {
        const ids = await intake.lotsOfFarmer(sql, start.code, start.from, start.to);
        if (!ids) throw new NotFoundError("no_farmer");
        return { cow: null, lotIds: ids };
      }
      case "lot": {
        const id = await inventory.lotIdByCode(sql, start.code);
        if (id === null) throw new NotFoundError("no_lot");
        return { cow: null, lotIds: [id] };
      }
      case "order": {
        const orderId = await shop.orderIdByNumber(sql, start.number);
        if (!orderId) throw new NotFoundError("no_order");
        return {
          cow: null,
          lotIds: await inventory.lotsOfRefs(sql, [{ kind: "shop_order", id: orderId }]),
        };
      }
    }
  }

  /** The named orders of a trace limited to the newest SHOWN_ORDERS references. */
  async function ordersOf(
    lots: TraceLot[],
    destinations: LotTrace["destinations"],
    refCount: number,
  ): Promise<{ orders: TracedOrder[]; orderCount: number }> {
    const lotById = new Map(lots.map((l) => [l.id, l]));
    const mine = destinations.filter((d) => d.ref.kind === "shop_order");
    const ids = [...new Set(mine.map((d) => d.ref.id))];
    const orders = await shop.ordersOf(sql, ids, SHOWN_ORDERS);
    return {
      orderCount: refCount,
      orders: orders.map((o): TracedOrder => ({
        ...o,
        ref: { kind: "shop_order", id: o.id },
        got: mine.filter((d) => d.ref.id === o.id).map((d) => {
          const lot = lotById.get(d.lotId)!;
          return {
            lotId: d.lotId,
            lotCode: lot.code,
            itemCode: lot.itemCode,
            itemName: lot.itemName,
            qty: d.qty,
            base: lot.base,
            state: d.state,
          };
        }),
      })),
    };
  }

  /** Where the raw milk of these lots came from, and the cows in it. */
  async function originsOf(lots: TraceLot[]) {
    const intakeLots = lots.filter((l) => l.ref.kind === "intake").map((l) => l.id);
    const origins = await intake.originsOfLots(sql, intakeLots);
    const sessions = origins.flatMap((o) =>
      o.kind === "tank" ? o.sessions.map((session) => ({ day: o.day, session })) : []
    );
    const unique = [...new Map(sessions.map((s) => [`${s.day}/${s.session}`, s])).values()];
    return { origins, cows: groupCows(await farm.cowsOfSessions(sql, unique)) };
  }

  /** Forward only: every lot made from where the start leads, its customers and stock left. */
  async function reach(start: TraceStart) {
    const { lotIds } = await startLots(start);
    return await inventory.traceDown(sql, lotIds);
  }

  return {
    parseStart: (input: Record<string, unknown>) => parseStart(input, dhakaDate(clock.now())),
    reach,

    /** Back from an order, forward from anything else; a lot both ways. */
    async trace(start: TraceStart): Promise<TraceResult> {
      const { cow, lotIds } = await startLots(start);
      if (start.kind === "order") {
        const orderId = (await shop.orderIdByNumber(sql, start.number))!;
        const up = await inventory.traceUp(sql, lotIds, { onlyRefIds: [orderId] });
        return {
          start,
          cow: null,
          lots: up.lots,
          edges: up.edges,
          ...(await originsOf(up.lots)),
          ...(await ordersOf(up.lots, up.destinations, up.refCount)),
          remaining: [],
        };
      }
      const down = await inventory.traceDown(sql, lotIds, { refLimit: SHOWN_ORDERS });
      const back = start.kind === "lot"
        ? await originsOf((await inventory.traceUp(sql, lotIds, { refLimit: 0 })).lots)
        : { origins: await intake.originsOfLots(sql, lotIds), cows: [] };
      return {
        start,
        cow,
        lots: down.lots,
        edges: down.edges,
        ...back,
        ...(await ordersOf(down.lots, down.destinations, down.refCount)),
        remaining: down.lots.filter((l) => l.onHand > 0),
      };
    },
  };
}

export type Tracer = ReturnType<typeof createTrace>;
