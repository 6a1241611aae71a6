/**
 * The alarm rule editor's fields, and the conversions between a rule and its form: durations
 * are entered in minutes (the rule keeps seconds), parameters are named `p_<name>`.
 */
import {
  type AlarmRule,
  DEVICE_TYPES,
  type IotMessages,
  METRICS,
  type RuleInput,
  type RuleKind,
  SEVERITIES,
} from "@/services/iot/mod.ts";
import { fmtNumber, type IotLang, METRIC_UNITS } from "@/components/IotFormat.ts";
import { Field, SelectField, TextField } from "@/components/IotUi.tsx";
import { selectClass } from "@/components/ui.tsx";

type ParamKind = "op" | "number" | "minutes" | "optMinutes" | "int";

export const RULE_PARAMS: Record<RuleKind, [string, ParamKind][]> = {
  threshold: [
    ["op", "op"],
    ["value", "number"],
    ["durationS", "minutes"],
    ["graceS", "optMinutes"],
    ["staleS", "minutes"],
  ],
  rate: [
    ["op", "op"],
    ["change", "number"],
    ["windowS", "minutes"],
    ["graceS", "optMinutes"],
    ["staleS", "minutes"],
  ],
  silence: [["silentS", "minutes"]],
  activity_spike: [
    ["windowH", "int"],
    ["baselineDays", "int"],
    ["minDays", "int"],
    ["sigma", "number"],
    ["minRatio", "number"],
  ],
  rumination_drop: [
    ["windowH", "int"],
    ["baselineDays", "int"],
    ["minDays", "int"],
    ["sigma", "number"],
    ["maxRatio", "number"],
  ],
};

const minutes = (s: number) => String(Math.round((s / 60) * 100) / 100);

/** A rule as form values. */
export function ruleToForm(r: AlarmRule): Record<string, string> {
  const out: Record<string, string> = {
    name: r.name,
    deviceType: r.deviceType ?? "",
    deviceId: r.deviceId ?? "",
    metric: r.metric ?? "",
    severity: r.severity,
    holdsTank: r.holdsTank ? "on" : "",
    enabled: r.enabled ? "on" : "",
  };
  const params = r.params as Record<string, unknown>;
  for (const [name, kind] of RULE_PARAMS[r.kind]) {
    const v = params[name];
    if (v === undefined || v === null) continue;
    out[`p_${name}`] = kind === "minutes" || kind === "optMinutes"
      ? minutes(v as number)
      : String(v);
  }
  return out;
}

/** Form values as a rule for saveRule (which validates them). */
export function ruleFromForm(kind: RuleKind, v: Record<string, string>): RuleInput {
  const params: Record<string, unknown> = {};
  for (const [name, k] of RULE_PARAMS[kind]) {
    const raw = (v[`p_${name}`] ?? "").trim();
    if (k === "op") {
      params[name] = raw;
      continue;
    }
    if (raw === "") continue; // the default, or none for optional ones
    const n = Number(raw.replace(",", "."));
    params[name] = k === "minutes" || k === "optMinutes" ? Math.round(n * 60) : n;
  }
  return {
    kind,
    name: v.name ?? "",
    deviceType: (v.deviceType || null) as never,
    deviceId: v.deviceId?.trim() || null,
    metric: kind === "silence" ? null : v.metric || null,
    severity: v.severity as never,
    holdsTank: v.holdsTank === "on",
    enabled: v.enabled === "on",
    params,
  } as unknown as RuleInput;
}

/** saveRule's field names → the form's. */
export function ruleField(f: string): string {
  return f.startsWith("params.") ? `p_${f.slice(7).split(".")[0]}` : f;
}

/** "Temperature > 4 °C · 30 min" style summary of a rule's condition. */
export function ruleSummary(r: AlarmRule, m: IotMessages, lang: IotLang): string {
  const p = r.params as Record<string, number | string | undefined>;
  const min = (s: unknown) => m.common.minutes(Math.round(Number(s) / 60));
  const metric = r.metric ? m.metrics[r.metric] ?? r.metric : "";
  const unit = r.metric ? METRIC_UNITS[r.metric] ?? "" : "";
  const num = (v: unknown) => fmtNumber(lang, Number(v), Number.isInteger(Number(v)) ? 0 : 1);
  switch (r.kind) {
    case "threshold":
      return [
        `${metric} ${p.op} ${num(p.value)} ${unit}`.trim(),
        p.durationS ? `≥ ${min(p.durationS)}` : "",
        p.graceS !== undefined ? `${m.rules.params.graceS.split(" (")[0]}: ${min(p.graceS)}` : "",
      ].filter(Boolean).join(" · ");
    case "rate":
      return `${metric} ${p.op === ">" ? "+" : "−"}${num(p.change)} ${unit} / ${min(p.windowS)}`;
    case "silence":
      return min(p.silentS);
    case "activity_spike":
      return `${metric}: ${m.common.hours(Number(p.windowH))}, ≥ ${num(p.minRatio)}×`;
    case "rumination_drop":
      return `${metric}: ${m.common.hours(Number(p.windowH))}, ≤ ${num(p.maxRatio)}×`;
  }
}

export function IotRuleForm(
  props: {
    m: IotMessages;
    kind: RuleKind;
    values: Record<string, string>;
    errors: Record<string, string[]>;
    /** Shows the id field (new rules). */
    withId: boolean;
  },
) {
  const { m, kind, values: v, errors } = props;
  const r = m.rules;
  const form = { values: v, errors };
  const types = DEVICE_TYPES.map((t) => [t, m.types[t]] as const);
  const opWords = kind === "rate"
    ? [[">", r.params.opRising], ["<", r.params.opFalling]]
    : [[">", r.params.opAbove], ["<", r.params.opBelow]];
  const opChoices = opWords.map(([op, word]) => [op, `${word} (${op})`] as const);
  return (
    <div class="max-w-2xl">
      {props.withId && <TextField id="id" label={r.id} hint={r.idHint} maxLength={64} {...form} />}
      <TextField id="name" label={r.name} maxLength={200} {...form} />
      <div class="grid sm:grid-cols-2 gap-x-4">
        <SelectField id="deviceType" label={r.deviceType} none="—" options={types} {...form} />
        <TextField
          id="deviceId"
          label={r.deviceId}
          hint={r.deviceIdHint}
          maxLength={64}
          {...form}
        />
      </div>
      <div class="grid sm:grid-cols-2 gap-x-4">
        {kind !== "silence" && (
          <Field id="metric" label={r.metric} errors={errors}>
            <select id="metric" name="metric" class={`${selectClass} w-full`}>
              <option value="">—</option>
              {DEVICE_TYPES.map((t) => (
                <optgroup label={m.types[t]}>
                  {METRICS[t].map((x) => (
                    <option value={x} selected={v.metric === x}>{m.metrics[x] ?? x} ({x})</option>
                  ))}
                </optgroup>
              ))}
              <optgroup label={m.devices.status}>
                {["battery_pct", "rssi_dbm"].map((x) => (
                  <option value={x} selected={v.metric === x}>{m.metrics[x]} ({x})</option>
                ))}
              </optgroup>
            </select>
          </Field>
        )}
        <SelectField
          id="severity"
          label={r.severity}
          options={SEVERITIES.map((s) => [s, m.severity[s]])}
          fallback="warning"
          {...form}
        />
      </div>
      <fieldset class="rounded border border-gray-300 p-3 mb-4">
        <legend class="px-1 text-sm font-medium">{r.condition}: {r.kinds[kind]}</legend>
        <p class="text-xs text-gray-600 mb-2">{r.kindHints[kind]}</p>
        <div class="grid sm:grid-cols-2 gap-x-4">
          {RULE_PARAMS[kind].map(([name, k]) => {
            const id = `p_${name}`;
            if (k === "op") {
              return <SelectField id={id} label={r.params.op} options={opChoices} {...form} />;
            }
            return (
              <TextField id={id} label={r.params[name] ?? name} inputMode="decimal" {...form} />
            );
          })}
        </div>
      </fieldset>
      <label class="flex items-center gap-2 mb-2">
        <input type="checkbox" name="holdsTank" checked={v.holdsTank === "on"} />
        {r.holdsTank}
      </label>
      <label class="flex items-center gap-2 mb-4">
        <input type="checkbox" name="enabled" checked={v.enabled === "on"} />
        {r.enabled}
      </label>
    </div>
  );
}
