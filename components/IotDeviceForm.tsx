/** The fields of a device (register and edit pages). The id and type are set at registration. */
import { DEVICE_TYPES, type IotMessages, LOCATION_KINDS } from "@/services/iot/mod.ts";
import { Field, SelectField, TextField } from "@/components/IotUi.tsx";
import { buttonClass, inputClass } from "@/components/ui.tsx";

export function IotDeviceForm(
  props: {
    m: IotMessages;
    mode: "create" | "edit";
    values: Record<string, string>;
    errors: Record<string, string[]>;
    tanks: { id: string; name: string }[];
  },
) {
  const { m, values: v, errors } = props;
  const d = m.devices;
  const bad = (k: string) => !!errors[k]?.length;
  const form = { values: v, errors };
  const text = (id: string, label: string, hint?: string, max = 120) => (
    <TextField id={id} label={label} hint={hint} maxLength={max} values={v} errors={errors} />
  );
  return (
    <div class="max-w-xl">
      {props.mode === "create" && (
        <>
          <Field id="id" label={d.id} hint={d.idHint} errors={errors}>
            <input
              id="id"
              name="id"
              value={v.id ?? ""}
              required
              maxLength={64}
              pattern="[a-z0-9][a-z0-9\-]{2,63}"
              autocomplete="off"
              class={inputClass(bad("id"))}
              aria-invalid={bad("id") ? "true" : undefined}
              aria-describedby="id-hint"
            />
          </Field>
          <SelectField
            id="type"
            label={d.type}
            none=""
            options={DEVICE_TYPES.map((t) => [t, m.types[t]])}
            required
            {...form}
          />
        </>
      )}
      {text("name", d.name)}
      <div class="grid sm:grid-cols-2 gap-x-4">
        <SelectField
          id="locationKind"
          label={d.locationKind}
          none="—"
          options={LOCATION_KINDS.map((k) => [k, m.locationKinds[k]])}
          {...form}
        />
        {text("location", d.location, d.locationHint)}
      </div>
      <div class="grid sm:grid-cols-2 gap-x-4">
        <SelectField
          id="tankId"
          label={d.tank}
          hint={d.tankHint}
          none="—"
          options={props.tanks.map((t) => [t.id, `${t.name} (${t.id})`])}
          {...form}
        />
        {text("animalTag", d.animalTag, d.animalTagHint, 40)}
      </div>
      {text("firmwareVersion", d.firmware, undefined, 64)}
      <Field id="notes" label={d.notes} errors={errors}>
        <textarea
          id="notes"
          name="notes"
          rows={3}
          maxLength={2000}
          class={inputClass(bad("notes"))}
        >
          {v.notes ?? ""}
        </textarea>
      </Field>
    </div>
  );
}

/** A device page's form: the CSRF token, the device's fields, the submit button and the way back. */
export function IotDeviceFormPage(
  props: {
    m: IotMessages;
    mode: "create" | "edit";
    data: {
      csrf: string;
      values: Record<string, string>;
      errors: Record<string, string[]>;
      tanks: { id: string; name: string }[];
    };
    action?: string;
    submit: string;
    back: string;
  },
) {
  const { m, data } = props;
  return (
    <form method="post" action={props.action} novalidate>
      <input type="hidden" name="_csrf" value={data.csrf} />
      <IotDeviceForm m={m} mode={props.mode} {...data} />
      <div class="flex gap-3">
        <button type="submit" class={buttonClass()}>{props.submit}</button>
        <a href={props.back} class="px-4 py-2 text-brand-700 underline">{m.common.cancel}</a>
      </div>
    </form>
  );
}
