import type { Context, PageProps } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import { optionalId } from "@/services/production/mod.ts";
import { Button, Field, inputClass, PostForm, selectClass } from "@/components/ui.tsx";
import { type Errors, FormErrors, PageTitle, productionForm } from "../(_prod)/prod.tsx";

const INPUT_ROWS = 8;
const BYP_ROWS = 3;
const ROLES = ["main", "ingredient", "packaging"] as const;
const HEAD_FIELDS = [
  "outputItemCode",
  "nameEn",
  "nameBn",
  "hsCode",
  "outputQty",
  "lossPct",
  "tolerancePct",
  "targetFatPct",
  "targetSnfPct",
  "validFrom",
] as const;

interface Data {
  csrf: string;
  values: Record<string, string>;
  errors: Errors;
  /** The version this one follows (a new version of it), if any. */
  from: { id: number; version: number } | null;
}

const pct = (bp: number | null) => (bp === null ? "" : String(bp / 100));

/** The form prefilled from an existing version (a new version starts from it). */
async function pageData(ctx: Context<State>): Promise<Data> {
  const production = ctx.state.deps.production;
  ctx.state.title = `${ctx.state.t.production.boms.newBom} — Smart Dairy`;
  const fromId = optionalId(ctx.url.searchParams.get("from"));
  const values: Record<string, string> = { validFrom: production.today() };
  let from: Data["from"] = null;
  if (fromId) {
    const b = await production.getBom(fromId);
    from = { id: b.id, version: b.version };
    Object.assign(values, {
      outputItemCode: b.outputItemCode,
      nameEn: b.nameEn,
      nameBn: b.nameBn,
      hsCode: b.hsCode ?? "",
      outputQty: String(b.outputQty),
      lossPct: pct(b.lossBp),
      tolerancePct: pct(b.toleranceBp),
      targetFatPct: pct(b.targetFatBp),
      targetSnfPct: pct(b.targetSnfBp),
      note: b.note ?? "",
    });
    b.inputs.forEach((i, n) => {
      values[`in_item_${n}`] = i.itemCode;
      values[`in_role_${n}`] = i.role;
      values[`in_qty_${n}`] = String(i.qty);
      values[`in_wastage_${n}`] = pct(i.wastageBp);
    });
    b.byproducts.forEach((x, n) => {
      values[`by_item_${n}`] = x.itemCode;
      values[`by_qty_${n}`] = String(x.qty);
    });
  }
  return { csrf: await ctx.csrfToken(), values, errors: {}, from };
}

/** The posted rows as the service's lists; `rename` maps list errors back to the form's rows. */
function bomFormOf(v: Record<string, string>) {
  const inRows: number[] = [], byRows: number[] = [];
  for (let n = 0; n < INPUT_ROWS; n++) if ((v[`in_item_${n}`] ?? "").trim()) inRows.push(n);
  for (let n = 0; n < BYP_ROWS; n++) if ((v[`by_item_${n}`] ?? "").trim()) byRows.push(n);
  const form = {
    ...Object.fromEntries(HEAD_FIELDS.map((f) => [f, v[f] ?? ""])),
    note: v.note ?? "",
    inputs: inRows.map((n) => ({
      itemCode: v[`in_item_${n}`],
      role: v[`in_role_${n}`],
      qty: v[`in_qty_${n}`],
      wastagePct: v[`in_wastage_${n}`] ?? "",
    })),
    byproducts: byRows.map((n) => ({ itemCode: v[`by_item_${n}`], qty: v[`by_qty_${n}`] })),
  };
  const rename = (k: string) => {
    const m = k.match(/^(inputs|byproducts)\.(\d+)\.(\w+)$/);
    if (!m) return k;
    const short: Record<string, string> = { itemCode: "item", wastagePct: "wastage" };
    const rows = m[1] === "inputs" ? inRows : byRows;
    return `${m[1] === "inputs" ? "in" : "by"}_${short[m[3]] ?? m[3]}_${rows[Number(m[2])]}`;
  };
  return { form, rename };
}

export const handler = productionForm<Data>({
  page: (ctx) => pageData(ctx),
  async run(ctx, _, v, actor) {
    const bom = await ctx.state.deps.production.saveBomVersion(bomFormOf(v).form, actor);
    return `/admin/production/boms/${bom.id}?saved`;
  },
  async again(ctx, _, v, errors) {
    // The service names fields of the form it got (inputs.0.qty): back to the page's names.
    const { rename } = bomFormOf(v);
    const renamed: Errors = {};
    for (const [k, msgs] of Object.entries(errors)) (renamed[rename(k)] ??= []).push(...msgs);
    return { ...(await pageData(ctx)), values: v, errors: renamed };
  },
});

export default function NewBom({ data, state }: PageProps<Data, State>) {
  const m = state.t.production;
  const t = m.boms;
  const v = data.values;
  const err = (k: string) => data.errors[k];
  const cell = (name: string, label: string, width = "w-32") => (
    <input
      name={name}
      value={v[name] ?? ""}
      aria-label={label}
      aria-invalid={err(name) ? "true" : undefined}
      class={`${inputClass(!!err(name))} ${width}`}
    />
  );
  const rowErrors = (names: string[]) =>
    names.flatMap((n) => err(n) ?? []).map((e) => <p class="text-sm text-red-700">{e}</p>);
  const text = (id: (typeof HEAD_FIELDS)[number] | "note", label: string, type = "text") => (
    <Field id={id} label={label} error={err(id)}>
      <input id={id} name={id} type={type} value={v[id] ?? ""} class={inputClass(!!err(id))} />
    </Field>
  );
  const shown = [
    ...HEAD_FIELDS,
    "note",
    ...Object.keys(data.errors).filter((k) => /^(in|by)_/.test(k)),
  ];
  return (
    <>
      <PageTitle
        title={data.from ? `${t.newVersion} (${t.version(data.from.version + 1)})` : t.newBom}
        intro={t.hint}
      />
      <FormErrors errors={data.errors} shown={shown} />
      <PostForm csrf={data.csrf} action="/admin/production/boms/new" novalidate>
        <div class="grid md:grid-cols-3 gap-x-4 max-w-4xl">
          {text("outputItemCode", t.outputItem)}
          {text("nameEn", t.nameEn)}
          {text("nameBn", t.nameBn)}
          {text("hsCode", t.hsCode)}
          {text("outputQty", t.outputQty)}
          {text("validFrom", t.validFrom, "date")}
          {text("lossPct", t.lossPct)}
          {text("tolerancePct", t.tolerancePct)}
          <div />
          {text("targetFatPct", t.targetFat)}
          {text("targetSnfPct", t.targetSnf)}
        </div>
        <h2 class="text-lg font-semibold mb-2">{t.inputs}</h2>
        <table class="text-sm mb-6">
          <thead class="text-left">
            <tr>
              <th class="pr-2">{m.common.item}</th>
              <th class="pr-2">{t.role}</th>
              <th class="pr-2">{m.common.qty}</th>
              <th class="pr-2">{t.wastage}</th>
            </tr>
          </thead>
          <tbody>
            {Array.from({ length: INPUT_ROWS }, (_, n) => (
              <tr>
                <td class="pr-2 py-1">{cell(`in_item_${n}`, m.common.item, "w-44")}</td>
                <td class="pr-2 py-1">
                  <select name={`in_role_${n}`} class={selectClass} aria-label={t.role}>
                    {ROLES.map((r) => (
                      <option value={r} selected={(v[`in_role_${n}`] ?? "ingredient") === r}>
                        {m.roles[r]}
                      </option>
                    ))}
                  </select>
                </td>
                <td class="pr-2 py-1">{cell(`in_qty_${n}`, m.common.qty)}</td>
                <td class="pr-2 py-1">{cell(`in_wastage_${n}`, t.wastage, "w-20")}</td>
                <td class="py-1">
                  {rowErrors([`in_item_${n}`, `in_role_${n}`, `in_qty_${n}`, `in_wastage_${n}`])}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <h2 class="text-lg font-semibold mb-2">{t.byproducts}</h2>
        <table class="text-sm mb-6">
          <tbody>
            {Array.from({ length: BYP_ROWS }, (_, n) => (
              <tr>
                <td class="pr-2 py-1">{cell(`by_item_${n}`, m.common.item, "w-44")}</td>
                <td class="pr-2 py-1">{cell(`by_qty_${n}`, m.common.qty)}</td>
                <td class="py-1">{rowErrors([`by_item_${n}`, `by_qty_${n}`])}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div class="max-w-xl">
          <Field id="note" label={t.note} error={err("note")}>
            <textarea id="note" name="note" rows={2} maxLength={1000} class={inputClass()}>
              {v.note ?? ""}
            </textarea>
          </Field>
        </div>
        <Button>{m.common.save}</Button>
      </PostForm>
    </>
  );
}
