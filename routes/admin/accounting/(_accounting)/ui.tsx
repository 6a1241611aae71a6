/** Pieces the accounting pages share: the section's tabs, errors, amounts. */
import type { ComponentChildren } from "preact";
import { fillParams, formatTaka, type Lang } from "@/services/i18n/mod.ts";
import { type AccountingMessages, dhakaDate } from "@/services/accounting/mod.ts";
import {
  buttonClass,
  FormErrorList,
  inputClass,
  linkClass,
  ListTable,
  PostForm,
  SectionTabs,
} from "@/components/ui.tsx";

const TABS = [
  ["/admin/accounting/entries", "entries"],
  ["/admin/accounting/entries/new", "newEntry"],
  ["/admin/accounting/accounts", "accounts"],
  ["/admin/accounting/periods", "periods"],
  ["/admin/accounting/year-end", "yearEnd"],
  ["/admin/accounting/opening", "opening"],
  ["/admin/accounting/reports/trial-balance", "trialBalance"],
  ["/admin/accounting/reports/ledger", "ledger"],
  ["/admin/accounting/bank", "bank"],
  ["/admin/accounting/valuation", "valuation"],
  ["/admin/accounting/invoices", "invoices"],
  ["/admin/accounting/receivables", "receivables"],
  ["/admin/accounting/payables", "payables"],
  ["/admin/accounting/vat/return", "vat"],
  ["/admin/accounting/reports/profit-loss", "statements"],
  ["/admin/accounting/reports/dashboard", "financeDashboard"],
] as const;

export function AccountingTabs(props: { m: AccountingMessages; current: string }) {
  const tabs = TABS.map(([href, key]) => [href, key, props.m.nav[key]] as const);
  return <SectionTabs label={props.m.title} current={props.current} tabs={tabs} />;
}

/** A link to a journal entry, reading "#<id>" unless given other words. */
export function EntryLink(props: { id: number | string; children?: ComponentChildren }) {
  return (
    <a class={linkClass} href={`/admin/accounting/entries/${props.id}`}>
      {props.children ?? `#${props.id}`}
    </a>
  );
}

export function Table(props: { head: ComponentChildren[]; children: ComponentChildren }) {
  return <ListTable heads={props.head} class="mb-6">{props.children}</ListTable>;
}

export const td = "px-3 py-2 border-t border-gray-100";
export const num = "px-3 py-2 border-t border-gray-100 text-right tabular-nums whitespace-nowrap";

export const taka = (minor: number, lang: Lang) => formatTaka(minor, lang);
/** An amount or an empty cell for zero. */
export const amount = (minor: number, lang: Lang) => (minor ? formatTaka(minor, lang) : "");

export function Errors(props: { errors: Record<string, string[]>; m: AccountingMessages }) {
  return <FormErrorList errors={props.errors} intro={props.m.common.fixErrors} />;
}

export function Done(props: { text: string | null }) {
  if (!props.text) return null;
  return (
    <p role="status" class="rounded border p-3 mb-4 bg-green-50 text-green-900 border-green-300">
      {props.text}
    </p>
  );
}

/** When a period or year was last closed or reopened, and by whom (empty before that). */
export function ChangedCell(props: { at: Date | null; by: string | null }) {
  return (
    <td class={`${td} text-xs`}>
      {props.at ? `${dhakaDate(props.at)} · ${props.by ?? ""}` : ""}
    </td>
  );
}

/**
 * Close an open period (or year), or reopen a closed one with a reason: one small form per row,
 * `id` naming what it acts on (a hidden field).
 */
export function CloseReopenForm(props: {
  csrf: string;
  id: [name: string, value: string];
  open: boolean;
  t: { close: string; reopen: string; reason: string };
}) {
  const { t } = props;
  return (
    <PostForm csrf={props.csrf} class="flex flex-wrap gap-2 items-center">
      <input type="hidden" name={props.id[0]} value={props.id[1]} />
      {props.open
        ? (
          <button type="submit" name="action" value="close" class={buttonClass("small")}>
            {t.close}
          </button>
        )
        : (
          <>
            <input
              name="reason"
              aria-label={t.reason}
              placeholder={t.reason}
              maxLength={300}
              class={`${inputClass()} w-48`}
            />
            <button type="submit" name="action" value="reopen" class={buttonClass("small")}>
              {t.reopen}
            </button>
          </>
        )}
    </PostForm>
  );
}

/**
 * The notice after a close or reopen redirect (`?done=closed|reopened&<key>=YYYY-MM`), or null;
 * `key` names what was closed (a month, a fiscal year) in the message.
 */
export function closeReopenDone(
  q: URLSearchParams,
  m: { closedDone: string; reopenedDone: string },
  key: "month" | "year",
): { value: string; notice: string | null } {
  const value = /^\d{4}-\d{2}$/.test(q.get(key) ?? "") ? q.get(key)! : "";
  const done = q.get("done");
  const text = done === "closed" ? m.closedDone : done === "reopened" ? m.reopenedDone : null;
  return { value, notice: text === null ? null : fillParams(text, { [key]: value }) };
}
