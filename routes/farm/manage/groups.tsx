import type { Context, Handlers, PageProps } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import { GROUP_KINDS, type GroupRow } from "@/services/farm/mod.ts";
import { FarmBadge } from "@/components/FarmUi.tsx";
import { buttonClass, Field, inputClass, PostForm } from "@/components/ui.tsx";
import { type FarmCtx, farmGuard, formValues, intParam } from "@/routes/farm/(_farm)/farm.ts";
import { manageErrors, pageBase, seeOther } from "@/routes/farm/manage/(_manage)/manage.ts";
import { FormBox, ManageHeader, Notices, selectClass } from "@/routes/farm/manage/(_manage)/ui.tsx";

interface Data {
  csrf: string;
  groups: GroupRow[];
  /** The group whose rename form is open (from ?edit= or the failed post). */
  editId: number | null;
  values: Record<string, string>;
  errors: Record<string, string>;
  saved: boolean;
}

export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    const f = farmGuard(ctx, "farm.manage");
    const base = await pageBase(ctx, f.m.manage.groups);
    const groups = await f.farm.listAllGroups();
    const edit = ctx.url.searchParams.get("edit");
    const g = edit ? groups.find((x) => x.id === Number(edit)) : undefined;
    return {
      data: {
        ...base,
        groups,
        editId: g?.id ?? null,
        values: g ? { name: g.name, pen: g.pen ?? "" } : {} as Record<string, string>,
        errors: {},
      },
    };
  },
  async POST(ctx) {
    const f = farmGuard(ctx, "farm.manage");
    const values = formValues(ctx);
    const action = values._action;
    const id = action === "create" ? null : intParam(values.id);
    try {
      if (action === "create") await f.farm.createGroup(values as never, f.actor);
      else if (action === "rename") await f.farm.renameGroup(id!, values as never, f.actor);
      else if (action === "deactivate") await f.farm.setGroupActive(id!, false, f.actor);
      else if (action === "activate") await f.farm.setGroupActive(id!, true, f.actor);
      else {return {
          status: 400,
          data: await page(ctx, f, null, values, { form: f.m.reasons.invalid }),
        };}
      return seeOther("/farm/manage/groups?saved=1");
    } catch (e) {
      const errors = manageErrors(ctx.state.t, e);
      return {
        status: 422,
        data: await page(ctx, f, action === "rename" ? id : null, values, errors),
      };
    }
  },
};

async function page(
  ctx: Context<State>,
  f: FarmCtx,
  editId: number | null,
  values: Record<string, string>,
  errors: Record<string, string>,
): Promise<Data> {
  const base = await pageBase(ctx, f.m.manage.groups);
  return {
    ...base,
    groups: await f.farm.listAllGroups(),
    editId,
    values,
    errors,
    saved: false,
  };
}

export default function Groups({ data, state }: PageProps<Data, State>) {
  const m = state.t.farm;
  const e = data.errors;
  const creating = data.editId === null;
  const v = data.values;
  return (
    <>
      <ManageHeader m={m} title={m.manage.groups} />
      <Notices m={m} saved={data.saved} errors={e} />
      <ul class="grid gap-2 mb-4">
        {data.groups.map((g) => (
          <li class="bg-white rounded-lg border border-gray-200 p-3">
            <div class="flex flex-wrap items-baseline gap-2">
              <span class="font-mono text-sm">{g.code}</span>
              <span class="font-semibold">{g.name}</span>
              <FarmBadge tone={g.active ? "green" : "gray"}>
                {g.active ? m.manage.active : m.manage.inactive}
              </FarmBadge>
            </div>
            <p class="text-sm text-gray-600">
              {m.manage.groupKind[g.kind] ?? g.kind}
              {g.pen ? ` · ${m.manage.pen}: ${g.pen}` : ""} · {m.manage.head}: {g.head}
            </p>
            {data.editId === g.id
              ? (
                <PostForm csrf={data.csrf} class="mt-2" novalidate>
                  <input type="hidden" name="_action" value="rename" />
                  <input type="hidden" name="id" value={String(g.id)} />
                  <Field id={`name-${g.id}`} label={m.common.name} error={e.name}>
                    <input
                      id={`name-${g.id}`}
                      name="name"
                      value={v.name ?? ""}
                      class={inputClass(!!e.name)}
                      aria-invalid={e.name ? "true" : undefined}
                    />
                  </Field>
                  <Field id={`pen-${g.id}`} label={m.manage.pen} error={e.pen}>
                    <input
                      id={`pen-${g.id}`}
                      name="pen"
                      value={v.pen ?? ""}
                      class={inputClass(!!e.pen)}
                    />
                  </Field>
                  <div class="flex gap-2">
                    <button type="submit" class={buttonClass()}>{m.common.save}</button>
                    <a href="/farm/manage/groups" class={buttonClass("secondary")}>
                      {m.common.cancel}
                    </a>
                  </div>
                </PostForm>
              )
              : (
                <div class="mt-2 flex flex-wrap gap-2">
                  <a
                    href={`/farm/manage/groups?edit=${g.id}`}
                    class={`${buttonClass("secondary")} text-sm`}
                  >
                    {m.manage.rename}
                  </a>
                  <PostForm csrf={data.csrf} class="m-0">
                    <input
                      type="hidden"
                      name="_action"
                      value={g.active ? "deactivate" : "activate"}
                    />
                    <input type="hidden" name="id" value={String(g.id)} />
                    <button type="submit" class={`${buttonClass("secondary")} text-sm`}>
                      {g.active ? m.manage.deactivate : m.manage.activate}
                    </button>
                  </PostForm>
                </div>
              )}
          </li>
        ))}
      </ul>
      <FormBox title={m.manage.newGroup} id="new">
        <PostForm csrf={data.csrf} novalidate>
          <input type="hidden" name="_action" value="create" />
          <Field id="code" label={m.manage.code} error={creating ? e.code : undefined}>
            <input
              id="code"
              name="code"
              value={creating ? v.code ?? "" : ""}
              autocapitalize="characters"
              class={inputClass(creating && !!e.code)}
              aria-invalid={creating && e.code ? "true" : undefined}
            />
          </Field>
          <Field id="name" label={m.common.name} error={creating ? e.name : undefined}>
            <input
              id="name"
              name="name"
              value={creating ? v.name ?? "" : ""}
              class={inputClass(creating && !!e.name)}
              aria-invalid={creating && e.name ? "true" : undefined}
            />
          </Field>
          <Field id="kind" label={m.manage.kind} error={creating ? e.kind : undefined}>
            <select id="kind" name="kind" class={selectClass(creating && !!e.kind)}>
              <option value="">—</option>
              {GROUP_KINDS.map((k) => (
                <option value={k} selected={creating && v.kind === k}>
                  {m.manage.groupKind[k]}
                </option>
              ))}
            </select>
          </Field>
          <Field id="pen" label={m.manage.pen} error={creating ? e.pen : undefined}>
            <input
              id="pen"
              name="pen"
              value={creating ? v.pen ?? "" : ""}
              class={inputClass(creating && !!e.pen)}
            />
          </Field>
          <button type="submit" class={`${buttonClass()} w-full`}>{m.common.add}</button>
        </PostForm>
      </FormBox>
    </>
  );
}
