/**
 * The one UI kit (components/ui.tsx): a refused field shows its messages tied to the control.
 */
import { deepStrictEqual as assertEquals, match, ok } from "node:assert/strict";
import { renderToString } from "preact-render-to-string";
import { Button, Field, inputClass } from "@/components/ui.tsx";

Deno.test("ui: a field shows its label, hint and every error, each tied to the control", () => {
  const html = renderToString(
    <Field id="qty" label="Quantity" hint="In litres" error={["Too many", "Whole litres"]}>
      <input id="qty" class={inputClass(true)} aria-describedby="qty-error" />
    </Field>,
  );
  match(html, /<label for="qty"[^>]*>Quantity<\/label>/);
  match(html, /In litres/);
  assertEquals(html.match(/role="alert"/g)?.length, 2);
  match(html, /id="qty-error"[^>]*>Too many</);
  match(html, /border-red-600/);
  const calm = renderToString(<Field id="a" label="A" error="">x</Field>);
  assertEquals(calm.includes('role="alert"'), false, "an empty message shows nothing");
});

Deno.test("ui: buttons default to submit with the primary look", () => {
  const html = renderToString(<Button name="op" value="save">Save</Button>);
  match(html, /<button type="submit" name="op" value="save" class="[^"]*bg-brand-600/);
  ok(renderToString(<Button kind="danger" type="button">x</Button>).includes("bg-red-700"));
});
