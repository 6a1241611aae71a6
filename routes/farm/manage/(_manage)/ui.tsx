/** The manage screens' page and its pieces (not a route: the "(_manage)" folder). */
import type { ComponentChildren } from "preact";
import { type FarmMessages, type FarmStockItem, fill } from "@/services/farm/mod.ts";
import { AlertBox, FarmBadge, fmtNum, type FormState, SavedNotice } from "@/components/FarmUi.tsx";
import { buttonClass, Field, PostForm } from "@/components/ui.tsx";

export function ManageHeader(props: { m: FarmMessages; title: string }) {
  return (
    <div class="mb-3">
      <a href="/farm/manage" class="text-sm text-brand-700 underline">
        ← {props.m.manage.title}
      </a>
      <h1 class="text-xl font-bold mt-1">{props.title}</h1>
    </div>
  );
}

/** The "saved" notice, and the summary of a form's errors (a rule with no field shows here). */
export function Notices(
  props: { m: FarmMessages; saved: boolean; errors: Record<string, string> },
) {
  const { m, errors } = props;
  return (
    <>
      <SavedNotice shown={props.saved} m={m} />
      {Object.keys(errors).length > 0 && (
        <AlertBox class="mb-3">
          {errors.form ?? m.common.fixErrors}
        </AlertBox>
      )}
    </>
  );
}

export function FormBox(props: { title: string; children: ComponentChildren; id?: string }) {
  return (
    <section id={props.id} class="bg-white rounded-lg border border-gray-200 p-3 mb-4">
      <h2 class="font-semibold mb-2">{props.title}</h2>
      {props.children}
    </section>
  );
}

export const selectClass = (invalid?: boolean) =>
  `w-full rounded border px-3 py-2 bg-white ${invalid ? "border-red-600" : "border-gray-300"}`;

/** A labelled select of [value, text] options after an empty choice (text `empty`, else "—"). */
export function SelectField(
  props: FormState & {
    id: string;
    label: string;
    options: readonly (readonly [string, string])[];
    empty?: string;
  },
) {
  const { id, errors: e } = props;
  return (
    <Field id={id} label={props.label} error={e[id]}>
      <select id={id} name={id} class={selectClass(!!e[id])}>
        <option value="">{props.empty ?? "—"}</option>
        {props.options.map(([value, text]) => (
          <option value={value} selected={props.values[id] === value}>{text}</option>
        ))}
      </select>
    </Field>
  );
}

/** The link that opens a row in the edit form below the list. */
export function EditLink(props: { m: FarmMessages; href: string }) {
  return (
    <a href={props.href} class={`${buttonClass("secondary")} text-sm`}>{props.m.common.edit}</a>
  );
}

/** A list row: name (badged when not in use), the screen's detail lines, and its edit link. */
export function EditRow(
  props: {
    m: FarmMessages;
    name: string;
    active: boolean;
    href: string;
    children: ComponentChildren;
  },
) {
  const { m } = props;
  return (
    <li class="bg-white rounded-lg border border-gray-200 p-3 flex items-start gap-2">
      <div class="flex-1 min-w-0">
        <p class="font-semibold">
          {props.name} {!props.active && <FarmBadge tone="gray">{m.manage.inactive}</FarmBadge>}
        </p>
        {props.children}
      </div>
      <EditLink m={m} href={props.href} />
    </li>
  );
}

/**
 * The add/edit form of a screen posting to `action`: the row being edited (if any) goes along
 * as `id`, and `active` (when given) is the "in use" box shown while editing.
 */
export function EditForm(
  props: {
    m: FarmMessages;
    action: string;
    csrf: string;
    editingId: number | undefined;
    title: string;
    active?: boolean;
    children: ComponentChildren;
  },
) {
  const { m } = props;
  const editing = props.editingId !== undefined;
  return (
    <FormBox id="form" title={props.title}>
      <PostForm csrf={props.csrf} action={props.action} novalidate>
        {editing && <input type="hidden" name="id" value={String(props.editingId)} />}
        {props.children}
        {editing && props.active !== undefined && (
          <label class="flex items-center gap-2 mb-3">
            <input type="checkbox" name="active" checked={props.active} />
            {m.manage.active}
          </label>
        )}
        <div class="flex gap-2">
          <button type="submit" class={`${buttonClass()} flex-1`}>
            {editing ? m.common.save : m.common.add}
          </button>
          {editing && <a href={props.action} class={buttonClass("secondary")}>{m.common.cancel}</a>}
        </div>
      </PostForm>
    </FormBox>
  );
}

/**
 * A list + add/edit screen: header, notices, the rows (an EditRow each with `detail` under the
 * name, or what `row` draws) and the add/edit form around `children` (the fields).
 */
export function ManagePage<R extends { id: number; active?: boolean }>(
  props: {
    m: FarmMessages;
    title: string;
    path: string;
    data: {
      csrf: string;
      saved: boolean;
      rows: R[];
      editId: number | null;
      errors: Record<string, string>;
      values: Record<string, string>;
    };
    intro?: ComponentChildren;
    row?: (r: R) => ComponentChildren;
    detail?: (r: R) => ComponentChildren;
    /** The form's title: editing the row named so, or adding a new one. */
    name: (r: R) => string;
    newTitle: string;
    /** Whether the form has the "in use" box while editing. */
    activeBox?: boolean;
    children: ComponentChildren;
  },
) {
  const { m, data } = props;
  const editing = data.rows.find((x) => x.id === data.editId);
  return (
    <>
      <ManageHeader m={m} title={props.title} />
      {props.intro}
      <Notices m={m} saved={data.saved} errors={data.errors} />
      <ul class="grid gap-2 mb-4">
        {data.rows.map((r) =>
          props.row ? props.row(r) : (
            <EditRow
              m={m}
              name={props.name(r)}
              active={r.active ?? true}
              href={`${props.path}?edit=${r.id}#form`}
            >
              {props.detail?.(r)}
            </EditRow>
          )
        )}
      </ul>
      <EditForm
        m={m}
        action={props.path}
        csrf={data.csrf}
        editingId={editing?.id}
        title={editing ? fill(m.manage.editing, { name: props.name(editing) }) : props.newTitle}
        active={props.activeBox ? data.values.active === "on" : undefined}
      >
        {props.children}
      </EditForm>
    </>
  );
}

/** "In stock: 12.5 kg (FEED-01)", or "not linked" for a row with no stock item. */
export function StockOnHandLine(props: {
  m: FarmMessages;
  lang: "en" | "bn";
  code: string | null;
  units: number | undefined;
  unit: string;
}) {
  const { m } = props;
  return (
    <p class="text-sm text-gray-600">
      {m.stock.inStock}: {props.code
        ? `${fmtNum(props.units ?? 0, props.lang, 1)} ${props.unit} (${props.code})`
        : m.stock.notLinked}
    </p>
  );
}

/** The select that links a row to a stock item ("not linked" first); `label` names each item. */
export function StockItemSelect(
  props: FormState & {
    m: FarmMessages;
    items: FarmStockItem[];
    label: (i: FarmStockItem) => string;
  },
) {
  return (
    <SelectField
      errors={props.errors}
      values={props.values}
      id="stockItemCode"
      label={props.m.stock.stockItem}
      empty={props.m.stock.notLinked}
      options={props.items.map((i) => [i.code, props.label(i)] as const)}
    />
  );
}
