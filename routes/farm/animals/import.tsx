import type { Handlers, PageProps } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import { fill, type ImportReport, MAX_IMPORT_BYTES } from "@/services/farm/mod.ts";
import { AlertBox, FarmCard, FarmTable, td, tdNum } from "@/components/FarmUi.tsx";
import { buttonClass, Field, inputClass, PostForm } from "@/components/ui.tsx";
import { farmGuard, formErrors, title } from "@/routes/farm/(_farm)/farm.ts";

interface Data {
  csrf: string;
  report: ImportReport | null;
  errors: Record<string, string>;
}

export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    const f = farmGuard(ctx, "farm.manage");
    title(ctx, f.m.importPage.title);
    return { data: { csrf: await ctx.csrfToken(), report: null, errors: {} } };
  },
  async POST(ctx) {
    const f = farmGuard(ctx, "farm.manage");
    title(ctx, f.m.importPage.title);
    const file = ctx.form?.get("file");
    const csrf = await ctx.csrfToken();
    if (!(file instanceof File) || file.size === 0) {
      return { status: 422, data: { csrf, report: null, errors: { file: "Choose a CSV file" } } };
    }
    if (file.size > MAX_IMPORT_BYTES) {
      return {
        status: 422,
        data: { csrf, report: null, errors: { file: "The file is larger than 1 MB" } },
      };
    }
    try {
      const report = await f.farm.importAnimalsCsv(await file.text(), f.actor.userId);
      return { status: report.rejected.length ? 422 : 200, data: { csrf, report, errors: {} } };
    } catch (e) {
      return { status: 422, data: { csrf, report: null, errors: formErrors(ctx.state.t, e) } };
    }
  },
};

export default function ImportPage({ data, state }: PageProps<Data, State>) {
  const m = state.t.farm;
  const r = data.report;
  return (
    <>
      <a href="/farm/animals" class="text-sm text-brand-700 underline">← {m.herd.title}</a>
      <h1 class="text-xl font-bold my-3">{m.importPage.title}</h1>
      {r && (
        <FarmCard>
          <p role="status" class="font-semibold text-green-800">
            {fill(m.importPage.created, { n: r.created.length })}
          </p>
          {r.rejected.length > 0 && (
            <>
              <p role="alert" class="font-semibold text-red-700 mt-1">
                {fill(m.importPage.rejected, { n: r.rejected.length })}
              </p>
              <FarmTable
                head={[m.importPage.line, m.common.tag, m.importPage.reasons]}
                numeric={[0]}
              >
                {r.rejected.map((x) => (
                  <tr data-line={x.line}>
                    <td class={tdNum}>{x.line}</td>
                    <td class={td}>{x.tag || "—"}</td>
                    <td class={td}>
                      <ul>{x.reasons.map((why) => <li>{why}</li>)}</ul>
                    </td>
                  </tr>
                ))}
              </FarmTable>
            </>
          )}
          {r.warnings.length > 0 && (
            <>
              <h2 class="font-semibold mt-2">{m.importPage.warnings}</h2>
              <ul class="text-sm list-disc pl-5">{r.warnings.map((w) => <li>{w}</li>)}</ul>
            </>
          )}
        </FarmCard>
      )}
      <PostForm
        csrf={data.csrf}
        enctype="multipart/form-data"
        class="bg-white rounded-lg border border-gray-200 p-3"
      >
        <p class="text-sm text-gray-700 mb-3">{m.importPage.intro}</p>
        {data.errors.form && <AlertBox>{data.errors.form}</AlertBox>}
        <Field id="file" label={m.importPage.file} error={data.errors.file}>
          <input
            id="file"
            name="file"
            type="file"
            accept=".csv,text/csv"
            class={inputClass(!!data.errors.file)}
          />
        </Field>
        <button type="submit" class={buttonClass()}>{m.importPage.upload}</button>
      </PostForm>
    </>
  );
}
