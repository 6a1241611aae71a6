/**
 * Helpers of the manager's reference-data screens (not a route): service errors as field
 * messages in the reader's language, and taka typed in a form as integer poisha.
 */
import {
  type FarmMessages,
  FarmRuleError,
  type FarmStockItem,
  fill,
  type StockOnHand,
  ValidationError,
} from "@/services/farm/mod.ts";
import type { Context, Handlers } from "@/framework/mod.ts";
import type { Messages } from "@/services/i18n/mod.ts";
import type { State } from "@/state.ts";
import {
  type FarmCtx,
  farmGuard,
  formErrors,
  formValues,
  type Permission,
  title,
} from "@/routes/farm/(_farm)/farm.ts";

/** Field names of the services mapped to the form's input names where they differ. */
const FIELD_ALIAS: Record<string, string> = { costPerKgMinor: "costPerKg" };

/**
 * A fixable error as field messages: Zod issues get the field's message in the user's language
 * (items.0.kgPerHead → items), manage rules their own text; anything else as formErrors does.
 */
export function manageErrors(t: Messages, e: unknown): Record<string, string> {
  const m = t.farm;
  if (e instanceof ValidationError) {
    const out: Record<string, string> = {};
    for (const [key, msg] of Object.entries(e.fieldErrors)) {
      const field = FIELD_ALIAS[key.split(".")[0]] ?? key.split(".")[0];
      out[field] ??= m.manage.fieldErrors[field] ?? msg;
    }
    return out;
  }
  if (e instanceof FarmRuleError && typeof e.params.reason === "string") {
    const template = m.manage.rules[e.params.reason];
    if (template) return { [e.field ?? "form"]: fill(template, e.params) };
  }
  return formErrors(t, e);
}

/**
 * "12.5" taka → 1250 poisha. Anything else (more than 2 decimals, negative, text) is passed on
 * as NaN so that the service's schema reports the field.
 */
export function takaToPoisha(v: string | undefined): number {
  const s = (v ?? "").trim();
  if (!/^\d{1,7}(\.\d{1,2})?$/.test(s)) return NaN;
  const [whole, frac = ""] = s.split(".");
  return Number(whole) * 100 + Number(frac.padEnd(2, "0"));
}

/** Poisha as the taka value of an input field ("12.50"). */
export function poishaToInput(minor: number): string {
  return `${Math.trunc(minor / 100)}.${String(minor % 100).padStart(2, "0")}`;
}

/** The redirect after a save (303 so the browser GETs the list again). */
export function seeOther(location: string): Response {
  return new Response(null, { status: 303, headers: { location } });
}

/** The row id of `?edit=` (null when absent or not a number). */
export function editParam(ctx: Context<State>): number | null {
  return Number(ctx.url.searchParams.get("edit")) || null;
}

/** A new row is in use; an edited one only while its "active" box stays ticked. */
export function activeValue(id: number | null, values: Record<string, string>): string {
  return id ? values.active ?? "" : "on";
}

/** Sets the page title and gives the parts every manage page's data has. */
export async function pageBase(
  ctx: Context<State>,
  text: string,
): Promise<{ csrf: string; saved: boolean }> {
  title(ctx, text);
  return { csrf: await ctx.csrfToken(), saved: ctx.url.searchParams.has("saved") };
}

/** What a list + add/edit screen shows. */
export interface ManageData<R, X> {
  csrf: string;
  saved: boolean;
  rows: R[];
  /** What else the form needs (the groups, feeds… to choose from). */
  extra: X;
  editId: number | null;
  values: Record<string, string>;
  /** Multi-valued fields (ticked boxes) by name. */
  lists: Record<string, string[]>;
  errors: Record<string, string>;
}

/** A form's contents: its single values and its multi-valued fields. */
export interface ManageForm {
  values: Record<string, string>;
  lists?: Record<string, string[]>;
}

/**
 * The handlers of a list + add/edit screen (groups, feeds, rations, medicines, vaccination
 * schedules): GET shows the rows and the form (the `?edit=` row in it, or `blank`); POST saves
 * and goes back to `path?saved=1`, or shows the page again with the errors (422) and the posted
 * form.
 */
export function manageScreen<R extends { id: number }, X = null>(o: {
  permission: Permission;
  path: string;
  title: (m: FarmMessages) => string;
  load: (f: FarmCtx, editId: number | null) => Promise<{ rows: R[]; extra: X }>;
  toForm: (row: R) => ManageForm;
  blank: (f: FarmCtx) => ManageForm;
  /** Names of the multi-valued fields (check boxes) the form posts. */
  lists?: string[];
  save: (f: FarmCtx, id: number | null, form: Required<ManageForm>) => Promise<unknown>;
}): Handlers<ManageData<R, X>, State> {
  const page = async (
    ctx: Context<State>,
    f: FarmCtx,
    editId: number | null,
    posted: ManageForm | null,
    errors: Record<string, string>,
  ): Promise<ManageData<R, X>> => {
    const base = await pageBase(ctx, o.title(f.m));
    const { rows, extra } = await o.load(f, editId);
    const editing = editId ? rows.find((r) => r.id === editId) : undefined;
    const form = posted ?? (editing ? o.toForm(editing) : o.blank(f));
    return {
      ...base,
      rows,
      extra,
      editId: editing?.id ?? null,
      values: form.values,
      lists: form.lists ?? {},
      errors,
    };
  };
  return editHandlers<ManageData<R, X>, Required<ManageForm>>({
    permission: o.permission,
    path: o.path,
    read: (ctx, values) => ({
      values,
      lists: Object.fromEntries(
        (o.lists ?? []).map((name) => [
          name,
          (ctx.form?.getAll(name) ?? []).filter((x): x is string => typeof x === "string"),
        ]),
      ),
    }),
    save: o.save,
    page,
  });
}

/**
 * The handlers of a list + add/edit screen: GET shows the list (with the `?edit=` row in the
 * form), POST saves what `read` takes from the form and goes back to `path?saved=1`, or shows the
 * page again with the errors (422) and the posted form.
 */
export function editHandlers<D, P>(o: {
  permission: Permission;
  path: string;
  read: (ctx: Context<State>, values: Record<string, string>) => P;
  save: (f: FarmCtx, id: number | null, posted: P) => Promise<unknown>;
  page: (
    ctx: Context<State>,
    f: FarmCtx,
    editId: number | null,
    posted: P | null,
    errors: Record<string, string>,
  ) => Promise<D>;
}): Handlers<D, State> {
  return {
    async GET(ctx) {
      const f = farmGuard(ctx, o.permission);
      return { data: await o.page(ctx, f, editParam(ctx), null, {}) };
    },
    async POST(ctx) {
      const f = farmGuard(ctx, o.permission);
      const values = formValues(ctx);
      const id = Number(values.id) || null;
      const posted = o.read(ctx, values);
      try {
        await o.save(f, id, posted);
        return seeOther(`${o.path}?saved=1`);
      } catch (e) {
        return {
          status: 422,
          data: await o.page(ctx, f, id, posted, manageErrors(ctx.state.t, e)),
        };
      }
    },
  };
}

/** The stock a screen of stock-linked things (feeds, medicines) shows: the items to link, the units on hand. */
export interface StockLinks {
  stockItems: FarmStockItem[];
  stock: Map<number, StockOnHand>;
}

/** A stock-linked screen's rows with the stock items of `kind` and what each row has on hand. */
export async function loadStockLinked<R>(
  f: FarmCtx,
  kind: "feed" | "medicine",
  rows: Promise<R[]>,
  stock: Promise<Map<number, StockOnHand>>,
): Promise<{ rows: R[]; extra: StockLinks }> {
  const [r, items, onHand] = await Promise.all([rows, f.farm.stockItems(), stock]);
  return { rows: r, extra: { stockItems: items.filter((i) => i.kind === kind), stock: onHand } };
}
