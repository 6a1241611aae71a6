/**
 * Small server-rendered pieces of the farm app: cards, figures, tables, badges and SVG trend
 * charts (no script: charts are plain SVG that phones draw themselves).
 */
import type { ComponentChildren } from "preact";
import type { Lang } from "@/services/i18n/mod.ts";
import { type FarmAlert, type FarmMessages, fill } from "@/services/farm/mod.ts";
import { Field, inputClass, rowsOrEmpty } from "./ui.tsx";

export function fmtNum(n: number | null | undefined, lang: Lang, digits = 0): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return "—";
  return new Intl.NumberFormat(lang === "bn" ? "bn-BD" : "en-IN", {
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
  }).format(n);
}

export function fmtPct(x: number | null | undefined, lang: Lang, digits = 0): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "—";
  return `${fmtNum(x * 100, lang, digits)} %`;
}

/** "22 Nov 2026" / "২২ নভে, ২০২৬" for an ISO day. */
export function fmtDay(day: string | null | undefined, lang: Lang, withYear = true): string {
  if (!day) return "—";
  return new Intl.DateTimeFormat(lang === "bn" ? "bn-BD" : "en-GB", {
    day: "numeric",
    month: "short",
    year: withYear ? "numeric" : undefined,
    timeZone: "UTC",
  }).format(new Date(day.slice(0, 10) + "T00:00:00Z"));
}

/** An instant in farm time (Asia/Dhaka). */
export function fmtTime(at: Date | string | null | undefined, lang: Lang): string {
  if (!at) return "—";
  return new Intl.DateTimeFormat(lang === "bn" ? "bn-BD" : "en-GB", {
    day: "numeric",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
    timeZone: "Asia/Dhaka",
  }).format(new Date(at));
}

export function FarmCard(props: { title?: string; children: ComponentChildren; class?: string }) {
  return (
    <section class={`bg-white rounded-lg border border-gray-200 p-3 mb-4 ${props.class ?? ""}`}>
      {props.title && <h2 class="font-semibold text-gray-800 mb-2">{props.title}</h2>}
      {props.children}
    </section>
  );
}

export function FarmStat(
  props: { label: string; value: string; note?: string; tone?: "good" | "warn" | "bad" },
) {
  const tone = props.tone === "bad"
    ? "text-red-700"
    : props.tone === "warn"
    ? "text-amber-700"
    : props.tone === "good"
    ? "text-green-700"
    : "text-gray-900";
  return (
    <div class="bg-white rounded-lg border border-gray-200 p-3">
      <div class="text-xs text-gray-600">{props.label}</div>
      <div class={`text-xl font-bold ${tone}`}>{props.value}</div>
      {props.note && <div class="text-xs text-gray-500">{props.note}</div>}
    </div>
  );
}

export function FarmBadge(
  props: { children: ComponentChildren; tone?: "gray" | "green" | "amber" | "red" | "blue" },
) {
  const tone = {
    gray: "bg-gray-100 text-gray-800",
    green: "bg-green-100 text-green-900",
    amber: "bg-amber-100 text-amber-900",
    red: "bg-red-100 text-red-900",
    blue: "bg-brand-100 text-brand-900",
  }[props.tone ?? "gray"];
  return (
    <span class={`inline-block rounded px-1.5 py-0.5 text-xs font-medium ${tone}`}>
      {props.children}
    </span>
  );
}

export const STATUS_TONE: Record<string, "gray" | "green" | "amber" | "red" | "blue"> = {
  calf: "blue",
  heifer: "gray",
  lactating: "green",
  dry: "amber",
  sold: "gray",
  dead: "red",
};

/** A table that scrolls sideways on its own when it is wider than the phone. */
export function FarmTable(
  props: {
    head: string[];
    children: ComponentChildren;
    numeric?: number[];
    /** What an empty list says, and where to start. */
    empty?: ComponentChildren;
  },
) {
  return (
    <div class="overflow-x-auto -mx-3 px-3">
      <table class="w-full text-sm">
        <thead>
          <tr class="text-left text-gray-600 border-b">
            {props.head.map((h, i) => (
              <th
                class={`py-1 pr-2 font-medium whitespace-nowrap ${
                  props.numeric?.includes(i) ? "text-right" : ""
                }`}
              >
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{rowsOrEmpty(props.children, props.head.length, props.empty, "py-2 pr-2")}</tbody>
      </table>
    </div>
  );
}

export const td = "py-1 pr-2 border-b border-gray-100 align-top";
export const tdNum = `${td} text-right tabular-nums whitespace-nowrap`;

/** A chart's figure: the W×H drawing stretched to the card's width, and its caption. */
function ChartFrame(
  props: {
    w: number;
    h: number;
    title: string;
    caption?: ComponentChildren;
    children: ComponentChildren;
  },
) {
  return (
    <figure class="m-0">
      {/* Stretched to the card's width (not letterboxed); strokes keep their width. */}
      <svg
        viewBox={`0 0 ${props.w} ${props.h}`}
        preserveAspectRatio="none"
        class="w-full h-24"
        role="img"
        aria-label={props.title}
      >
        {props.children}
      </svg>
      {props.caption}
    </figure>
  );
}

/** A line chart of a series (nulls leave gaps), with min/max labels. Pure SVG. */
export function FarmLineChart(
  props: {
    values: (number | null)[];
    labels?: [string, string];
    lang: Lang;
    digits?: number;
    goal?: number;
    title: string;
  },
) {
  const W = 320, H = 90, P = 4;
  const vals = props.values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (!vals.length) return <p class="text-sm text-gray-500">—</p>;
  let min = Math.min(...vals, props.goal ?? Infinity),
    max = Math.max(...vals, props.goal ?? -Infinity);
  if (max === min) {
    max += 1;
    min -= 1;
  }
  const n = props.values.length;
  const x = (i: number) => P + (n === 1 ? (W - 2 * P) / 2 : (i * (W - 2 * P)) / (n - 1));
  const y = (v: number) => H - P - ((v - min) * (H - 2 * P)) / (max - min);
  let d = "";
  let pen = false;
  props.values.forEach((v, i) => {
    if (v === null || !Number.isFinite(v)) {
      pen = false;
      return;
    }
    d += `${pen ? "L" : "M"}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
    pen = true;
  });
  const caption = (
    <figcaption class="flex justify-between text-xs text-gray-500">
      <span>{props.labels?.[0] ?? ""}</span>
      <span>
        {fmtNum(min, props.lang, props.digits ?? 0)} – {fmtNum(max, props.lang, props.digits ?? 0)}
      </span>
      <span>{props.labels?.[1] ?? ""}</span>
    </figcaption>
  );
  return (
    <ChartFrame w={W} h={H} title={props.title} caption={caption}>
      {props.goal !== undefined && (
        <line
          x1={P}
          x2={W - P}
          y1={y(props.goal)}
          y2={y(props.goal)}
          stroke="#16a34a"
          stroke-dasharray="4 3"
          stroke-width="1"
          vector-effect="non-scaling-stroke"
        />
      )}
      <path
        d={d}
        fill="none"
        stroke="#1d5fbf"
        stroke-width="2"
        stroke-linejoin="round"
        vector-effect="non-scaling-stroke"
      />
    </ChartFrame>
  );
}

/** Vertical bars (values ≥ 0), e.g. a rate per period. */
export function FarmBars(
  props: {
    values: (number | null)[];
    labels?: [string, string];
    title: string;
    max?: number;
    goal?: number;
  },
) {
  const W = 320, H = 90, P = 2;
  const vals = props.values.map((v) => (v === null || !Number.isFinite(v) ? null : v));
  const max = props.max ??
    Math.max(0.0001, ...vals.filter((v): v is number => v !== null), props.goal ?? 0);
  const n = Math.max(1, vals.length);
  const bw = (W - 2 * P) / n;
  const caption = props.labels && (
    <figcaption class="flex justify-between text-xs text-gray-500">
      <span>{props.labels[0]}</span>
      <span>{props.labels[1]}</span>
    </figcaption>
  );
  return (
    <ChartFrame w={W} h={H} title={props.title} caption={caption}>
      {vals.map((v, i) =>
        v === null
          ? (
            <rect
              x={P + i * bw + 1}
              y={H - 6}
              width={Math.max(1, bw - 2)}
              height={4}
              fill="#d1d5db"
            />
          )
          : (
            <rect
              x={P + i * bw + 1}
              y={H - P - (v / max) * (H - 2 * P)}
              width={Math.max(1, bw - 2)}
              height={(v / max) * (H - 2 * P)}
              fill="#1d5fbf"
            />
          )
      )}
      {props.goal !== undefined && (
        <line
          x1={P}
          x2={W - P}
          y1={H - P - (props.goal / max) * (H - 2 * P)}
          y2={H - P - (props.goal / max) * (H - 2 * P)}
          stroke="#16a34a"
          stroke-dasharray="4 3"
        />
      )}
    </ChartFrame>
  );
}

/** A one-button form that posts `action` (and `fields`) to the page: a command styled as a link. */
export function PostButton(props: {
  csrf: string;
  action: string;
  fields?: Record<string, string | number>;
  formClass?: string;
  buttonClass?: string;
  /** The refusal of this command, shown above its button. */
  error?: string;
  children: ComponentChildren;
}) {
  return (
    <form method="post" class={props.formClass}>
      <input type="hidden" name="_csrf" value={props.csrf} />
      <input type="hidden" name="action" value={props.action} />
      {Object.entries(props.fields ?? {}).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      {props.error !== undefined && <AlertBox>{props.error}</AlertBox>}
      <button type="submit" class={props.buttonClass ?? "text-brand-700 underline"}>
        {props.children}
      </button>
    </form>
  );
}

/** The "Saved" notice after a form's redirect (`shown`: the page's ?saved=1). */
export function SavedNotice(props: { shown: boolean | undefined; m: FarmMessages }) {
  if (!props.shown) return null;
  return (
    <p role="status" class="rounded bg-green-100 text-green-900 p-2 mb-3 text-sm">
      {props.m.common.saved}
    </p>
  );
}

/** A red message read out at once: a refused form, or a warning that must not be missed. */
export function AlertBox(props: { children: ComponentChildren; class?: string }) {
  return (
    <p role="alert" class={`rounded bg-red-100 text-red-900 p-2 ${props.class ?? "mb-2"} text-sm`}>
      {props.children}
    </p>
  );
}

/** Field errors of a form, keyed by field name. */
export type FieldErrors = Record<string, string>;

/** A farm alert in the reader's language (the stored message is the English fallback). */
export function alertText(
  a: Pick<FarmAlert, "kind" | "message" | "data" | "tag">,
  m: FarmMessages,
  lang: Lang,
): string {
  const d = a.data as {
    tag?: string;
    day?: string;
    session?: string;
    yieldKg?: number;
    until?: string;
  };
  if (a.kind === "stock_shortfall") {
    const x = a.data as { what?: string; qty?: number; unit?: string; item?: string };
    return fill(m.stock.alertShort, {
      what: m.stock.source[x.what ?? ""] ?? x.what ?? "",
      qty: fmtNum(x.qty ?? null, lang, 1),
      unit: x.unit ?? "",
      item: x.item ?? "",
    });
  }
  if (a.kind !== "withdrawal_to_tank" || !d.day || !d.session) return a.message;
  return fill(m.health.alertWithdrawal, {
    tag: d.tag ?? a.tag ?? "?",
    until: d.until ? fmtTime(d.until, lang) : "—",
    session: m.session[d.session] ?? d.session,
    day: fmtDay(d.day, lang, false),
    kg: fmtNum(d.yieldKg ?? null, lang, 1),
  });
}

/** Errors and values of a form, by input name. */
export interface FormState {
  errors: Record<string, string>;
  values: Record<string, string>;
}

/**
 * A labelled input whose id and name are `id`; `optional` leaves aria-invalid off (the field's
 * error still shows under it).
 */
export function InputField(
  props: FormState & {
    id: string;
    label: string;
    type?: string;
    inputMode?: "decimal" | "numeric";
    optional?: boolean;
  },
) {
  const { id, errors: e } = props;
  return (
    <Field id={id} label={props.label} error={e[id]}>
      <input
        id={id}
        name={id}
        type={props.type}
        inputMode={props.inputMode}
        value={props.values[id] ?? ""}
        class={inputClass(!!e[id])}
        aria-invalid={!props.optional && e[id] ? "true" : undefined}
      />
    </Field>
  );
}
