/** The herd register form (register and edit), re-rendered with the user's values and messages. */
import { BREEDS, type FarmMessages } from "@/services/farm/mod.ts";
import { AlertBox } from "@/components/FarmUi.tsx";
import { buttonClass, Field, inputClass } from "@/components/ui.tsx";

/** What the register and edit pages hand the form (their page data). */
export interface AnimalFormData {
  csrf: string;
  values: Record<string, string>;
  errors: Record<string, string>;
  groups: { code: string; name: string }[];
}

export interface AnimalFormProps extends AnimalFormData {
  m: FarmMessages;
  action: string;
  /** Registration shows sex, origin, status and calving; an edit does not. */
  mode: "new" | "edit";
}

export function FarmAnimalForm(p: AnimalFormProps) {
  const { m, values: v, errors: e } = p;
  const text = (
    name: string,
    label: string,
    opts: { type?: string; hint?: string; required?: boolean; list?: string } = {},
  ) => (
    <Field id={name} label={label} error={e[name]} hint={opts.hint}>
      <input
        id={name}
        name={name}
        type={opts.type ?? "text"}
        value={v[name] ?? ""}
        list={opts.list}
        required={opts.required}
        class={inputClass(!!e[name])}
        aria-invalid={e[name] ? "true" : undefined}
      />
    </Field>
  );
  const select = (name: string, label: string, options: [string, string][]) => (
    <Field id={name} label={label} error={e[name]}>
      <select id={name} name={name} class={inputClass(!!e[name])}>
        {options.map(([val, l]) => (
          <option value={val} selected={(v[name] ?? "") === val}>{l}</option>
        ))}
      </select>
    </Field>
  );
  return (
    <form
      method="post"
      action={p.action}
      class="bg-white rounded-lg border border-gray-200 p-3"
      novalidate
    >
      <input type="hidden" name="_csrf" value={p.csrf} />
      {Object.keys(e).length > 0 && (
        <AlertBox class="mb-3">
          {e.form ?? m.common.fixErrors}
        </AlertBox>
      )}
      {text("tag", m.common.tag, { required: true })}
      {text("rfid", m.herd.rfid, { hint: "ISO 11784: 15 digits" })}
      {text("name", m.common.name)}
      {text("breed", m.herd.breed, { required: true, list: "breeds" })}
      <datalist id="breeds">{BREEDS.map((b) => <option value={b} />)}</datalist>
      {p.mode === "new" &&
        select("sex", m.herd.sex, [["female", m.sex.female], ["male", m.sex.male]])}
      {text("birthDate", m.herd.birthDate, { type: "date" })}
      {text("damTag", m.herd.dam)}
      {text("sireTag", m.herd.sire)}
      {p.mode === "new" &&
        select("origin", m.herd.origin, [["born", m.origin.born], [
          "purchased",
          m.origin.purchased,
        ]])}
      {p.mode === "new" && text("arrivalDate", m.herd.arrivalDate, { type: "date" })}
      {select("groupCode", m.common.group, [
        ["", "—"],
        ...p.groups.map((g) => [g.code, g.name] as [string, string]),
      ])}
      {p.mode === "new" &&
        select(
          "status",
          m.common.status,
          ["calf", "heifer", "lactating", "dry"].map((s) => [s, m.status[s]]),
        )}
      {p.mode === "new" && text("lastCalvedOn", m.herd.lastCalvedOn, { type: "date" })}
      {p.mode === "new" && text("parity", m.herd.parity, { type: "number" })}
      <Field id="notes" label={m.herd.notes} error={e.notes}>
        <textarea id="notes" name="notes" rows={3} class={inputClass(!!e.notes)}>
          {v.notes ?? ""}
        </textarea>
      </Field>
      <button type="submit" class={`${buttonClass()} w-full`}>{m.common.save}</button>
    </form>
  );
}
