import { type Handlers, HttpError, type PageProps } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import { type AnimalFormData, FarmAnimalForm } from "@/components/FarmAnimalForm.tsx";
import { farmGuard, formValues, intParam, refusedForm, title } from "@/routes/farm/(_farm)/farm.ts";

interface Data extends AnimalFormData {
  id: number;
  tag: string;
}

export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    const f = farmGuard(ctx, "farm.manage");
    const id = intParam(ctx.params.id);
    const a = await f.farm.getAnimal(id);
    if (!a) throw new HttpError(404);
    title(ctx, `${f.m.common.edit} ${a.tag}`);
    const groups = await f.farm.listGroups();
    const values: Record<string, string> = {
      tag: a.tag,
      rfid: a.rfid ?? "",
      name: a.name ?? "",
      breed: a.breed,
      birthDate: a.birthDate ?? "",
      damTag: a.damTag ?? "",
      sireTag: a.sireTag ?? a.sireBullCode ?? "",
      groupCode: groups.find((g) => g.id === a.groupId)?.code ?? "",
      notes: a.notes ?? "",
    };
    return { data: { id, tag: a.tag, csrf: await ctx.csrfToken(), values, errors: {}, groups } };
  },
  async POST(ctx) {
    const f = farmGuard(ctx, "farm.manage");
    const id = intParam(ctx.params.id);
    const values = formValues(ctx);
    try {
      await f.farm.updateAnimal(id, values, f.actor.userId);
      return new Response(null, {
        status: 303,
        headers: { location: `/farm/animals/${id}?saved=1` },
      });
    } catch (e) {
      title(ctx, f.m.common.edit);
      return await refusedForm(ctx, values, e, {
        id,
        tag: values.tag ?? "",
        groups: await f.farm.listGroups(),
      });
    }
  },
};

export default function EditAnimal({ data, state }: PageProps<Data, State>) {
  const m = state.t.farm;
  return (
    <>
      <a href={`/farm/animals/${data.id}`} class="text-sm text-brand-700 underline">← {data.tag}</a>
      <h1 class="text-xl font-bold my-3">{m.common.edit} {data.tag}</h1>
      <FarmAnimalForm
        {...data}
        m={m}
        action={`/farm/animals/${data.id}/edit`}
        mode="edit"
      />
    </>
  );
}
