import type { Context, Handlers, PageProps } from "@/framework/mod.ts";
import { formValues } from "@/plugins/forms.ts";
import type { State } from "@/state.ts";
import { MEMBER_ROLES, type MemberRole } from "@/services/b2b/mod.ts";
import { ListTable, PostForm } from "@/components/ui.tsx";
import {
  B2bLayout,
  blankPortalForm,
  fieldErrors,
  formInput,
  memberPage,
  msgs,
  PortalField,
  type PortalForm,
  portalMember,
  refusedForm,
} from "./(_lib)/web.tsx";

interface Data {
  members: { userId: string; role: MemberRole; name: string }[];
  isAdmin: boolean;
  values: Record<string, string>;
  errors: Record<string, string>;
  csrf: string;
}

function show(ctx: Context<State>, form: PortalForm = blankPortalForm(), status = 200) {
  return memberPage(ctx, msgs(ctx.state).users, status, async (m) => ({
    members: await ctx.state.deps.b2b.membersNamed(m.account.id),
    isAdmin: m.role === "admin",
    ...form,
  }));
}

export const handler: Handlers<Data, State> = {
  GET: (ctx) => show(ctx),
  async POST(ctx) {
    const { user, m } = await portalMember(ctx);
    const v = formValues(ctx);
    try {
      await ctx.state.deps.b2b.inviteMember(
        user.id,
        m.account.id,
        v.identifier ?? "",
        v.role as MemberRole,
      );
    } catch (e) {
      const { form, status } = refusedForm(e, v, { field: "identifier", status: 403 });
      return await show(ctx, form, status);
    }
    return ctx.redirect("/b2b/users");
  },
};

export default function B2bUsers({ data, state, url }: PageProps<Data, State>) {
  const t = msgs(state);
  const err = fieldErrors(data.errors, state);
  return (
    <B2bLayout state={state} path={url.pathname}>
      <h1 class="text-2xl font-bold mb-4">{t.users}</h1>
      <ListTable heads={[t.contactName, t.role]} empty={t.noUsers} class="mb-4">
        {data.members.map((m) => (
          <tr class="border-t" data-member={m.role}>
            <td class="px-3 py-2">{m.name}</td>
            <td class="px-3 py-2">{t.roles[m.role]}</td>
          </tr>
        ))}
      </ListTable>
      {data.isAdmin && (
        <PostForm
          csrf={data.csrf}
          class="bg-white border rounded p-4 flex flex-wrap gap-3 items-end"
        >
          <h2 class="font-semibold w-full">{t.addUser}</h2>
          {formInput(data, state)("identifier", t.identifier)}
          <PortalField label={t.role} error={err("role")}>
            <select name="role" class="border rounded px-2 py-1">
              {MEMBER_ROLES.map((r) => (
                <option value={r} selected={data.values.role === r}>{t.roles[r]}</option>
              ))}
            </select>
          </PortalField>
          <button type="submit" class="bg-brand-700 text-white rounded px-4 py-2">{t.add}</button>
        </PostForm>
      )}
    </B2bLayout>
  );
}
