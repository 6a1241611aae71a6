/** Pieces the purchasing pages share: the section's tabs, badges, tables, amounts. */
import type { ComponentChildren } from "preact";
import { formatTaka, type Lang } from "@/services/i18n/mod.ts";
import { fromBase, type PurchaseMessages, UNIT_CODES } from "@/services/purchase/mod.ts";
import { SelectField, TextField } from "@/components/IotUi.tsx";
import {
  buttonClass,
  type ButtonKind,
  FormErrorList,
  inputClass,
  ListTable,
  LotStatusBadge,
  PostForm,
  SectionTabs,
  StatusPill,
} from "@/components/ui.tsx";

const TABS = [
  ["/admin/purchase/suppliers", "suppliers"],
  ["/admin/purchase/requests", "requests"],
  ["/admin/purchase/orders", "orders"],
  ["/admin/purchase/receipts", "receipts"],
  ["/admin/purchase/bills", "bills"],
  ["/admin/purchase/reorder", "reorder"],
] as const;

export function PurchaseTabs(props: { m: PurchaseMessages; current: string }) {
  const tabs = TABS.map(([href, key]) => [href, key, props.m.nav[key]] as const);
  return <SectionTabs label={props.m.title} current={props.current} tabs={tabs} />;
}

const BADGE: Record<string, string> = {
  draft: "bg-gray-100 text-gray-800",
  sent: "bg-blue-100 text-blue-900",
  partially_received: "bg-yellow-100 text-yellow-900",
  received: "bg-green-100 text-green-900",
  closed: "bg-gray-200 text-gray-800",
  cancelled: "bg-red-100 text-red-900",
  open: "bg-blue-100 text-blue-900",
  approved: "bg-green-100 text-green-900",
  rejected: "bg-red-100 text-red-900",
  entered: "bg-yellow-100 text-yellow-900",
  matched: "bg-green-100 text-green-900",
  mismatch: "bg-red-100 text-red-900",
  qty_mismatch: "bg-red-100 text-red-900",
  price_mismatch: "bg-red-100 text-red-900",
  qty_price_mismatch: "bg-red-100 text-red-900",
};

/** A purchase document's status (request, order, bill match; a lot's: LotStatusBadge). */
export function Badge(props: { value: string; label: string }) {
  return <StatusPill status={props.value} label={props.label} colors={BADGE} />;
}

export function Table(
  props: { head: ComponentChildren[]; empty?: ComponentChildren; children: ComponentChildren },
) {
  return <ListTable heads={props.head} class="mb-6" empty={props.empty}>{props.children}
  </ListTable>;
}

export const td = "px-3 py-2 border-t border-gray-100";

export const taka = (minor: number, lang: Lang) => formatTaka(minor, lang);

/** A quantity in its unit: "2.5 kg". */
export function qty(m: PurchaseMessages, base: number, unit: string): string {
  return `${fromBase(base, unit)} ${m.units[unit] ?? unit}`;
}

export function Errors(props: { errors: Record<string, string[]>; m: PurchaseMessages }) {
  return <FormErrorList errors={props.errors} intro={props.m.common.fixErrors} />;
}

/** The totals row under a table of lines: net, VAT and total in the last three columns. */
export function TotalsRow(
  props: {
    label: string;
    span: number;
    lang: Lang;
    of: { netMinor: number; vatMinor: number; totalMinor: number };
  },
) {
  const { of, lang } = props;
  return (
    <tr class="font-semibold">
      <td class={td} colSpan={props.span}>{props.label}</td>
      <td class={td}>{taka(of.netMinor, lang)}</td>
      <td class={td}>{taka(of.vatMinor, lang)}</td>
      <td class={td}>{taka(of.totalMinor, lang)}</td>
    </tr>
  );
}

/** A text box in a table row of a line form (`lines.<i>.<field>`). */
export function CellInput(
  props: {
    name: string;
    values: Record<string, string>;
    label: string;
    width: string;
    invalid?: boolean;
    placeholder?: string;
    inputMode?: "decimal" | "numeric";
  },
) {
  return (
    <input
      name={props.name}
      value={props.values[props.name] ?? ""}
      inputMode={props.inputMode}
      placeholder={props.placeholder}
      aria-label={props.label}
      class={`${inputClass(!!props.invalid)} ${props.width}`}
    />
  );
}

/** A submit button of a form that posts `action` (approve, reject, removeLine…). */
export function ActionSubmit(
  props: { action: string; kind?: ButtonKind; children: ComponentChildren },
) {
  return (
    <button type="submit" name="action" value={props.action} class={buttonClass(props.kind)}>
      {props.children}
    </button>
  );
}

/** A received lot: its code and its quality status. */
export function LotCell(props: { m: PurchaseMessages; code: string; status: string }) {
  return (
    <td class={td}>
      <span class="font-mono">{props.code}</span>{" "}
      <LotStatusBadge
        status={props.status}
        label={props.m.lotStatus[props.status] ?? props.status}
      />
    </td>
  );
}

/** A form that posts `action` with the CSRF token. */
export function ActionForm(props: { csrf: string; action: string; children: ComponentChildren }) {
  return (
    <PostForm csrf={props.csrf} novalidate>
      <input type="hidden" name="action" value={props.action} />
      {props.children}
    </PostForm>
  );
}

/** The item, quantity and unit fields of a line form (a request, an order's line). */
export function ItemQtyUnit(props: {
  m: PurchaseMessages;
  values: Record<string, string>;
  errors: Record<string, string[]>;
  itemMaxLength?: number;
}) {
  const { m, values, errors } = props;
  const form = { values, errors };
  return (
    <>
      <TextField
        id="itemCode"
        label={m.common.itemCode}
        maxLength={props.itemMaxLength}
        {...form}
      />
      <TextField id="qty" label={m.common.qty} inputMode="decimal" {...form} />
      <SelectField
        id="unit"
        label={m.common.unit}
        options={UNIT_CODES.map((u) => [u, m.units[u] ?? u])}
        {...form}
      />
    </>
  );
}
