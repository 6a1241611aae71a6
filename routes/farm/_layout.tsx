import type { PageProps } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import { FarmLayout } from "@/components/FarmLayout.tsx";
import { layoutCsrf } from "@/routes/farm/(_farm)/farm.ts";

export default function Layout({ Component, state, url }: PageProps<unknown, State>) {
  return (
    <FarmLayout state={state} path={url.pathname} csrf={layoutCsrf.get(state) ?? null}>
      <Component />
    </FarmLayout>
  );
}
