/** The form of a location (new or edit): names, kind, temperature, device, VAT registration. */
import {
  formatBin,
  LOCATION_KINDS,
  type LocationInput,
  type StaffLocation,
  type StockScreenMessages,
  TEMP_CLASSES,
} from "@/services/inventory/mod.ts";
import { type FormState, OpForm, SelectInput, TextInput } from "./InventoryUi.tsx";
import { Button, buttonClass } from "./ui.tsx";

/** A location as the form's values. */
export function locationValues(l: StaffLocation): Record<string, string> {
  return {
    code: l.code,
    nameEn: l.nameEn,
    nameBn: l.nameBn,
    kind: l.kind,
    tempClass: l.tempClass,
    deviceId: l.deviceId ?? "",
    vatRegistered: l.vatRegistered ? "on" : "",
    bin: formatBin(l.bin),
    address: l.address ?? "",
    sellable: l.sellable ? "on" : "",
    active: l.active ? "on" : "",
  };
}

/** The posted form as the service's input. */
export function locationInput(v: Record<string, string>): LocationInput {
  return {
    code: v.code ?? "",
    nameEn: v.nameEn ?? "",
    nameBn: v.nameBn ?? "",
    kind: v.kind as LocationInput["kind"],
    tempClass: v.tempClass as LocationInput["tempClass"],
    deviceId: v.deviceId ?? "",
    vatRegistered: v.vatRegistered === "on",
    bin: v.bin ?? "",
    address: v.address ?? "",
    sellable: v.sellable === "on",
    active: v.active === "on",
  };
}

function Check(
  props: { name: string; label: string; values: Record<string, string>; hint?: string },
) {
  return (
    <div class="mb-4">
      <label class="flex items-center gap-2">
        <input type="checkbox" name={props.name} checked={props.values[props.name] === "on"} />
        {props.label}
      </label>
      {props.hint && <p class="text-xs text-gray-500 mt-1">{props.hint}</p>}
    </div>
  );
}

export function InventoryLocationForm(props: {
  m: StockScreenMessages;
  csrf: string;
  form: FormState;
  /** Editing: the code is shown, not typed. */
  code?: string;
}) {
  const { m, form } = props;
  const values = form.values;
  const L = m.locations;
  return (
    <OpForm csrf={props.csrf} op="save" m={m} errors={form.errors} class="max-w-xl">
      {props.code
        ? (
          <p class="mb-4">
            {L.code}: <code>{props.code}</code>
          </p>
        )
        : (
          <TextInput
            name="code"
            label={L.code}
            hint={L.codeHint}
            form={form}
            required
            maxLength={40}
          />
        )}
      <TextInput name="nameEn" label={L.nameEn} form={form} required />
      <TextInput name="nameBn" label={L.nameBn} form={form} required />
      <SelectInput
        name="kind"
        label={L.kind}
        options={LOCATION_KINDS.map((k) => [k, m.kinds[k] ?? k])}
        form={form}
      />
      <SelectInput
        name="tempClass"
        label={L.temp}
        options={TEMP_CLASSES.map((k) => [k, m.temps[k] ?? k])}
        form={form}
      />
      <TextInput
        name="deviceId"
        label={L.device}
        hint={L.deviceHint}
        form={form}
      />
      <Check name="vatRegistered" label={L.vat} hint={L.vatHint} values={values} />
      <TextInput name="bin" label={L.bin} hint={L.binHint} form={form} />
      <TextInput name="address" label={L.address} form={form} maxLength={300} />
      <Check name="sellable" label={L.sellable} values={values} />
      <Check name="active" label={L.active} values={values} />
      <div class="flex gap-2">
        <Button>{m.common.save}</Button>
        <a href="/admin/inventory/locations" class={buttonClass("secondary")}>{m.common.cancel}</a>
      </div>
    </OpForm>
  );
}
