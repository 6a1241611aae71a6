import type { Handlers, PageProps } from "@/framework/mod.ts";
import { assertSignedIn } from "@/plugins/session.ts";
import { field } from "@/plugins/auth_forms.ts";
import type { State } from "@/state.ts";
import { AccountPage } from "@/components/AccountNav.tsx";
import { AuthNotice } from "@/components/AuthCard.tsx";
import { dhakaDate, dhakaTime, PRIVACY_TEXT } from "@/services/privacy/mod.ts";

interface Data {
  csrf: string;
  requests: { kind: "export" | "deletion"; status: "requested" | "completed"; at: string }[];
  confirm?: string;
  error?: string;
}

/**
 * The customer's data: download it (?format=json or csv, recorded and audited) or have the
 * personal part deleted (typed confirmation; services/privacy).
 */
export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    const me = assertSignedIn(ctx);
    const privacy = ctx.state.deps.privacy;
    const format = ctx.url.searchParams.get("format");
    if (format === "json" || format === "csv") {
      const data = await privacy.exportCustomer(me.id);
      const day = dhakaDate(ctx.state.deps.clock.now());
      const body = format === "json" ? JSON.stringify(data, null, 2) : privacy.exportCsv(data);
      return new Response(body, {
        headers: {
          "content-type": format === "json"
            ? "application/json; charset=utf-8"
            : "text/csv; charset=utf-8",
          "content-disposition": `attachment; filename="smartdairy-my-data-${day}.${format}"`,
          "cache-control": "no-store",
        },
      });
    }
    if (format !== null) return new Response("Unknown format", { status: 400 });
    return { data: await pageData(ctx, me.id) };
  },

  async POST(ctx) {
    const me = assertSignedIn(ctx);
    const t = PRIVACY_TEXT[ctx.state.lang];
    const confirm = field(ctx, "confirm").trim();
    if (confirm !== t.confirmWord) {
      return {
        status: 422,
        data: { ...await pageData(ctx, me.id), confirm, error: t.confirmWrong },
      };
    }
    await ctx.state.deps.privacy.requestDeletion(me.id);
    return new Response(null, { status: 303, headers: { location: "/?account=deleted" } });
  },
};

async function pageData(
  ctx: Parameters<NonNullable<Handlers<Data, State>["GET"]>>[0],
  userId: string,
): Promise<Data> {
  ctx.state.title = `${PRIVACY_TEXT[ctx.state.lang].title} — ${ctx.state.t.site.name}`;
  const requests = await ctx.state.deps.privacy.requests(userId);
  return {
    csrf: await ctx.csrfToken(),
    requests: requests.map((r) => ({
      kind: r.kind,
      status: r.status,
      at: `${dhakaDate(r.requestedAt)} ${dhakaTime(r.requestedAt)}`,
    })),
  };
}

export default function Privacy({ data, state, url }: PageProps<Data, State>) {
  const t = PRIVACY_TEXT[state.lang];
  return (
    <AccountPage state={state} path={url.pathname} title={t.title}>
      <section class="bg-white border border-gray-200 rounded-lg p-4 mb-4 max-w-xl space-y-3">
        <h2 class="text-xl font-semibold">{t.downloadTitle}</h2>
        <p class="text-sm text-gray-700">{t.downloadIntro}</p>
        <div class="flex flex-wrap gap-2">
          <a href="/account/privacy?format=json" class="rounded bg-brand-600 text-white px-4 py-2">
            {t.json}
          </a>
          <a
            href="/account/privacy?format=csv"
            class="rounded border border-gray-400 bg-white px-4 py-2"
          >
            {t.csv}
          </a>
        </div>
      </section>
      <form
        method="post"
        action="/account/privacy"
        class="bg-white border border-red-200 rounded-lg p-4 mb-4 max-w-xl space-y-3"
        data-delete
      >
        <h2 class="text-xl font-semibold">{t.deleteTitle}</h2>
        <p class="text-sm text-gray-700">{t.deleteIntro}</p>
        <input type="hidden" name="_csrf" value={data.csrf} />
        {data.error && <AuthNotice kind="error">{data.error}</AuthNotice>}
        <label class="block">
          <span class="block text-sm font-medium">{t.confirmLabel}</span>
          <input
            name="confirm"
            value={data.confirm ?? ""}
            autocomplete="off"
            class="mt-1 w-full rounded border border-gray-300 px-3 py-2"
            aria-invalid={data.error ? "true" : undefined}
          />
        </label>
        <button type="submit" class="rounded bg-red-700 text-white px-4 py-2">
          {t.deleteButton}
        </button>
      </form>
      {data.requests.length > 0 && (
        <section class="max-w-xl">
          <h2 class="text-xl font-semibold mb-2">{t.requests}</h2>
          <ul class="text-sm list-disc pl-5">
            {data.requests.map((r) => (
              <li>
                {t.kinds[r.kind]} — {r.at} — {t.statuses[r.status]}
              </li>
            ))}
          </ul>
        </section>
      )}
    </AccountPage>
  );
}
