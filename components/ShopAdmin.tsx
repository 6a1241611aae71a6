import type { ComponentChildren } from "preact";
import { rowsOrEmpty, SectionTabs } from "@/components/ui.tsx";

/** Small building blocks of the shop's back-office screens (server-rendered, no script). */

export const adminInput = "rounded border border-gray-300 px-2 py-1 bg-white";
export const adminButton = "rounded bg-brand-600 text-white font-medium px-3 py-1";
export const adminButtonQuiet = "rounded border border-gray-300 bg-white px-3 py-1";

/**
 * A small POST form acting on one row: the CSRF token, the hidden `action` and row key, an
 * optional one-line text box (`text`), and the button.
 */
export function RowAction(props: {
  csrf: string;
  action: string;
  row: [name: string, value: string | number];
  button: string;
  text?: [name: string, label: string, placeholder: string, width: string];
  class?: string;
}) {
  return (
    <form method="post" class={props.class}>
      <input type="hidden" name="_csrf" value={props.csrf} />
      <input type="hidden" name="action" value={props.action} />
      <input type="hidden" name={props.row[0]} value={props.row[1]} />
      {props.text && <RowText spec={props.text} />}
      <button type="submit" class={adminButtonQuiet}>{props.button}</button>
    </form>
  );
}

function RowText(props: { spec: [string, string, string, string] }) {
  const [name, label, placeholder, width] = props.spec;
  return (
    <input
      name={name}
      placeholder={placeholder}
      class={`${adminInput} ${width}`}
      aria-label={label}
    />
  );
}

export function AdminNotice(props: { kind: "ok" | "error"; children: ComponentChildren }) {
  return (
    <p
      role={props.kind === "error" ? "alert" : "status"}
      class={`rounded p-3 mb-4 ${
        props.kind === "error" ? "bg-red-100 text-red-900" : "bg-green-100 text-green-900"
      }`}
    >
      {props.children}
    </p>
  );
}

/**
 * A shop admin screen's heading, its tabs, and its screen's notices: "saved", a `notice` (what
 * the last action did) and the refusal.
 */
export function ShopAdminHeader(
  props: {
    title: ComponentChildren;
    path: string;
    screen?: { saved?: boolean; notice?: string | null; error?: string | null };
  },
) {
  const s = props.screen ?? {};
  return (
    <>
      <h1 class="text-2xl font-bold mb-3">{props.title}</h1>
      <SectionTabs
        label="Shop"
        current={props.path}
        tabs={SHOP_TABS.map(([href, text]) => [href, href, text] as const)}
      />
      {s.saved && <AdminNotice kind="ok">Saved.</AdminNotice>}
      {s.notice && <AdminNotice kind="ok">{s.notice}</AdminNotice>}
      {s.error && <AdminNotice kind="error">{s.error}</AdminNotice>}
    </>
  );
}

/** "Previous · Page n of m · Next" under a paged list (nothing when it fits on one page). */
export function ShopPager(props: { page: number; pages: number; href: (page: number) => string }) {
  if (props.pages <= 1) return null;
  return (
    <nav class="flex gap-4 mt-3 text-sm">
      {props.page > 1 && <a class="underline" href={props.href(props.page - 1)}>Previous</a>}
      <span>Page {props.page} of {props.pages}</span>
      {props.page < props.pages && <a class="underline" href={props.href(props.page + 1)}>Next</a>}
    </nav>
  );
}

export const SHOP_TABS: [string, string][] = [
  ["/admin/shop", "Overview"],
  ["/admin/shop/orders", "Orders"],
  ["/admin/shop/picking", "Picking"],
  ["/admin/shop/products", "Products"],
  ["/admin/shop/categories", "Categories"],
  ["/admin/shop/vat", "VAT"],
  ["/admin/shop/discounts", "Discounts"],
  ["/admin/shop/zones", "Zones"],
  ["/admin/shop/payments", "Payments"],
  ["/admin/accounting/bank", "Bank"],
  ["/admin/shop/reconciliation", "Reconciliation"],
  ["/admin/shop/subscriptions", "Subscriptions"],
];

/** A back-office list: its column heads (["Total", "right"] aligns a money column) and rows. */
export function AdminTable(
  props: {
    heads: (string | [string, "right"])[];
    testId?: string;
    /** What an empty list says. */
    empty?: ComponentChildren;
    children: ComponentChildren;
  },
) {
  return (
    <div class="overflow-x-auto">
      <table class="w-full bg-white border text-sm text-left" data-testid={props.testId}>
        <thead class="bg-gray-100">
          <tr>
            {props.heads.map((h) =>
              typeof h === "string"
                ? <th class="p-2">{h}</th>
                : <th class="p-2 text-right">{h[0]}</th>
            )}
          </tr>
        </thead>
        <tbody>{rowsOrEmpty(props.children, props.heads.length, props.empty, "p-2")}</tbody>
      </table>
    </div>
  );
}
