import type { PageProps } from "@/framework/mod.ts";
import { messages } from "@/services/i18n/mod.ts";
import type { State } from "@/state.ts";
import { SiteLayout } from "@/components/SiteLayout.tsx";

interface ErrorData {
  status: number;
  message: string;
}

/** Every error page: the status and a message meant for the user, never a stack trace. */
export default function ErrorPage({ data, state, url }: PageProps<ErrorData, State>) {
  // The error may have happened before the language middleware ran.
  state.t ??= messages("en");
  state.lang ??= "en";
  const { t } = state;
  return (
    <SiteLayout state={state} path={url.pathname}>
      <h1 class="text-3xl font-bold mb-3">
        {data.status >= 500 ? t.errors.errorTitle : data.message}
      </h1>
      <p class="mb-4 text-gray-700">{data.status >= 500 ? data.message : `${data.status}`}</p>
      <a href="/" class="text-brand-700 underline">{t.errors.back}</a>
    </SiteLayout>
  );
}
