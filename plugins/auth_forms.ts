/**
 * Small helpers shared by the sign-in, sign-up, reset and account pages: form values, the
 * short-lived "flow" cookie that carries the identifier from the "send me a code" step to the
 * "enter the code" step, per-address rate limits on the code endpoints, and service errors
 * turned into form messages.
 */
import { deleteCookie, getCookies, redirect, setCookie } from "@/framework/mod.ts";
import type { Context, Handlers } from "@/framework/mod.ts";
import { rateLimit } from "@/services/platform/mod.ts";
import {
  type CodeFailure,
  type Identity,
  type IdentityMessages,
  waitText,
} from "@/services/identity/mod.ts";
import { type Lang, type Messages, messages, translateError } from "@/services/i18n/mod.ts";
import type { State } from "@/state.ts";
import { clientIp, secureCookies } from "./session.ts";

/** A text field of the posted form ("" when absent). */
export function field(ctx: Context<State>, name: string): string {
  return ctx.form?.get(name)?.toString() ?? "";
}

// ---- the flow cookie ------------------------------------------------------------------------

export interface Flow {
  purpose: "signup" | "reset" | "signin";
  /** The identifier as the person typed it (the services normalise it again). */
  identifier: string;
  /** Where the code went, masked for display (017•••••678 or the email). */
  sentTo: string;
}

const FLOW_MAX_AGE = 15 * 60;

function flowCookieName(ctx: Context<State>): string {
  return secureCookies(ctx.state.deps.config) ? "__Host-sd_flow" : "sd_flow";
}

export function setFlow(ctx: Context<State>, flow: Flow): void {
  const value = btoa(String.fromCharCode(...new TextEncoder().encode(JSON.stringify(flow))));
  setCookie(ctx.responseHeaders, flowCookieName(ctx), value, {
    httpOnly: true,
    sameSite: "Lax",
    secure: secureCookies(ctx.state.deps.config),
    maxAge: FLOW_MAX_AGE,
  });
}

export function getFlow(ctx: Context<State>, purpose: Flow["purpose"]): Flow | null {
  const raw = getCookies(ctx.req)[flowCookieName(ctx)];
  if (!raw) return null;
  try {
    const bytes = Uint8Array.from(atob(raw), (c) => c.charCodeAt(0));
    const f = JSON.parse(new TextDecoder().decode(bytes)) as Partial<Flow>;
    if (
      f.purpose !== purpose || typeof f.identifier !== "string" || typeof f.sentTo !== "string" ||
      f.identifier.length > 320 || f.sentTo.length > 320
    ) return null;
    return f as Flow;
  } catch {
    return null;
  }
}

export function clearFlow(ctx: Context<State>): void {
  deleteCookie(ctx.responseHeaders, flowCookieName(ctx), {
    httpOnly: true,
    sameSite: "Lax",
    secure: secureCookies(ctx.state.deps.config),
  });
}

// ---- rate limits ----------------------------------------------------------------------------

interface Limit {
  limit: number;
  windowSeconds: number;
}

/** The same window for both limits: `perAddress` and `global` requests per `minutes`. */
function limits(minutes: number, perAddress: number, global: number) {
  const windowSeconds = minutes * 60;
  return {
    perAddress: { limit: perAddress, windowSeconds },
    global: { limit: global, windowSeconds },
  };
}

/**
 * Anonymous writes, per client address and for everyone together (KV, fixed windows), on top of
 * the services' own limits (per identifier, per account and address). The global caps bound what
 * an attacker with many addresses can make the system store or send.
 */
export const WRITE_LIMITS: Record<string, { perAddress: Limit; global: Limit }> = {
  /** Asking for a code (sign-up, reset, sign-in by code): a message costs money and bothers someone. */
  send: limits(15, 10, 300),
  /** Entering a code (sign-up, reset, sign-in by code, second factor). */
  check: limits(5, 30, 1000),
  /** Password sign-in attempts (right or wrong: each costs a password hash). */
  signin: limits(10, 30, 1500),
  /** The public contact form. */
  contact: limits(10, 5, 100),
};

/** Per client address, kept for callers that read the per-address code limits. */
export const CODE_LIMITS = {
  send: WRITE_LIMITS.send.perAddress,
  check: WRITE_LIMITS.check.perAddress,
} as const;

export type WriteKind = keyof typeof WRITE_LIMITS;

/**
 * Counts one anonymous write of `kind` from this client; returns the seconds to wait (and whether
 * the address or the global cap refused it), or null when it may go ahead. The clock is the
 * session store's (tests move it).
 */
export async function limitWrite(
  ctx: Context<State>,
  kind: WriteKind,
): Promise<{ retryAfterSeconds: number; scope: "address" | "global" } | null> {
  const kv = ctx.state.deps.kv;
  const limits = WRITE_LIMITS[kind];
  const now = ctx.state.deps.identity.sessions.now();
  const mine = await rateLimit(kv, `write_${kind}`, clientIp(ctx), {
    ...limits.perAddress,
    now,
  });
  if (!mine.allowed) return { retryAfterSeconds: mine.retryAfterSeconds, scope: "address" };
  const all = await rateLimit(kv, `write_${kind}`, "*", { ...limits.global, now });
  if (!all.allowed) return { retryAfterSeconds: all.retryAfterSeconds, scope: "global" };
  return null;
}

/** Seconds to wait, or null when the request may go ahead (codes: asking for one, entering one). */
export async function limitCodes(
  ctx: Context<State>,
  kind: "send" | "check",
): Promise<number | null> {
  return (await limitWrite(ctx, kind))?.retryAfterSeconds ?? null;
}

/** The 429 text for a refused anonymous write, in the page's language. */
export function limitText(
  lang: Lang,
  refused: { retryAfterSeconds: number; scope: "address" | "global" },
): string {
  const m = messages(lang).identity;
  return refused.scope === "global"
    ? `${m.limits.busy} ${m.common.retryIn(waitText(lang, refused.retryAfterSeconds))}`
    : m.common.tooFast(waitText(lang, refused.retryAfterSeconds));
}

// ---- errors into form messages --------------------------------------------------------------

export type FieldErrors = Record<string, string[]>;

/**
 * A service error a person can fix as field messages in the page's language (translateError in
 * services/i18n: `rename` maps service field names to form field names, "form" is the whole
 * form); anything else (404, 403, unexpected) is re-thrown for the framework to answer.
 */
export function formErrors(
  e: unknown,
  t: Messages,
  rename: Record<string, string> = {},
): FieldErrors {
  const err = translateError(t, e, rename);
  if (!err || err.status === 404 || err.status === 403) throw e;
  return err.fields;
}

/** "Too many codes asked for; try again in …" for a throttled "send me a code" step. */
export function throttledText(lang: Lang, retryAfterSeconds: number): string {
  const m = messages(lang).identity;
  return `${m.codes.throttled} ${m.common.retryIn(waitText(lang, retryAfterSeconds))}`;
}

// ---- the "send me a code" step --------------------------------------------------------------

/** The form of a step again, with the answer's status, its field errors and a notice. */
export type FormAgain<D> = (
  status: number,
  errors: FieldErrors,
  error?: string,
) => Promise<{ status: number; data: D }>;

/** `FormAgain` for a step whose data is a fresh CSRF token, the posted `values` and the errors. */
export function formAgain<V extends object>(
  ctx: Context<State>,
  values: V,
): FormAgain<V & { csrf: string; errors: FieldErrors; error?: string }> {
  return async (status, errors, error) => ({
    status,
    data: { csrf: await ctx.csrfToken(), ...values, errors, error },
  });
}

/** A use case that sends a code (or says how long to wait). */
type SendCode = () => Promise<
  { ok: true; sentTo: string } | { ok: false; retryAfterSeconds: number }
>;

/**
 * Step 1 of a "send a code, then verify" flow (sign-up, reset, sign-in by code): the per-address
 * limit, the use case that sends the code, the flow cookie for step 2 and the way there. Refusals
 * re-render the form through `again` (field errors with `fieldErrorsNotice` above them).
 */
export async function sendCode<D>(ctx: Context<State>, opts: {
  again: FormAgain<D>;
  send: SendCode;
  flow: Omit<Flow, "sentTo">;
  verify: string;
  fieldErrorsNotice?: string;
}): Promise<Response | { status: number; data: D }> {
  const lang = ctx.state.lang;
  const wait = await limitCodes(ctx, "send");
  if (wait !== null) {
    return opts.again(429, {}, ctx.state.t.identity.common.tooFast(waitText(lang, wait)));
  }
  let r;
  try {
    r = await opts.send();
  } catch (e) {
    return opts.again(422, formErrors(e, ctx.state.t), opts.fieldErrorsNotice);
  }
  if (!r.ok) return opts.again(429, {}, throttledText(lang, r.retryAfterSeconds));
  setFlow(ctx, { ...opts.flow, sentTo: r.sentTo });
  return new Response(null, { status: 303, headers: { location: opts.verify } });
}

export interface AskCodeData {
  csrf: string;
  identifier: string;
  errors: FieldErrors;
  error?: string;
}

/**
 * GET and POST of a first step that only asks for the phone or email (reset, sign-in by code):
 * `send` is the use case that sends the code, `verify` the step 2 page. GET may `prefill` the
 * identifier from the query and `guard` the page (throw a redirect).
 */
export function askCodeHandlers(opts: {
  purpose: Flow["purpose"];
  title: (m: IdentityMessages) => string;
  send: (identity: Identity, input: { identifier: string }) => ReturnType<SendCode>;
  verify: string;
  prefill?: boolean;
  guard?: (ctx: Context<State>) => void;
}): Handlers<AskCodeData, State> {
  const pageTitle = (ctx: Context<State>) =>
    `${opts.title(ctx.state.t.identity)} — ${ctx.state.t.site.name}`;
  return {
    async GET(ctx) {
      opts.guard?.(ctx);
      ctx.state.title = pageTitle(ctx);
      const asked = opts.prefill ? ctx.url.searchParams.get("identifier") ?? "" : "";
      const identifier = asked.slice(0, 320);
      return { data: { csrf: await ctx.csrfToken(), identifier, errors: {} } };
    },

    POST(ctx) {
      const identifier = field(ctx, "identifier").trim();
      ctx.state.title = pageTitle(ctx);
      return sendCode(ctx, {
        again: formAgain(ctx, { identifier }),
        send: () => opts.send(ctx.state.deps.identity, { identifier }),
        flow: { purpose: opts.purpose, identifier },
        verify: opts.verify,
      });
    },
  };
}

// ---- the "enter the code" step --------------------------------------------------------------

/** A failure of sign-in by code that is not about the code (see AuthResult). */
export interface OtherFailure {
  ok: false;
  reason: "invalid" | "locked" | "throttled" | "disabled";
  retryAfterSeconds?: number;
}

export interface CodeStepData {
  csrf: string;
  sentTo: string;
  errors: FieldErrors;
  error?: string;
}

/**
 * GET and POST of the step that checks the code sent by the flow's first step (sign-up, reset):
 * no flow → back to the start; per-address rate limit; service field errors and code failures
 * re-render the form; `done` finishes the flow and answers with the page to go to.
 */
export function codeStepHandlers<R extends { ok: true }>(opts: {
  purpose: Flow["purpose"];
  title: (m: IdentityMessages) => string;
  /** Where the flow starts (default `/${purpose}`). */
  start?: string;
  /**
   * The use case, given the flow's identifier and the posted code (the identity door takes the
   * time from the session store's clock).
   */
  check: (
    identity: Identity,
    input: { identifier: string; code: string },
    ctx: Context<State>,
  ) => Promise<R | CodeFailure | OtherFailure>;
  /** Notice above the form when the service rejects fields (none when omitted). */
  fieldErrorsNotice?: (m: IdentityMessages) => string;
  /** Finishes the flow (its cookie is already cleared) and says where to go. */
  done: (ctx: Context<State>, r: R) => Promise<string>;
}): Handlers<CodeStepData, State> {
  const start = opts.start ?? `/${opts.purpose}`;
  const pageTitle = (ctx: Context<State>) =>
    `${opts.title(ctx.state.t.identity)} — ${ctx.state.t.site.name}`;
  return {
    async GET(ctx) {
      const flow = getFlow(ctx, opts.purpose);
      if (!flow) throw redirect(start);
      ctx.state.title = pageTitle(ctx);
      return { data: { csrf: await ctx.csrfToken(), sentTo: flow.sentTo, errors: {} } };
    },

    async POST(ctx) {
      const flow = getFlow(ctx, opts.purpose);
      if (!flow) throw redirect(start);
      const lang = ctx.state.lang;
      const m = ctx.state.t.identity;
      ctx.state.title = pageTitle(ctx);
      const again = async (status: number, errors: FieldErrors, error?: string) => ({
        status,
        data: { csrf: await ctx.csrfToken(), sentTo: flow.sentTo, errors, error },
      });
      const wait = await limitCodes(ctx, "check");
      if (wait !== null) return again(429, {}, m.common.tooFast(waitText(lang, wait)));
      let r;
      try {
        const input = { identifier: flow.identifier, code: field(ctx, "code") };
        r = await opts.check(ctx.state.deps.identity, input, ctx);
      } catch (e) {
        return again(422, formErrors(e, ctx.state.t), opts.fieldErrorsNotice?.(m));
      }
      if (!r.ok) {
        if (!(r.reason in m.codes)) {
          // Sign-in by code: the account is disabled, locked by an administrator, or the address
          // is throttled.
          const f = r as OtherFailure;
          const retry = f.retryAfterSeconds
            ? ` ${m.common.retryIn(waitText(lang, f.retryAfterSeconds))}`
            : "";
          const text = m.signin.reasons[f.reason as keyof IdentityMessages["signin"]["reasons"]] ??
            m.codes.invalid_code;
          return again(f.reason === "disabled" ? 403 : 429, {}, text + retry);
        }
        const c = r as CodeFailure;
        const left = c.attemptsLeft ? ` ${m.codes.attemptsLeft(c.attemptsLeft)}` : "";
        return again(c.reason === "invalid_code" ? 401 : 410, {}, m.codes[c.reason] + left);
      }
      clearFlow(ctx);
      const location = await opts.done(ctx, r as R);
      return new Response(null, { status: 303, headers: { location } });
    },
  };
}
