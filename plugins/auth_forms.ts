/**
 * Small helpers shared by the sign-in, sign-up, reset and account pages: form values, the
 * short-lived "flow" cookie that carries the identifier from the "send me a code" step to the
 * "enter the code" step, per-address rate limits on the code endpoints, and service errors
 * turned into form messages.
 */
import { deleteCookie, getCookies, HttpError, redirect, setCookie } from "@/framework/mod.ts";
import type { Context, Handlers } from "@/framework/mod.ts";
import { rateLimit } from "@/services/platform/kv.ts";
import { ConflictError, ValidationError } from "@/services/identity/errors.ts";
import { fieldText, type IdentityMessages, im, waitText } from "@/services/identity/messages.ts";
import { sessionStore } from "@/services/identity/sessions.ts";
import type { CodeFailure } from "@/services/identity/users.ts";
import type { Lang } from "@/services/i18n/mod.ts";
import type { Database } from "@/services/platform/db.ts";
import type { State } from "@/state.ts";
import { clientIp, secureCookies } from "./session.ts";

/** A text field of the posted form ("" when absent). */
export function field(ctx: Context<State>, name: string): string {
  return ctx.form?.get(name)?.toString() ?? "";
}

/** The database, or a 503 page when the app runs without one. */
export function database(ctx: Context<State>): Database {
  const db = ctx.state.deps.db;
  if (!db) throw new HttpError(503, "This service is not available right now");
  return db;
}

// ---- the flow cookie ------------------------------------------------------------------------

export interface Flow {
  purpose: "signup" | "reset";
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

/** Per client address, on top of the services' per-identifier limits. */
export const CODE_LIMITS = {
  /** Asking for a code (sign-up, reset): a message costs money and bothers someone. */
  send: { limit: 10, windowSeconds: 15 * 60 },
  /** Entering a code (sign-up, reset, second factor). */
  check: { limit: 30, windowSeconds: 5 * 60 },
} as const;

/** Seconds to wait, or null when the request may go ahead. */
export async function limitCodes(
  ctx: Context<State>,
  kind: keyof typeof CODE_LIMITS,
): Promise<number | null> {
  const kv = ctx.state.deps.kv;
  if (!kv) return null;
  const r = await rateLimit(kv, `codes_${kind}`, clientIp(ctx), CODE_LIMITS[kind]);
  return r.allowed ? null : r.retryAfterSeconds;
}

// ---- errors into form messages --------------------------------------------------------------

export type FieldErrors = Record<string, string[]>;

/**
 * A ValidationError or ConflictError from a service as field messages in the page's language
 * (`rename` maps service field names to form field names); anything else is re-thrown.
 */
export function serviceFieldErrors(
  e: unknown,
  lang: Lang,
  rename: Record<string, string> = {},
): FieldErrors {
  if (e instanceof ValidationError) {
    const out: FieldErrors = {};
    for (const [k, v] of Object.entries(e.fieldErrors)) {
      (out[rename[k] ?? k] ??= []).push(fieldText(lang, v));
    }
    return out;
  }
  if (e instanceof ConflictError) {
    const k = e.field ?? "_";
    return { [rename[k] ?? k]: [fieldText(lang, e.message)] };
  }
  throw e;
}

/** "Too many codes asked for; try again in …" for a throttled "send me a code" step. */
export function throttledText(lang: Lang, retryAfterSeconds: number): string {
  const m = im(lang);
  return `${m.codes.throttled} ${m.common.retryIn(waitText(lang, retryAfterSeconds))}`;
}

// ---- the "enter the code" step --------------------------------------------------------------

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
  /** The service call (the clock is the session store's, so tests can move it). */
  check: (ctx: Context<State>, db: Database, flow: Flow, now?: Date) => Promise<R | CodeFailure>;
  /** Notice above the form when the service rejects fields (none when omitted). */
  fieldErrorsNotice?: (m: IdentityMessages) => string;
  done: (ctx: Context<State>, r: R) => Promise<string>;
}): Handlers<CodeStepData, State> {
  const start = `/${opts.purpose}`;
  const pageTitle = (ctx: Context<State>) =>
    `${opts.title(im(ctx.state.lang))} — ${ctx.state.t.site.name}`;
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
      const kv = ctx.state.deps.kv;
      const db = database(ctx);
      const lang = ctx.state.lang;
      const m = im(lang);
      ctx.state.title = pageTitle(ctx);
      const again = async (status: number, errors: FieldErrors, error?: string) => ({
        status,
        data: { csrf: await ctx.csrfToken(), sentTo: flow.sentTo, errors, error },
      });
      const wait = await limitCodes(ctx, "check");
      if (wait !== null) return again(429, {}, m.common.tooFast(waitText(lang, wait)));
      let r;
      try {
        r = await opts.check(ctx, db, flow, kv ? new Date(sessionStore(kv).now()) : undefined);
      } catch (e) {
        return again(422, serviceFieldErrors(e, lang), opts.fieldErrorsNotice?.(m));
      }
      if (!r.ok) {
        const left = r.attemptsLeft ? ` ${m.codes.attemptsLeft(r.attemptsLeft)}` : "";
        return again(r.reason === "invalid_code" ? 401 : 410, {}, m.codes[r.reason] + left);
      }
      const location = await opts.done(ctx, r as R);
      return new Response(null, { status: 303, headers: { location } });
    },
  };
}
