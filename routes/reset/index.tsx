import type { Handlers, PageProps } from "@/framework/mod.ts";
import { field, type FieldErrors, formAgain, sendCode } from "@/plugins/auth_forms.ts";
import type { State } from "@/state.ts";
import { AskCodeCard } from "@/components/AuthCard.tsx";

interface Data {
  csrf: string;
  identifier: string;
  errors: FieldErrors;
  error?: string;
}

/** Password reset, step 1: a code to the phone or email (the same answer whether or not it exists). */
export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    ctx.state.title = `${ctx.state.t.identity.reset.title} — ${ctx.state.t.site.name}`;
    return { data: { csrf: await ctx.csrfToken(), identifier: "", errors: {} } };
  },

  POST(ctx) {
    const identifier = field(ctx, "identifier").trim();
    ctx.state.title = `${ctx.state.t.identity.reset.title} — ${ctx.state.t.site.name}`;
    return sendCode(ctx, {
      again: formAgain(ctx, { identifier }),
      send: () => ctx.state.deps.identity.startPasswordReset({ identifier }),
      flow: { purpose: "reset", identifier },
      verify: "/reset/verify",
    });
  },
};

export default function Reset({ data, state, url }: PageProps<Data, State>) {
  return (
    <AskCodeCard
      state={state}
      path={url.pathname}
      words={state.t.identity.reset}
      action="/reset"
      data={data}
    />
  );
}
