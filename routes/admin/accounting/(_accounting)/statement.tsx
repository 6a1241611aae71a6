/** The statements' shared table rows (P&L, balance sheet, cash flow). */
import type { Section } from "@/services/accounting/mod.ts";
import type { Lang } from "@/services/i18n/mod.ts";
import { linkClass } from "@/components/ui.tsx";
import { num, taka, td } from "./ui.tsx";

/** A statement line: its account and the amounts. */
interface AccountLine {
  account: { code: string; nameEn: string; nameBn: string };
  amountMinor: number;
  compareMinor: number;
}

/** A heading row across the table. */
export function HeadingRow(props: { title: string; compare: boolean }) {
  return (
    <tr class="bg-gray-50">
      <th class={`${td} text-left`} colSpan={props.compare ? 3 : 2}>{props.title}</th>
    </tr>
  );
}

/** Each account's row: its code (to its ledger) and name, the amount and the compared amount. */
export function AccountRows(
  props: {
    lines: AccountLine[];
    lang: Lang;
    compare: boolean;
    ledger: { from: string; to: string };
  },
) {
  const { lang } = props;
  return (
    <>
      {props.lines.map((l) => (
        <tr data-account={l.account.code}>
          <td class={td}>
            <a
              class={linkClass}
              href={`/admin/accounting/reports/ledger?account=${
                encodeURIComponent(l.account.code)
              }&from=${props.ledger.from}&to=${props.ledger.to}`}
            >
              {l.account.code}
            </a>{" "}
            {lang === "bn" ? l.account.nameBn : l.account.nameEn}
          </td>
          <td class={num}>{taka(l.amountMinor, lang)}</td>
          {props.compare && <td class={num}>{taka(l.compareMinor, lang)}</td>}
        </tr>
      ))}
    </>
  );
}

/**
 * `row(label, amount, compareAmount, attrs, look)`: a labelled amount row of a statement (a total,
 * the net profit, the closing balance) with the compared amount when comparing; `attrs` are the
 * data-* marks the tests and exports find it by, `look` its classes ("" for none).
 */
export function amountRows(lang: Lang, compare: boolean) {
  return (
    label: string,
    amount: number,
    compareAmount: number,
    attrs: Record<string, string>,
    look = "font-semibold",
  ) => (
    <tr class={look || undefined} {...attrs}>
      <td class={td}>{label}</td>
      <td class={num}>{taka(amount, lang)}</td>
      {compare && <td class={num}>{taka(compareAmount, lang)}</td>}
    </tr>
  );
}

/** Each section: a heading row, the section's accounts (each to its ledger) and its total. */
export function SectionRows(
  props: {
    /** id (the total's data-total mark), title and the section. */
    sections: [id: string, title: string, s: Section][];
    totalWord: string;
    lang: Lang;
    compare: boolean;
    ledger: { from: string; to: string };
  },
) {
  const { lang, compare } = props;
  const row = amountRows(lang, compare);
  return (
    <>
      {props.sections.map(([id, title, s]) => (
        <>
          <HeadingRow title={title} compare={compare} />
          <AccountRows lines={s.lines} lang={lang} compare={compare} ledger={props.ledger} />
          {row(`${title}: ${props.totalWord}`, s.totalMinor, s.compareTotalMinor, {
            "data-total": id,
          })}
        </>
      ))}
    </>
  );
}
