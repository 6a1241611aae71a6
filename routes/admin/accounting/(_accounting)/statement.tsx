/** The statements' shared table of sections (P&L, balance sheet). */
import type { Section } from "@/services/accounting/mod.ts";
import type { Lang } from "@/services/i18n/mod.ts";
import { linkClass } from "@/components/ui.tsx";
import { num, taka, td } from "./ui.tsx";

/** A heading row, the section's accounts (each to its ledger) and the section total. */
export function SectionRows(
  props: {
    id: string;
    title: string;
    totalLabel: string;
    s: Section;
    lang: Lang;
    compare: boolean;
    ledger: { from: string; to: string };
  },
) {
  const { s, lang } = props;
  return (
    <>
      <tr class="bg-gray-50">
        <th class={`${td} text-left`} colSpan={props.compare ? 3 : 2}>{props.title}</th>
      </tr>
      {s.lines.map((l) => (
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
      <tr class="font-semibold" data-total={props.id}>
        <td class={td}>{props.totalLabel}</td>
        <td class={num}>{taka(s.totalMinor, lang)}</td>
        {props.compare && <td class={num}>{taka(s.compareTotalMinor, lang)}</td>}
      </tr>
    </>
  );
}
