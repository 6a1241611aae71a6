import type { PageProps } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import { AdminLayout } from "@/components/AdminLayout.tsx";

/** Every back-office page: the sidebar, and a bar with the signed-in person and the language. */
export default function AdminFrame({ Component, state, url }: PageProps<unknown, State>) {
  const user = state.user;
  const m = state.t.identity;
  const other = state.lang === "en" ? "bn" : "en";
  return (
    <AdminLayout state={state} path={url.pathname} roles={user?.roles ?? []}>
      <div class="flex flex-wrap items-center justify-end gap-x-4 gap-y-1 text-sm mb-4 text-gray-700">
        <a
          href={`/lang?to=${other}&next=${encodeURIComponent(url.pathname + url.search)}`}
          hreflang={other}
          class="hover:text-brand-700"
        >
          {state.t.lang.switchTo}
        </a>
        {user && (
          <a href="/account" class="hover:text-brand-700">
            {user.displayName} · {m.account.title}
          </a>
        )}
      </div>
      <Component />
    </AdminLayout>
  );
}
