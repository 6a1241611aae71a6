import type { PageProps } from "@/framework/mod.ts";
import { HttpError } from "@/framework/mod.ts";
import { Button, Field, inputClass, PostForm } from "@/components/ui.tsx";
import type { State } from "@/state.ts";
import { intakeError } from "@/services/intake/mod.ts";
import { FarmerFrame, setFarmerCookie } from "./(_farmer)/farmer.tsx";

interface Data {
  csrf: string;
  step: "phone" | "code";
  phone: string;
  sent: boolean;
  error: string | null;
}

/**
 * The farmer signs in with the phone number the collection point registered and a one-time
 * code sent by SMS; the page then keeps a signed access cookie for /farmer only.
 */
export const handler = {
  async GET(ctx: import("@/framework/mod.ts").Context<State>) {
    ctx.state.title = ctx.state.t.intake.farmer.signIn;
    const data: Data = {
      csrf: await ctx.csrfToken(),
      step: "phone",
      phone: "",
      sent: false,
      error: null,
    };
    return { data };
  },
  async POST(ctx: import("@/framework/mod.ts").Context<State>) {
    const intake = ctx.state.deps.intake;
    const f = ctx.form;
    const phone = String(f?.get("phone") ?? "").slice(0, 40);
    const base = { csrf: await ctx.csrfToken(), phone, sent: false, error: null };
    ctx.state.title = ctx.state.t.intake.farmer.signIn;
    const step = f?.get("step");
    try {
      if (step === "phone") {
        await intake.startFarmerSignIn({ phone });
        return { data: { ...base, step: "code", sent: true } satisfies Data };
      }
      if (step === "code") {
        const { token } = await intake.completeFarmerSignIn({
          phone,
          code: String(f?.get("code") ?? "").slice(0, 20),
        });
        setFarmerCookie(ctx, token);
        return ctx.redirect("/farmer");
      }
    } catch (e) {
      const err = intakeError(ctx.state.t, e);
      return {
        status: err.status,
        data: { ...base, step: step === "code" ? "code" : "phone", error: err.message } as Data,
      };
    }
    throw new HttpError(400, "Unknown step");
  },
};

export default function FarmerSignIn({ data, state, url }: PageProps<Data, State>) {
  const m = state.t.intake.farmer;
  return (
    <FarmerFrame state={state} path={url.pathname}>
      <h1 class="text-xl font-semibold mb-2">{m.signIn}</h1>
      {data.sent && <p class="mb-3 text-green-800" role="status">{m.codeSent}</p>}
      {data.error && <p class="mb-3 text-red-700" role="alert">{data.error}</p>}
      <PostForm csrf={data.csrf} action="/farmer/signin">
        <input type="hidden" name="step" value={data.step} />
        {data.step === "phone"
          ? (
            <>
              <p class="mb-3 text-gray-700">{m.signInIntro}</p>
              <Field id="phone" label={state.t.intake.f.phone}>
                <input
                  id="phone"
                  name="phone"
                  type="tel"
                  inputMode="tel"
                  autoComplete="tel"
                  required
                  maxLength={20}
                  value={data.phone}
                  class={inputClass()}
                />
              </Field>
              <Button>{m.sendCode}</Button>
            </>
          )
          : (
            <>
              <input type="hidden" name="phone" value={data.phone} />
              <Field id="code" label={m.code}>
                <input
                  id="code"
                  name="code"
                  inputMode="numeric"
                  autoComplete="one-time-code"
                  pattern="[0-9]{6}"
                  maxLength={6}
                  required
                  class={inputClass(!!data.error)}
                />
              </Field>
              <Button>{m.verify}</Button>
            </>
          )}
      </PostForm>
    </FarmerFrame>
  );
}
