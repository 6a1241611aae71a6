/** Small server-rendered pieces of the warehouse pages (title, tabs, notices, badges, tables, fields). */
import type { ComponentChildren } from "preact";
import type { Lang } from "@/services/i18n/mod.ts";
import {
  type Base,
  type EntryUnit,
  formatQty,
  SCRAP_REASONS,
  type StockScreenMessages,
  UNIT_LABELS,
  UNITS_OF,
} from "@/services/inventory/mod.ts";
import { Pager } from "./AdminFilters.tsx";
import { Notice } from "./IotUi.tsx";
import { Button, Field, inputClass, selectClass, StatusPill } from "./ui.tsx";

export { Notice };

type M = StockScreenMessages;

const TABS = [
  ["/admin/inventory/stock", "stock"],
  ["/admin/inventory/locations", "locations"],
  ["/admin/inventory/transfers", "transfers"],
  ["/admin/inventory/counts", "counts"],
  ["/admin/inventory/scrap", "scrap"],
  ["/admin/inventory/expiry", "expiry"],
  ["/admin/inventory/units", "units"],
] as const;

/** The page's heading with the warehouse tabs above it and actions beside it. */
export function StockTitle(
  props: { m: M; path: string; title: string; intro?: string; children?: ComponentChildren },
) {
  return (
    <header class="mb-4 print:hidden">
      <nav class="flex flex-wrap gap-1 text-sm mb-3" aria-label={props.m.nav.stock}>
        {TABS.map(([href, key]) => {
          const on = props.path.startsWith(href);
          return (
            <a
              href={href}
              aria-current={on ? "page" : undefined}
              class={`rounded px-3 py-1 border ${
                on ? "bg-brand-600 text-white border-brand-600" : "bg-white border-gray-300"
              }`}
            >
              {props.m.nav[key]}
            </a>
          );
        })}
      </nav>
      <div class="flex flex-wrap items-center justify-between gap-2">
        <h1 class="text-2xl font-bold">{props.title}</h1>
        {props.children && <div class="flex gap-2">{props.children}</div>}
      </div>
      {props.intro && <p class="text-gray-700 mt-1 max-w-3xl">{props.intro}</p>}
    </header>
  );
}

/** The notice over a form that came back refused: its form-wide message, else "fix the fields". */
export function FormErrors(props: { m: M; errors: Record<string, string[]> }) {
  const keys = Object.keys(props.errors);
  if (!keys.length) return null;
  const general = props.errors.form ?? [];
  return (
    <Notice kind="error">
      <span data-error>{general.length ? general.join(" ") : props.m.common.fixErrors}</span>
    </Notice>
  );
}

/** Colours of the warehouse documents' statuses (transfers, counts) and temperature classes. */
const STATUS_CLASS: Record<string, string> = {
  draft: "bg-gray-200 text-gray-900",
  dispatched: "bg-amber-100 text-amber-900",
  received: "bg-green-100 text-green-900",
  cancelled: "bg-gray-200 text-gray-700",
  open: "bg-blue-50 text-blue-900",
  submitted: "bg-amber-100 text-amber-900",
  approved: "bg-green-100 text-green-900",
};

/** A transfer's or count's status (a lot's status: LotStatusBadge of the UI kit). */
export function Badge(props: { status: string; text: string }) {
  return <StatusPill status={props.status} label={props.text} colors={STATUS_CLASS} />;
}

/** A quantity in base units shown in friendly units (L, kg, crates). */
export function Qty(props: { qty: number; base: string; lang: Lang }) {
  return (
    <span class="whitespace-nowrap" data-qty={props.qty}>
      {formatQty(props.qty, props.base as Base, props.lang)}
    </span>
  );
}

/** A table in a white card; `head` are the column headings (numbers right-aligned with "#"). */
export function Table(props: { head: string[]; children: ComponentChildren; testid?: string }) {
  return (
    <div class="overflow-x-auto bg-white border border-gray-200 rounded-lg mb-4">
      <table class="w-full text-sm" data-testid={props.testid}>
        <thead class="bg-gray-100 text-left">
          <tr>
            {props.head.map((h) =>
              h.startsWith("#")
                ? <th class="px-3 py-2 text-right">{h.slice(1)}</th>
                : <th class="px-3 py-2">{h}</th>
            )}
          </tr>
        </thead>
        <tbody>{props.children}</tbody>
      </table>
    </div>
  );
}

export const td = "px-3 py-2 border-t border-gray-100";
export const tdNum = `${td} text-right`;

/** A table cell with a quantity (right-aligned). */
export function QtyCell(props: { qty: number; base: string; lang: Lang }) {
  return (
    <td class={tdNum}>
      <Qty qty={props.qty} base={props.base} lang={props.lang} />
    </td>
  );
}

/** A table cell with a code (location, item). */
export function CodeCell(props: { code: string }) {
  return (
    <td class={td}>
      <code>{props.code}</code>
    </td>
  );
}

/** The facts of a record (lot, transfer) as a grid of label and value. */
export function Facts(props: { facts: readonly (readonly [string, ComponentChildren])[] }) {
  return (
    <dl class="grid grid-cols-2 md:grid-cols-4 gap-3 bg-white border border-gray-200 rounded-lg p-4 mb-4 text-sm">
      {props.facts.map(([label, value]) => (
        <div>
          <dt class="text-gray-600">{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

export function Csrf(props: { token: string }) {
  return <input type="hidden" name="_csrf" value={props.token} />;
}

/** Every entry unit (or those of `base`), for a quantity typed in the unit people handle. */
export function UnitSelect(
  props: { name: string; value?: string; base?: Base; lang: Lang; id?: string; label?: string },
) {
  const units: EntryUnit[] = props.base
    ? [...UNITS_OF[props.base]]
    : ["l", "ml", "kg", "g", "pc", "crate"];
  return (
    <select id={props.id} name={props.name} class={selectClass} aria-label={props.label}>
      {units.map((u) => (
        <option value={u} selected={props.value === u}>{UNIT_LABELS[props.lang][u]}</option>
      ))}
    </select>
  );
}

/** What a form's fields show: the posted values and the messages per field (a page's data). */
export interface FormState {
  values: Record<string, string>;
  errors: Record<string, string[]>;
}

/** The page's form: the values posted back when it came back refused, else `initial`. */
export function formOf(data: FormState, initial: Record<string, string>): FormState {
  return {
    values: Object.keys(data.values).length ? data.values : initial,
    errors: data.errors,
  };
}

/** The text box of the field `name`, with its value and its messages' link. */
function Box(props: {
  name: string;
  form: FormState;
  decimal?: boolean;
  required?: boolean;
  maxLength?: number;
}) {
  const err = props.form.errors[props.name];
  return (
    <input
      id={props.name}
      name={props.name}
      inputmode={props.decimal ? "decimal" : undefined}
      value={props.form.values[props.name] ?? ""}
      class={inputClass(!!err)}
      required={props.required}
      maxLength={props.maxLength}
      aria-describedby={err ? `${props.name}-error` : undefined}
    />
  );
}

/** A labelled quantity with its unit, with the messages of the field `name`. */
export function QtyField(props: {
  m: M;
  lang: Lang;
  name: string;
  unitName: string;
  form: FormState;
  base?: Base;
  label?: string;
  /** Default true. */
  required?: boolean;
}) {
  return (
    <Field
      id={props.name}
      label={props.label ?? props.m.common.quantity}
      error={props.form.errors[props.name]}
    >
      <div class="flex gap-2">
        <Box name={props.name} form={props.form} decimal required={props.required ?? true} />
        <UnitSelect
          name={props.unitName}
          value={props.form.values[props.unitName]}
          base={props.base}
          lang={props.lang}
          label={props.m.common.unit}
        />
      </div>
    </Field>
  );
}

/** A labelled text input with its messages. */
export function TextInput(props: {
  name: string;
  label: string;
  form: FormState;
  hint?: string;
  required?: boolean;
  maxLength?: number;
}) {
  return (
    <Field
      id={props.name}
      label={props.label}
      error={props.form.errors[props.name]}
      hint={props.hint}
    >
      <Box
        name={props.name}
        form={props.form}
        required={props.required}
        maxLength={props.maxLength}
      />
    </Field>
  );
}

/** A labelled select of [value, text] pairs (a blank first, for none chosen) with its messages. */
export function SelectInput(props: {
  name: string;
  label: string;
  options: readonly (readonly [string, string])[];
  form: FormState;
}) {
  return (
    <Field id={props.name} label={props.label} error={props.form.errors[props.name]}>
      <select id={props.name} name={props.name} class={`${selectClass} w-full`}>
        <option value=""></option>
        {props.options.map(([v, text]) => (
          <option value={v} selected={props.form.values[props.name] === v}>{text}</option>
        ))}
      </select>
    </Field>
  );
}

/** "12 Dec 2026, 14:05" in Dhaka time (Bangla digits for bn). */
export function when(at: Date | null, lang: Lang): string {
  if (!at) return "—";
  return new Intl.DateTimeFormat(lang === "bn" ? "bn-BD" : "en-GB", {
    timeZone: "Asia/Dhaka",
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  }).format(at);
}

/** Location code → its name in the page's language. */
export function placeName(
  l: { code: string; nameEn: string; nameBn: string },
  lang: Lang,
): string {
  return `${lang === "bn" ? l.nameBn : l.nameEn} (${l.code})`;
}

/** Rows a page of the warehouse lists. */
export const PAGE_SIZE = 50;

/** Previous / next under a paged list of `total` rows, PAGE_SIZE a page. */
export function ListPager(props: { m: M; url: URL; page: number; total: number }) {
  return (
    <Pager
      url={props.url}
      page={props.page}
      hasNext={props.page * PAGE_SIZE < props.total}
      labels={{ prev: props.m.common.prev, next: props.m.common.next }}
    />
  );
}

/**
 * The fields of a transfer line named `prefix` (`<prefix>.lot`, `.qty`, `.unit`): the lot's code
 * and the quantity; `optional` for the spare lines of a new transfer.
 */
export function TransferLineFields(props: {
  m: M;
  lang: Lang;
  prefix: string;
  label: string;
  form: FormState;
  optional?: boolean;
  class?: string;
}) {
  const { m, prefix, form } = props;
  return (
    <div class={`grid md:grid-cols-2 gap-x-4 ${props.class ?? ""}`.trim()}>
      <TextInput
        name={`${prefix}.lot`}
        label={props.label}
        form={form}
        required={!props.optional}
        maxLength={80}
      />
      <QtyField
        m={m}
        lang={props.lang}
        name={`${prefix}.qty`}
        unitName={`${prefix}.unit`}
        form={form}
        required={!props.optional}
      />
    </div>
  );
}

/** The fields of a scrap (where, how much, why, a note) and its button. */
export function ScrapFields(props: {
  m: M;
  lang: Lang;
  locations: readonly (readonly [string, string])[];
  form: FormState;
  base?: Base;
}) {
  const { m, form } = props;
  return (
    <>
      <SelectInput
        name="location"
        label={m.common.location}
        options={props.locations}
        form={form}
      />
      <QtyField m={m} lang={props.lang} name="qty" unitName="unit" base={props.base} form={form} />
      <SelectInput
        name="reason"
        label={m.scrap.reason}
        options={SCRAP_REASONS.map((r) => [r, m.scrap.reasons[r]])}
        form={form}
      />
      <TextInput name="note" label={m.common.note} form={form} maxLength={500} />
      <Button kind="danger">{m.scrap.submit}</Button>
    </>
  );
}

/** A lot's code linking to its page. */
export function LotLink(props: { id: number; code: string }) {
  return (
    <a href={`/admin/inventory/lots/${props.id}`} class="text-brand-700 underline">
      <code>{props.code}</code>
    </a>
  );
}

/**
 * A posted form of the warehouse pages: the CSRF token, the action (`op`), the form's refusal
 * notice when `errors` are given, in a card unless `plain`.
 */
export function OpForm(props: {
  csrf: string;
  op?: string;
  m?: M;
  errors?: Record<string, string[]>;
  plain?: boolean;
  class?: string;
  children: ComponentChildren;
}) {
  const card = "bg-white border border-gray-200 rounded-lg p-4 mb-4";
  return (
    <form
      method="post"
      class={`${props.plain ? "" : card} ${props.class ?? ""}`.trim() || undefined}
    >
      <input type="hidden" name="_csrf" value={props.csrf} />
      {props.op && <input type="hidden" name="op" value={props.op} />}
      {props.m && props.errors && <FormErrors m={props.m} errors={props.errors} />}
      {props.children}
    </form>
  );
}
