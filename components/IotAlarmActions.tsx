/** Acknowledge and close-by-hand forms of an active alarm (the alarm list and its page). */
import type { IotMessages } from "@/services/iot/mod.ts";
import { buttonClass, inputClass } from "@/components/ui.tsx";

export function IotAlarmActions(
  props: {
    m: IotMessages;
    csrf: string;
    alarmId: string;
    state: string;
    /** Where to come back to after the post (a same-site path). */
    back: string;
    canResolve: boolean;
    errors?: string[];
  },
) {
  const { m, alarmId } = props;
  const a = m.alarms;
  if (props.state === "resolved") return null;
  const hidden = (action: string) => (
    <>
      <input type="hidden" name="_csrf" value={props.csrf} />
      <input type="hidden" name="action" value={action} />
      <input type="hidden" name="alarmId" value={alarmId} />
      <input type="hidden" name="back" value={props.back} />
    </>
  );
  return (
    <div class="mt-2 flex flex-wrap gap-3 items-start">
      {props.state === "open" && (
        <form method="post" action="/admin/iot/alarms" class="flex flex-wrap gap-2 items-end">
          {hidden("acknowledge")}
          <label class="text-xs">
            <span class="sr-only">{a.ackNote}</span>
            <input
              name="note"
              maxLength={500}
              placeholder={a.ackNote}
              class="rounded border border-gray-300 px-2 py-1 text-sm w-48"
            />
          </label>
          <button type="submit" class={buttonClass("small")}>{a.acknowledge}</button>
        </form>
      )}
      {props.canResolve && (
        <details class="text-sm">
          <summary class="cursor-pointer text-brand-700 py-1">{a.resolve}</summary>
          <form
            method="post"
            action="/admin/iot/alarms"
            class="mt-1 flex flex-wrap gap-2 items-end"
          >
            {hidden("resolve")}
            <label class="text-xs grow">
              <span class="sr-only">{a.resolveNote}</span>
              <input
                name="note"
                required
                maxLength={500}
                placeholder={a.resolveNote}
                class={`${inputClass(!!props.errors?.length)} py-1 text-sm`}
              />
            </label>
            <button type="submit" class={buttonClass("small")}>{a.resolve}</button>
          </form>
        </details>
      )}
      {props.errors?.map((e) => <p class="w-full text-sm text-red-700" role="alert">{e}</p>)}
    </div>
  );
}
