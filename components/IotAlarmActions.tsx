/** Acknowledge and close-by-hand forms of an active alarm (the alarm list and its page). */
import type { IotMessages } from "@/services/iot/mod.ts";
import { buttonClass, inputClass } from "@/components/ui.tsx";

export function IotAlarmActions(
  props: {
    m: IotMessages;
    alarm: { id: string; state: string };
    /** The page's CSRF token and whether its viewer may close alarms by hand. */
    page: { csrf: string; canResolve: boolean };
    /** Where to come back to after the post (a same-site path). */
    back: string;
    errors?: string[];
  },
) {
  const { m, page } = props;
  const { id: alarmId, state } = props.alarm;
  const a = m.alarms;
  if (state === "resolved") return null;
  const hidden = (action: string) => (
    <>
      <input type="hidden" name="_csrf" value={page.csrf} />
      <input type="hidden" name="action" value={action} />
      <input type="hidden" name="alarmId" value={alarmId} />
      <input type="hidden" name="back" value={props.back} />
    </>
  );
  return (
    <div class="mt-2 flex flex-wrap gap-3 items-start">
      {state === "open" && (
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
      {page.canResolve && (
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
