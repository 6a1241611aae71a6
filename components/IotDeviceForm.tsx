/** The fields of a device (register and edit pages). The id and type are set at registration. */
import { DEVICE_TYPES, type IotMessages, LOCATION_KINDS } from "@/services/iot/mod.ts";
import { Field, TextField } from "@/components/IotUi.tsx";
import { buttonClass, inputClass, selectClass } from "@/components/ui.tsx";

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
          <Field id="type" label={d.type} errors={errors}>
            <select id="type" name="type" required class={`${selectClass} w-full`}>
              <option value=""></option>
              {DEVICE_TYPES.map((t) => (
                <option value={t} selected={v.type === t}>{m.types[t]}</option>
              ))}
            </select>
          </Field>
        </>
      )}
      {text("name", d.name)}
      <div class="grid sm:grid-cols-2 gap-x-4">
        <Field id="locationKind" label={d.locationKind} errors={errors}>
          <select id="locationKind" name="locationKind" class={`${selectClass} w-full`}>
            <option value="">—</option>
            {LOCATION_KINDS.map((k) => (
              <option value={k} selected={v.locationKind === k}>{m.locationKinds[k]}</option>
            ))}
          </select>
        </Field>
        {text("location", d.location, d.locationHint)}
      </div>
      <div class="grid sm:grid-cols-2 gap-x-4">
        <Field id="tankId" label={d.tank} hint={d.tankHint} errors={errors}>
          <select
            id="tankId"
            name="tankId"
            class={`${selectClass} w-full`}
            aria-describedby="tankId-hint"
          >
            <option value="">—</option>
            {props.tanks.map((t) => (
              <option value={t.id} selected={v.tankId === t.id}>{t.name} ({t.id})</option>
            ))}
          </select>
        </Field>
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
