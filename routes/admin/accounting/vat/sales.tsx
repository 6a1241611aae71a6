import type { Context, PageProps } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import { type RegisterData, registerHandler, RegisterPage } from "../(_accounting)/register.tsx";

export const handler = { GET: (ctx: Context<State>) => registerHandler(ctx, "sales") };

export default function Page({ data, state }: PageProps<RegisterData, State>) {
  return <RegisterPage data={data} lang={state.lang} accounting={state.t.accounting} />;
}
