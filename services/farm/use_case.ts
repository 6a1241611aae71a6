/**
 * The one preamble of the farm's writing use cases: the actor may do it (when a permission is
 * named), the input parses, and the work runs in one transaction (the caller's, or its own).
 */
import type { Permission } from "@/services/identity/roles.ts";
import { parseInput } from "@/services/platform/errors.ts";
import type { z } from "@/services/platform/schema.ts";
import { type Db, inTx, type Tx } from "@/services/platform/tx.ts";
import { type Actor, assertFarmCan } from "./actor.ts";
import type { FarmIot } from "./iot_port.ts";
import type { StockOpts } from "./stock.ts";

/**
 * Who records: an `Actor` (its permission checked here when `may` is named), or a user id where
 * the route checked the permission.
 */
type Who = Actor | string | null;

interface Rule<S extends z.ZodType, W extends Who> {
  schema: S;
  /** The permission the actor needs (only with an Actor). */
  may?: W extends Actor ? Permission : never;
}

/** A use case called as `(db, input, who, opts?)`. */
export function farmUseCase<S extends z.ZodType, R, W extends Who = Actor, O = undefined>(
  rule: Rule<S, W>,
  work: (tx: Tx, input: z.output<S>, who: W, opts: O) => Promise<R>,
): (db: Db, input: z.input<S>, who: W, opts?: O) => Promise<R> {
  return async (db, input, who, opts) => {
    if (rule.may) assertFarmCan(who as Actor, rule.may);
    const parsed = parseInput(rule.schema, input);
    return await inTx(db, (tx) => work(tx, parsed, who, opts as O));
  };
}

/** A use case on the row `id` (null: a new one), called as `(db, id, input, who)`. */
export function farmEditUseCase<S extends z.ZodType, R, I, W extends Who = Actor>(
  rule: Rule<S, W>,
  work: (tx: Tx, id: I, input: z.output<S>, who: W) => Promise<R>,
): (db: Db, id: I, input: z.input<S>, who: W) => Promise<R> {
  const run = farmUseCase(rule, (tx, input, who: W, id: I) => work(tx, id, input, who));
  return (db, id, input, who) => run(db, input, who, id);
}

/**
 * What a recording may be given: the offline entry's client id (see sync.ts), IoT's port,
 * inventory's port for feed and medicine drawn from stock (stock.ts).
 */
export interface EntryOpts extends StockOpts {
  clientId?: string | null;
  iot?: FarmIot;
  /** The door's clock reading: what "in the future" and "too old" are judged against. */
  now?: Date;
}
