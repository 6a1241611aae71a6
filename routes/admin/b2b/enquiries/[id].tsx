import type { Context, Handlers, PageProps } from "@/framework/mod.ts";
import { PostForm } from "@/components/ui.tsx";
import type { State } from "@/state.ts";
import { formValues } from "@/plugins/forms.ts";
import { ConflictError, type Enquiry, NotFoundError, ValidationError } from "@/services/b2b/mod.ts";
import {
  adminB2bPage,
  b2bStaff,
  COMPANY_FIELDS,
  CompanyFields,
  formInput,
  more,
  msgs,
} from "@/routes/b2b/(_lib)/web.tsx";
import { fieldsOf } from "@/routes/(_lib)/form.ts";

/** Staff turn one wholesale enquiry into an application (checked like the form at /b2b). */

interface Data {
  enquiry: Enquiry;
  values: Record<string, string>;
  errors: Record<string, string>;
  csrf: string;
}

async function enquiryOf(ctx: Context<State>) {
  const id = Number(ctx.params.id);
  const e = (await ctx.state.deps.b2b.enquiries()).find((x) => x.id === id);
  if (!e) throw new NotFoundError("enquiry");
  if (e.application) {
    throw new ConflictError("enquiry_done");
  }
  return e;
}

async function show(
  ctx: Context<State>,
  form?: { values: Record<string, string>; errors: Record<string, string> },
  status = 200,
) {
  const e = await enquiryOf(ctx);
  return await adminB2bPage(ctx, more(ctx.state.lang).makeApplication, status, {
    enquiry: e,
    values: form?.values ?? { "contacts.0.name": e.name, "contacts.0.phone": e.phone },
    errors: form?.errors ?? {},
  });
}

export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    const id = Number(ctx.params.id);
    const e = (await ctx.state.deps.b2b.enquiries()).find((x) => x.id === id);
    if (e?.application) return ctx.redirect(`/admin/b2b/accounts/${e.application.id}`);
    return await show(ctx);
  },
  async POST(ctx) {
    const actor = b2bStaff(ctx);
    const e = await enquiryOf(ctx);
    const v = formValues(ctx);
    let id: number;
    try {
      id = await ctx.state.deps.b2b.applicationFromEnquiry(e.id, {
        ...fieldsOf(v, COMPANY_FIELDS),
        outlets: [{ name: v["outlets.0.name"] ?? "", address: v["outlets.0.address"] ?? "" }],
        contacts: [{ name: v["contacts.0.name"] ?? "", phone: v["contacts.0.phone"] ?? "" }],
      }, actor);
    } catch (err) {
      if (err instanceof ValidationError) {
        return await show(ctx, { values: v, errors: err.fieldErrors }, 422);
      }
      throw err;
    }
    return ctx.redirect(`/admin/b2b/accounts/${id}`);
  },
};

export default function FromEnquiry({ data, state }: PageProps<Data, State>) {
  const t = msgs(state);
  const m = more(state.lang);
  const input = formInput(data, state);
  return (
    <>
      <h1 class="text-2xl font-bold mb-2">{m.makeApplication}</h1>
      <blockquote class="border-l-4 pl-3 mb-4 text-gray-700" data-enquiry-text>
        {data.enquiry.name} ({data.enquiry.phone}): {data.enquiry.message}
      </blockquote>
      <PostForm
        csrf={data.csrf}
        class="bg-white border rounded p-4 grid gap-3 sm:grid-cols-2"
        novalidate
      >
        <CompanyFields input={input} t={t} />
        {input("outlets.0.name", t.outletName)}
        {input("outlets.0.address", t.address)}
        {input("contacts.0.name", t.contactName)}
        {input("contacts.0.phone", t.phone)}
        <div>
          <button type="submit" class="bg-brand-700 text-white rounded px-4 py-2">
            {m.makeApplication}
          </button>
        </div>
      </PostForm>
    </>
  );
}
