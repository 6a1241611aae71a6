import type { ComponentChildren } from "preact";
import { SiteLayout } from "@/components/SiteLayout.tsx";
import { Field, inputClass } from "@/components/ui.tsx";
import type { AskCodeData, CodeStepData } from "@/plugins/auth_forms.ts";
import type { PageProps } from "@/framework/mod.ts";
import type { IdentityMessages } from "@/services/identity/mod.ts";
import type { State } from "@/state.ts";

/** A narrow card on the public site for the sign-in, sign-up and reset steps. */
export function AuthCard(
  props: { state: State; path: string; title: string; children: ComponentChildren },
) {
  return (
    <SiteLayout state={props.state} path={props.path}>
      <div class="max-w-md mx-auto">
        <div class="bg-white border border-gray-200 rounded-lg p-4 sm:p-6 shadow-sm">
          <h1 class="text-2xl font-bold mb-3 text-brand-900">{props.title}</h1>
          {props.children}
        </div>
      </div>
    </SiteLayout>
  );
}

/** A message above a form: `error` for problems (role=alert), `ok` and `info` for news. */
export function AuthNotice(
  props: { kind: "error" | "ok" | "info"; children: ComponentChildren },
) {
  const cls = props.kind === "error"
    ? "bg-red-100 text-red-900"
    : props.kind === "ok"
    ? "bg-green-100 text-green-900"
    : "bg-brand-50 text-brand-900";
  return (
    <div role={props.kind === "error" ? "alert" : "status"} class={`rounded p-3 mb-4 ${cls}`}>
      {props.children}
    </div>
  );
}

/** The form's primary button, full width on phones. */
export function AuthSubmit(props: { children: ComponentChildren; name?: string; value?: string }) {
  return (
    <button
      type="submit"
      name={props.name}
      value={props.value}
      class="w-full sm:w-auto rounded bg-brand-600 hover:bg-brand-700 text-white font-semibold px-5 py-2"
    >
      {props.children}
    </button>
  );
}

/** The phone-or-email field of the sign-in, sign-up and reset forms (hint under it if given). */
export function IdentifierField(
  props: { label: string; value: string; errors?: string[]; hint?: string; placeholder?: string },
) {
  return (
    <Field id="identifier" label={props.label} error={props.errors}>
      <input
        id="identifier"
        name="identifier"
        value={props.value}
        autocomplete="username"
        autocapitalize="none"
        spellcheck={false}
        required
        placeholder={props.placeholder}
        aria-describedby={props.hint ? "identifier-hint" : undefined}
        class={inputClass(!!props.errors?.length)}
        aria-invalid={props.errors?.length ? "true" : undefined}
      />
      {props.hint && <p id="identifier-hint" class="text-sm text-gray-600 mt-1">{props.hint}</p>}
    </Field>
  );
}

/** The words of an "ask for a code" step (`m.reset`, `m.codeSignin` of the identity messages). */
export interface AskCodeWords {
  title: string;
  intro: string;
  submit: string;
}

/**
 * The default export of the "send me a code" step of the reset and sign-in-by-code flows: one
 * phone-or-email field posted to `action`, and the way back to password sign-in.
 */
export function askCodePage(words: (m: IdentityMessages) => AskCodeWords, action: string) {
  return function AskCodePage({ data, state, url }: PageProps<AskCodeData, State>) {
    const m = state.t.identity;
    return (
      <AuthCard state={state} path={url.pathname} title={words(m).title}>
        {data.error && <AuthNotice kind="error">{data.error}</AuthNotice>}
        <p class="mb-4 text-gray-700">{words(m).intro}</p>
        <form method="post" action={action} novalidate>
          <input type="hidden" name="_csrf" value={data.csrf} />
          <IdentifierField
            label={m.common.identifier}
            value={data.identifier}
            errors={data.errors.identifier}
          />
          <AuthSubmit>{words(m).submit}</AuthSubmit>
        </form>
        <p class="mt-5 text-sm">
          <a href="/signin" class="text-brand-700 underline">{m.common.signIn}</a>
        </p>
      </AuthCard>
    );
  };
}

/** A new password (at least 10 characters) with its hint under it. */
/**
 * "Keep me signed in on this device": a rotating device token that opens a new session when the
 * old one idles out (password, code and social sign-in all offer it).
 */
export function KeepSignedIn(props: { m: IdentityMessages; checked?: boolean }) {
  return (
    <div class="mb-4">
      <label class="flex items-start gap-2">
        <input
          type="checkbox"
          name="remember"
          value="1"
          checked={props.checked}
          aria-describedby="remember-hint"
          class="mt-1 h-5 w-5"
        />
        <span>{props.m.devices.keep}</span>
      </label>
      <p id="remember-hint" class="ml-7 text-sm text-gray-600">{props.m.devices.keepHint}</p>
    </div>
  );
}

export function NewPasswordField(
  props: { name: string; label: string; hint: string; errors?: string[] },
) {
  const { name } = props;
  return (
    <Field id={name} label={props.label} error={props.errors}>
      <input
        id={name}
        name={name}
        type="password"
        autocomplete="new-password"
        required
        minlength={10}
        aria-describedby={`${name}-hint`}
        class={inputClass(!!props.errors)}
        aria-invalid={props.errors ? "true" : undefined}
      />
      <p id={`${name}-hint`} class="text-sm text-gray-600 mt-1">{props.hint}</p>
    </Field>
  );
}

/** The six-digit code from a message or the authenticator app (`class` adds to the input's). */
export function SentCodeField(props: {
  label: string;
  errors?: string[];
  invalid: boolean;
  autofocus?: boolean;
  class?: string;
}) {
  return (
    <Field id="code" label={props.label} error={props.errors}>
      <input
        id="code"
        name="code"
        inputmode="numeric"
        autocomplete="one-time-code"
        pattern="[0-9]*"
        maxlength={6}
        required
        autofocus={props.autofocus}
        class={`${inputClass(props.invalid)} text-lg tracking-widest${
          props.class ? ` ${props.class}` : ""
        }`}
      />
    </Field>
  );
}

/**
 * The second-factor form posted to `action`: an authenticator code or a recovery code (with the
 * hint about the latter), carrying the CSRF token and where to go next.
 */
export function SecondFactorForm(props: {
  action: string;
  data: { csrf: string; next: string; error?: string };
  m: IdentityMessages;
  /** Whose label and button: sign-in's second step, or the step-up. */
  words: "verify" | "stepUp";
}) {
  const { data, m } = props;
  return (
    <form method="post" action={props.action} novalidate>
      <input type="hidden" name="_csrf" value={data.csrf} />
      <input type="hidden" name="next" value={data.next} />
      <Field id="code" label={m[props.words].code}>
        <input
          id="code"
          name="code"
          autocomplete="one-time-code"
          inputmode="text"
          autocapitalize="none"
          spellcheck={false}
          required
          autofocus
          maxlength={20}
          class={`${inputClass(!!data.error)} text-lg tracking-widest`}
        />
      </Field>
      <p class="text-sm text-gray-600 mb-4">{m.verify.recoveryHint}</p>
      <AuthSubmit>{m[props.words].submit}</AuthSubmit>
    </form>
  );
}

/** The words of a code step (`m.signup`, `m.reset`, `m.codeSignin` of the identity messages). */
export interface CodeStepWords {
  verifyTitle: string;
  verifyIntro: (sentTo: string) => string;
  verifySubmit: string;
  startAgain: string;
}

/**
 * The "enter the code we sent" card of the sign-up, reset and sign-in-by-code flows: `action` is
 * the step's own address, `start` the flow's first step; `children` are extra fields after the
 * code (the reset's new password). `focusCode` puts the cursor in the code field and marks it
 * refused on any error.
 */
export function CodeStepCard(props: {
  state: State;
  path: string;
  words: CodeStepWords;
  data: CodeStepData;
  action: string;
  start: string;
  focusCode?: boolean;
  children?: ComponentChildren;
}) {
  const { data, words } = props;
  const m = props.state.t.identity;
  return (
    <AuthCard state={props.state} path={props.path} title={words.verifyTitle}>
      {data.error && <AuthNotice kind="error">{data.error}</AuthNotice>}
      <p class="mb-4 text-gray-700">{words.verifyIntro(data.sentTo)}</p>
      <form method="post" action={props.action} novalidate>
        <input type="hidden" name="_csrf" value={data.csrf} />
        <SentCodeField
          label={m.common.code}
          errors={data.errors.code}
          invalid={!!data.errors.code || (!!props.focusCode && !!data.error)}
          autofocus={props.focusCode}
        />
        {props.children}
        <AuthSubmit>{words.verifySubmit}</AuthSubmit>
      </form>
      <p class="mt-5 text-sm">
        <a href={props.start} class="text-brand-700 underline">{words.startAgain}</a>
      </p>
    </AuthCard>
  );
}

/**
 * The default export of a code step's route: its CodeStepCard with the step's words (`fields`:
 * extra fields after the code).
 */
export function codeStepPage(opts: {
  words: (m: IdentityMessages) => CodeStepWords;
  action: string;
  start: string;
  focusCode?: boolean;
  fields?: (data: CodeStepData, m: IdentityMessages) => ComponentChildren;
}) {
  return function CodeStepPage({ data, state, url }: PageProps<CodeStepData, State>) {
    const m = state.t.identity;
    return (
      <CodeStepCard
        state={state}
        path={url.pathname}
        words={opts.words(m)}
        data={data}
        action={opts.action}
        start={opts.start}
        focusCode={opts.focusCode}
      >
        {opts.fields?.(data, m)}
      </CodeStepCard>
    );
  };
}
