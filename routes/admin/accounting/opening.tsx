import type { Context, PageProps } from "@/framework/mod.ts";
import { PageTitle, TextField } from "@/components/IotUi.tsx";
import { buttonClass, inputClass, PostForm } from "@/components/ui.tsx";
import { fiscalYearOf, optionalId } from "@/services/accounting/mod.ts";
import { fillParams } from "@/services/i18n/mod.ts";
import type { State } from "@/state.ts";
import { actorOf, blankForm, type FormData, formPage, saveOr } from "./(_accounting)/lib.ts";
import { AccountingTabs, Done, Errors } from "./(_accounting)/ui.tsx";

interface Data extends FormData {
  posted: number | null;
}

const MAX_CSV = 500_000;

async function pageData(ctx: Context<State>, extra: Partial<Data> = {}): Promise<Data> {
  const today = ctx.state.deps.accounting.today();
  ctx.state.title = ctx.state.t.accounting.opening.title;
  return {
    ...await blankForm(ctx),
    posted: optionalId(ctx.url.searchParams.get("posted"), Number.MAX_SAFE_INTEGER),
    values: { date: fiscalYearOf(today).startsOn, csv: "account_code,debit,credit\n" },
    ...extra,
  };
}

export const handler = formPage(pageData, async (ctx, v) => {
  const file = ctx.form?.get("file");
  let csv = v.csv ?? "";
  if (file instanceof File && file.size > 0) {
    csv = file.size > MAX_CSV ? "\n".repeat(6000) : await file.text();
  }
  return await saveOr(ctx, async () => {
    const e = await ctx.state.deps.accounting.importOpening(
      { csv: csv.slice(0, MAX_CSV), date: v.date ?? "" },
      actorOf(ctx),
    );
    return `/admin/accounting/opening?posted=${e.id}`;
  }, (errors) => pageData(ctx, { values: { ...v, csv }, errors }));
});

export default function Opening({ data, state }: PageProps<Data, State>) {
  const m = state.t.accounting;
  const t = m.opening;
  const form = { values: data.values, errors: data.errors };
  return (
    <>
      <PageTitle title={t.title} intro={t.intro} />
      <AccountingTabs m={m} current="opening" />
      <Done
        text={data.posted ? fillParams(t.done, { id: `#${data.posted}` }) : null}
      />
      {data.posted && (
        <p class="mb-4">
          <a class="text-brand-700 underline" href={`/admin/accounting/entries/${data.posted}`}>
            #{data.posted}
          </a>
        </p>
      )}
      <Errors errors={data.errors} m={m} />
      <PostForm
        csrf={data.csrf}
        action="/admin/accounting/opening"
        enctype="multipart/form-data"
        novalidate
        class="max-w-2xl"
      >
        <TextField id="date" label={t.date} placeholder="YYYY-MM-DD" {...form} />
        <label for="csv" class="block text-sm font-medium mb-1">{t.csv}</label>
        <textarea
          id="csv"
          name="csv"
          rows={12}
          class={`${inputClass(!!data.errors.csv)} w-full font-mono mb-2`}
        >
          {data.values.csv ?? ""}
        </textarea>
        <label for="file" class="block text-sm font-medium mb-1">{t.file}</label>
        <input id="file" name="file" type="file" accept=".csv,text/csv" class="mb-4 block" />
        <button type="submit" class={buttonClass()}>{t.import}</button>
      </PostForm>
    </>
  );
}
