/**
 * Small pieces the quality and recall pages share: status and verdict badges, quantities, lot
 * links, a text field.
 */
import { fmtNumber } from "@/components/IotFormat.ts";
import { Field, inputClass, linkClass, LotStatusBadge } from "@/components/ui.tsx";
import type { Lang } from "@/services/i18n/mod.ts";
import type { LotStatus, Parameter, QcLot } from "@/services/quality/mod.ts";
import type { State } from "@/state.ts";

/** A lot's status in quality's words, as the UI kit's one lot-status badge. */
export function StatusBadge(props: { status: LotStatus; t: State["t"] }) {
  return <LotStatusBadge status={props.status} label={props.t.quality.status[props.status]} />;
}

export function VerdictBadge(props: { verdict: "pass" | "fail" | null; t: State["t"] }) {
  if (!props.verdict) return <span class="text-gray-500">—</span>;
  const cls = props.verdict === "pass" ? "text-green-800" : "text-red-700 font-semibold";
  return (
    <span class={cls} data-verdict={props.verdict}>{props.t.quality.verdicts[props.verdict]}</span>
  );
}

/** A parameter's limits as people read them: "≥ 3.5, ≤ 10 %" or "Negative / Absent". */
export function limitsText(p: Parameter, lang: Lang, t: State["t"]): string {
  if (p.kind === "choice") return p.passValues.map((v) => t.quality.choices[v] ?? v).join(" / ");
  return [
    p.min !== null ? `≥ ${fmtNumber(lang, p.min, 2)}` : "",
    p.max !== null ? `≤ ${fmtNumber(lang, p.max, 2)}` : "",
  ].filter(Boolean).join(", ") + (p.unit ? ` ${p.unit}` : "");
}

/** A quantity in its base unit the way people say it: litres, kilograms, pieces. */
export function fmtQty(lang: Lang, qty: number, base: string): string {
  if (base === "ml") return `${fmtNumber(lang, qty / 1000, 1)} L`;
  if (base === "g") return `${fmtNumber(lang, qty / 1000, 1)} kg`;
  return `${fmtNumber(lang, qty, 0)} ${base}`;
}

export function LotLink(props: { lot: Pick<QcLot, "id" | "code"> }) {
  return (
    <a href={`/admin/quality/lots/${props.lot.id}`} class={linkClass} data-lot={props.lot.code}>
      {props.lot.code}
    </a>
  );
}

/** A labelled text box (or text area with `rows`) that keeps its value and shows its messages. */
export function TextField(props: {
  id: string;
  label: string;
  value?: string;
  error?: string | string[];
  type?: string;
  rows?: number;
  required?: boolean;
  minLength?: number;
  maxLength?: number;
}) {
  const { id, error } = props;
  const bad = error !== undefined && [error].flat().length > 0;
  const attrs = {
    id,
    name: id,
    required: props.required,
    minLength: props.minLength,
    maxLength: props.maxLength,
    class: inputClass(bad),
    "aria-describedby": bad ? `${id}-error` : undefined,
  };
  return (
    <Field id={id} label={props.label} error={error}>
      {props.rows
        ? <textarea {...attrs} rows={props.rows}>{props.value ?? ""}</textarea>
        : <input {...attrs} type={props.type ?? "text"} value={props.value ?? ""} />}
    </Field>
  );
}
