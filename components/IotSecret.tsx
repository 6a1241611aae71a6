/** A device's MQTT credentials right after registration or rotation: the only time they show. */
import type { IotMessages } from "@/services/iot/mod.ts";

export function IotSecret(
  props: { m: IotMessages; deviceId: string; secret: string; topic: string },
) {
  const d = props.m.devices;
  return (
    <section
      class="rounded-lg border-2 border-amber-500 bg-amber-50 p-4 max-w-2xl"
      aria-labelledby="secret-title"
    >
      <h2 id="secret-title" class="text-lg font-semibold mb-1">{d.secretTitle}</h2>
      <p class="text-sm mb-3">{d.secretOnce}</p>
      <dl class="grid grid-cols-1 sm:grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
        <dt class="font-medium">{d.username}</dt>
        <dd>
          <code class="break-all">{props.deviceId}</code>
        </dd>
        <dt class="font-medium">{d.password}</dt>
        <dd>
          <code
            class="block break-all bg-white border border-amber-300 rounded px-2 py-1 select-all text-base"
            data-secret
          >
            {props.secret}
          </code>
        </dd>
        <dt class="font-medium">{d.topics}</dt>
        <dd>
          <code class="break-all">{props.topic}</code>
        </dd>
      </dl>
    </section>
  );
}
