import type { Handlers, PageProps } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import { type AnimalFormData, FarmAnimalForm } from "@/components/FarmAnimalForm.tsx";
import { farmGuard, formValues, refusedForm, title } from "@/routes/farm/(_farm)/farm.ts";

type Data = AnimalFormData;

export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    const f = farmGuard(ctx, "farm.manage");
    title(ctx, f.m.herd.register);
    const groups = await f.farm.listGroups();
    return {
      data: {
        csrf: await ctx.csrfToken(),
        values: { sex: "female", origin: "born", status: "calf" },
        errors: {},
        groups,
      },
    };
  },
  async POST(ctx) {
    const f = farmGuard(ctx, "farm.manage");
    const values = formValues(ctx);
    try {
      const a = await f.farm.createAnimal(values, f.actor.userId);
      return new Response(null, {
        status: 303,
        headers: { location: `/farm/animals/${a.id}?saved=1` },
      });
    } catch (e) {
      title(ctx, f.m.herd.register);
      return await refusedForm(ctx, values, e, { groups: await f.farm.listGroups() });
    }
  },
};

export default function NewAnimal({ data, state }: PageProps<Data, State>) {
  const m = state.t.farm;
  return (
    <>
      <a href="/farm/animals" class="text-sm text-brand-700 underline">← {m.herd.title}</a>
      <h1 class="text-xl font-bold my-3">{m.herd.register}</h1>
      <FarmAnimalForm
        {...data}
        m={m}
        action="/farm/animals/new"
        mode="new"
      />
    </>
  );
}
