import type { Handlers, PageProps } from "@/framework/mod.ts";
import type { State } from "@/state.ts";

import { farmGuard, formValues, refusedForm, title } from "@/routes/farm/(_farm)/farm.ts";
import { AlertBox, SavedNotice } from "@/components/FarmUi.tsx";
import { buttonClass, Field, inputClass, PostForm } from "@/components/ui.tsx";

interface Data {
  csrf: string;
  values: Record<string, string>;
  errors: Record<string, string>;
  saved: boolean;
}

const FIELDS = [
  ["voluntaryWaitingPeriodDays", "vwp"],
  ["pregnancyCheckDays", "check"],
  ["gestationDays", "gestation"],
  ["dryPeriodDays", "dry"],
  ["minCalvingGapDays", "gap"],
  ["heiferBreedingAgeDays", "heifer"],
] as const;

export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    const f = farmGuard(ctx, "farm.manage");
    title(ctx, f.m.settings.title);
    const s = await f.farm.getSettings();
    const values = Object.fromEntries(Object.entries(s).map(([k, v]) => [k, String(v)]));
    return {
      data: {
        csrf: await ctx.csrfToken(),
        values,
        errors: {},
        saved: ctx.url.searchParams.has("saved"),
      },
    };
  },
  async POST(ctx) {
    const f = farmGuard(ctx, "farm.manage");
    const values = formValues(ctx);
    try {
      await f.farm.updateSettings(values as never, f.actor.userId);
      return new Response(null, { status: 303, headers: { location: "/farm/settings?saved=1" } });
    } catch (e) {
      title(ctx, f.m.settings.title);
      return await refusedForm(ctx, values, e, { saved: false });
    }
  },
};

export default function Settings({ data, state }: PageProps<Data, State>) {
  const m = state.t.farm;
  const e = data.errors;
  return (
    <>
      <h1 class="text-xl font-bold mb-3">{m.settings.title}</h1>
      <SavedNotice shown={data.saved} m={m} />
      <PostForm csrf={data.csrf} class="bg-white rounded-lg border border-gray-200 p-3" novalidate>
        {Object.keys(e).length > 0 && (
          <AlertBox class="mb-3">
            {m.common.fixErrors}
          </AlertBox>
        )}
        {FIELDS.map(([name, key]) => (
          <Field
            id={name}
            label={m.settings[key]}
            error={e[name]}
            hint={key === "vwp" ? m.settings.vwpHelp : undefined}
          >
            <input
              id={name}
              name={name}
              type="number"
              inputMode="numeric"
              value={data.values[name] ?? ""}
              class={inputClass(!!e[name])}
              aria-invalid={e[name] ? "true" : undefined}
            />
          </Field>
        ))}
        <button type="submit" class={`${buttonClass()} w-full`}>{m.common.save}</button>
      </PostForm>
    </>
  );
}
