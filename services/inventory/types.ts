/** The inventory contract's types (issue 12): what every context codes against. */
import type { Queryable } from "@/services/platform/db.ts";

/** The pool or the caller's transaction (use a transaction when it must commit together). */
export type Db = Queryable;

export type Base = "ml" | "g" | "pc";
export const BASES: readonly Base[] = ["ml", "g", "pc"];
export const ITEM_KINDS = [
  "raw_milk",
  "ingredient",
  "packaging",
  "finished",
  "byproduct",
  "feed",
  "medicine",
] as const;
export type ItemKind = typeof ITEM_KINDS[number];
/** Only "released" is sellable/consumable. */
export type LotStatus = "quarantine" | "released" | "hold" | "rejected";
export const LOT_STATUSES: readonly LotStatus[] = ["quarantine", "released", "hold", "rejected"];
export type LocationKind = "farm_chiller" | "silo" | "cold_room" | "dry_store" | "depot" | "van";
export type TempClass = "frozen" | "chilled" | "ambient";

export interface Actor {
  id: string | null;
  name: string;
}

export type MoveRefKind =
  | "intake"
  | "purchase"
  | "production"
  | "shop_order"
  | "subscription"
  | "b2b"
  | "transfer"
  | "count"
  | "scrap"
  | "return"
  | "opening"
  | "farm";
export const MOVE_REF_KINDS: readonly MoveRefKind[] = [
  "intake",
  "purchase",
  "production",
  "shop_order",
  "subscription",
  "b2b",
  "transfer",
  "count",
  "scrap",
  "return",
  "opening",
  "farm",
];
export interface MoveRef {
  kind: MoveRefKind;
  id: string;
}
/** Kinds of ledger moves (inv_moves.kind). */
export type MoveKind = "receipt" | "transfer" | "consume" | "sale" | "return" | "scrap" | "count";

export interface ItemInput {
  code: string;
  nameEn: string;
  nameBn: string;
  kind: ItemKind;
  base: Base;
  shelfLifeDays?: number | null;
  minShelfDays?: number | null;
  shopSku?: string | null;
  reorderPoint?: number | null;
  reorderQty?: number | null;
}

export interface Item {
  id: number;
  code: string;
  nameEn: string;
  nameBn: string;
  kind: ItemKind;
  base: Base;
  shelfLifeDays: number | null;
  minShelfDays: number;
  shopSku: string | null;
  reorderPoint: number | null;
  reorderQty: number | null;
  active: boolean;
}

export interface Location {
  id: number;
  code: string;
  nameEn: string;
  nameBn: string;
  kind: LocationKind;
  tempClass: TempClass;
  deviceId: string | null;
  vatRegistered: boolean;
  bin: string | null;
  /** Finished goods here may be reserved for customers. */
  sellable: boolean;
  active: boolean;
}

/** A lot's stock at one location. */
export interface LotBalance {
  locationCode: string;
  onHand: number;
  reserved: number;
}

export interface Lot {
  id: number;
  code: string;
  itemId: number;
  itemCode: string;
  itemName: { en: string; bn: string };
  base: Base;
  /** Where it was received. */
  locationCode: string;
  /** Where its stock is now (one row per location holding some, or the home with 0). */
  balances: LotBalance[];
  status: LotStatus;
  producedOn: string;
  expiresOn: string | null;
  receivedQty: number;
  onHand: number;
  reserved: number;
  available: number;
  attrs: Record<string, unknown>;
  ref: MoveRef;
}

export interface ReceiveInput {
  itemCode: string;
  locationCode: string;
  qty: number;
  lotCode?: string;
  /** YYYY-MM-DD */
  producedOn: string;
  /** Default producedOn + the item's shelf life (null when it has none). */
  expiresOn?: string | null;
  /** Default "quarantine" for raw milk and ingredients, else "released". */
  status?: LotStatus;
  ref: MoveRef;
  actor: Actor;
  attrs?: Record<string, unknown>;
}

export interface ConsumeInput {
  lotId: number;
  qty: number;
  /** "farm_use": feed and medicine the farm used (ref `{ kind: "farm", id }`). */
  reason: "production" | "scrap" | "farm_use";
  ref: MoveRef;
  actor: Actor;
  note?: string;
  /** farm_use: the lot must not be expired on this day (YYYY-MM-DD; default today in Dhaka). */
  on?: string;
  /** Take only from the lot's stock at these locations (default: wherever it is). */
  locationCodes?: string[];
}

/** A released, unexpired lot with stock free at the locations asked (FEFO order). */
export interface FreeLot {
  lotId: number;
  lotCode: string;
  itemCode: string;
  expiresOn: string | null;
  /** On hand − reserved at those locations, in the item's base unit. */
  available: number;
}

export interface ReserveLine {
  itemCode?: string;
  shopSku?: string;
  qty: number;
  minShelfDays?: number;
}

export interface ReserveInput {
  ref: MoveRef;
  lines: ReserveLine[];
  /** YYYY-MM-DD the goods leave. */
  on: string;
  /** Default: the sellable locations for customer refs (shop_order, subscription, b2b), else all. */
  locationCodes?: string[];
}

export interface Pick {
  lineIndex: number;
  lotId: number;
  lotCode: string;
  locationCode: string;
  qty: number;
  expiresOn: string;
}

export type ReserveResult =
  | { ok: true; picks: Pick[] }
  | { ok: false; short: { lineIndex: number; wanted: number; available: number }[] };

export interface InventoryPort {
  /** Create-or-update an item by its code (idempotent). shopSku links a shop variant. */
  ensureItem(tx: Db, i: ItemInput): Promise<{ itemId: number }>;
  item(tx: Db, code: string): Promise<Item | null>;
  /** Stock enters as a new lot at a location (receipt/intake/production output/opening). */
  receive(tx: Db, r: ReceiveInput): Promise<{ lotId: number; lotCode: string }>;
  /** Takes qty out of a specific lot; ConflictError (InventoryError) if short or not released. */
  consume(tx: Db, c: ConsumeInput): Promise<void>;
  /**
   * FEFO: picks released lots not expired on `on` with >= minShelfDays left (line's, else the
   * item's), earliest expiry first, from `locationCodes` (default: sellable locations for
   * shop_order/subscription/b2b refs, all for others). Locks the items (id order) and the
   * candidate balances (SELECT … FOR UPDATE): concurrent reservations never oversell.
   * All-or-nothing; `short` names every line that cannot be met. Shop orders use ref
   * `{ kind: "shop_order", id: <shop_orders.id> }` (subscription deliveries included).
   */
  reserve(tx: Db, r: ReserveInput): Promise<ReserveResult>;
  /** Cancels every open reservation of ref. */
  releaseReservation(tx: Db, ref: MoveRef): Promise<void>;
  /** Turns ref's open reservations into sale moves. */
  fulfil(tx: Db, ref: MoveRef, actor: Actor): Promise<void>;
  /** (Added for B2B returns.) Goods of a sale back into their lot, at most what `ref` took. */
  returnToLot(
    tx: Db,
    r: { lotId: number; qty: number; ref: MoveRef; actor: Actor; note?: string },
  ): Promise<void>;
  /** Everything `ref` sold and has not had back, returned into the lots it left (a parcel back). */
  returnAll(tx: Db, ref: MoveRef, actor: Actor, note?: string): Promise<number>;
  /**
   * Lot status changes (quality decisions); recorded (inv_lot_status_events) and audited here.
   * A lot leaving "released" hands its open reservations to the next lots (FEFO from today).
   */
  setLotStatus(
    tx: Db,
    s: { lotId: number; status: LotStatus; reason: string; actor: Actor },
  ): Promise<void>;
  /** Holds every lot with stock at the location(s) named or watched by the device. */
  holdAtLocation(
    tx: Db,
    h: { locationCode?: string; deviceId?: string; reason: string; actor: Actor },
  ): Promise<number[]>;
  /** Lineage: output lot `child` was made from `qty` of lot `parent`. */
  linkLots(
    tx: Db,
    l: { parentLotId: number; childLotId: number; qty: number; ref: MoveRef },
  ): Promise<void>;
  lot(tx: Db, lotId: number): Promise<Lot | null>;
  /** Available (on hand − reserved, released, unexpired on `on`) by shop SKU, for the catalog. */
  availableBySku(skus: string[], on: string): Promise<Map<string, number>>;
  /**
   * (Added to the contract.) The reservations of refs, open or fulfilled, with lot and location:
   * what to pick for each line (picking sheets, lineage from an order line).
   */
  picksOf(tx: Db, refs: MoveRef[]): Promise<ReservationRow[]>;
  /**
   * (Added for the farm.) Released lots of the items not expired on `on` with stock free at
   * `locationCodes`, earliest expiry first (what a FEFO draw would take, in that order).
   */
  freeLots(
    tx: Db,
    q: { itemCodes: string[]; locationCodes: string[]; on: string },
  ): Promise<FreeLot[]>;
}

/** One reservation of a ref: `qty` of line `lineIndex` from a lot at a location. */
export interface ReservationRow {
  refKind: string;
  refId: string;
  lineIndex: number;
  itemCode: string;
  shopSku: string | null;
  lotId: number;
  lotCode: string;
  locationCode: string;
  expiresOn: string | null;
  qty: number;
  status: "open" | "fulfilled";
}

/** A lot with its item, as the warehouse lists (count sheet, transfer lines, scraps) show it. */
export interface LotItem {
  lotId: number;
  lotCode: string;
  itemCode: string;
  itemNameEn: string;
  itemNameBn: string;
  base: Base;
}
