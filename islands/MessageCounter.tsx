import { useSignal } from "@preact/signals";

/**
 * A textarea that tells how many characters are left. Without JavaScript it is a plain textarea
 * with a maxlength; with it, the count follows every keystroke.
 */
export default function MessageCounter(props: {
  id: string;
  name: string;
  value: string;
  maxLength: number;
  leftLabel: string;
  invalid?: boolean;
}) {
  const text = useSignal(props.value);
  const left = props.maxLength - text.value.length;
  return (
    <div>
      <textarea
        id={props.id}
        name={props.name}
        rows={5}
        maxLength={props.maxLength}
        required
        aria-invalid={props.invalid ? "true" : undefined}
        aria-describedby={`${props.id}-count`}
        class={`w-full rounded border px-3 py-2 ${
          props.invalid ? "border-red-600" : "border-gray-300"
        }`}
        value={text.value}
        onInput={(e) => (text.value = (e.currentTarget as HTMLTextAreaElement).value)}
      />
      <p
        id={`${props.id}-count`}
        data-testid="chars-left"
        class={`text-xs mt-1 ${left < 50 ? "text-red-700" : "text-gray-500"}`}
        aria-live="polite"
      >
        {left} {props.leftLabel}
      </p>
    </div>
  );
}
